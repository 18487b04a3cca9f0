package pppfiles

import (
	"fmt"
	"strings"
	"testing"
)

// Entries of ours that pppd reads across lines, or with a word longer than
// pppd keeps, are replaced whole: no piece of the old password is left in
// the file, and the foreign entries around them stay byte for byte.
func TestEditSecretsReplacesEntriesSpanningLines(t *testing.T) {
	const (
		before = "# Secrets for authentication using CHAP\n\"mopera\" * \"mopera\"\n"
		after  = "\n  # a comment\n* isp2 \"x\\\ny\" 10.0.0.1\n"
		entry  = "\"sora\" ppp0      \"new\"\n"
	)
	long := strings.Repeat("OLDPW", 400) // 2000 bytes: pppd cuts it to 1023 and warns
	for _, tc := range []struct{ name, ours string }{
		{"one line", "sora ppp0 OLDPW1\n"},
		{"backslash-newline inside the secret", "sora ppp0 OLDPW1\\\nOLDPW2\n"},
		{"quoted newline inside the secret", "\"sora\" ppp0 \"OLDPW1\nOLDPW2\" *\n"},
		{"backslash-newline between the words", "sora \\\n ppp0 \\\n\tOLDPW1 # comment\n"},
		{"addresses on the next line", "  sora ppp0 OLDPW1 \\\n 10.0.0.2\n"},
		{"secret longer than pppd's word", "sora ppp0 " + long + "\n"},
		{"secret longer than pppd's secret", "sora ppp0 " + long[:300] + "\n"},
		{"no newline at the end", "sora ppp0 \"OLDPW1\nOLDPW2\""},
	} {
		old := before + tc.ours + after
		if strings.HasSuffix(tc.ours, "\"") {
			old = before + tc.ours // the entry ends the file
		}
		got := string(EditSecrets([]byte(old), true, entry))
		want := strings.Replace(old, tc.ours, entry, 1)
		if got != want {
			t.Errorf("%s: EditSecrets(%s) = %s, want %s", tc.name, short(old), short(got), short(want))
		}
		if strings.Contains(got, "OLDPW") {
			t.Errorf("%s: EditSecrets(%s) left a piece of the old password: %s", tc.name, short(old), short(got))
		}
		if removed := string(EditSecrets([]byte(old), true, "")); removed != strings.Replace(old, tc.ours, "", 1) {
			t.Errorf("%s: EditSecrets(%s, no entry) = %s, want our entry removed and nothing else", tc.name, short(old), short(removed))
		}
	}
}

// Two entries of ours, the second over two lines: the first is replaced
// where it stands, the second removed, the foreign one between them kept.
func TestEditSecretsRemovesEveryEntryOfOurs(t *testing.T) {
	old := "sora ppp0 OLDPW1\nfoo isp2 bar\nother ppp0 \"OLDPW2\\\nOLDPW3\"\n"
	got := string(EditSecrets([]byte(old), true, "\"sora\" ppp0      \"new\"\n"))
	if want := "\"sora\" ppp0      \"new\"\nfoo isp2 bar\n"; got != want {
		t.Errorf("EditSecrets(%q) = %q, want %q", old, got, want)
	}
	if !HasOurs([]byte(old)) || HasOurs([]byte("foo isp2 bar\nppp0 x y\n")) {
		t.Errorf("HasOurs gives the wrong answer for %q or for an entry whose client is ppp0", old)
	}
}

// short quotes s, cut to a length a failure message can show.
func short(s string) string {
	if len(s) > 200 {
		return fmt.Sprintf("%q...(%d bytes)", s[:200], len(s))
	}
	return fmt.Sprintf("%q", s)
}
