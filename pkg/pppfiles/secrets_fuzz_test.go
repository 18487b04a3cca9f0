package pppfiles

import (
	"slices"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
)

// FuzzEditSecrets edits arbitrary secrets files. Read back with pppd's
// rules, the result must hold every foreign entry of the old file,
// unchanged and in order, and exactly one entry of ours, the new one; a
// second edit must change nothing.
func FuzzEditSecrets(f *testing.F) {
	for _, s := range []string{
		"a b c\nsora ppp0 old\n",
		"sora ppp0 \"old\nx\" y\nfoo isp2 bar",
		"sora \\\nppp0 old\\\npw # c\n* * \"\"\n",
		"x ppp0\n\\\nsora ppp0 'a\\'\n",
		"#c\n  ppp0 ppp0 ppp0 ppp0\nother ppp0",
	} {
		f.Add(s)
	}
	const entry = "\"sora\" ppp0      \"new\"\n"
	f.Fuzz(func(t *testing.T, old string) {
		edited := string(EditSecrets([]byte(old), true, entry))
		want := foreignWords(old)
		got := foreignWords(edited)
		if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Fatalf("EditSecrets(%q) = %q: foreign entries %q, want %q", old, edited, got, want)
		}
		spans := ours([]byte(edited))
		if len(spans) != 1 || len(spans[0].Words) != 3 || spans[0].Words[2].Text != "new" {
			t.Fatalf("EditSecrets(%q) = %q: entries of ours %+v, want only the new one", old, edited, spans)
		}
		if again := string(EditSecrets([]byte(edited), true, entry)); again != edited {
			t.Fatalf("EditSecrets(%q) twice: %q then %q", old, edited, again)
		}
	})
}

// foreignWords lists the words of the entries that are not ours.
func foreignWords(text string) [][]string {
	spans, _ := pppsyntax.SplitSecrets(text)
	var out [][]string
	for _, sp := range spans {
		if len(sp.Words) >= 2 && sp.Words[1].Text == RemoteName {
			continue
		}
		var ws []string
		for _, w := range sp.Words {
			ws = append(ws, w.Text)
		}
		out = append(out, ws)
	}
	return out
}
