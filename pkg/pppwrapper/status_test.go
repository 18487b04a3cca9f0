package pppwrapper

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// Strings from state.json that a bug or an attacker controls: an escape
// sequence that clears the operator's screen, a carriage return that
// overwrites the line, invalid UTF-8.
func evilState() runstate.State {
	code := 8
	now := time.Now()
	return runstate.State{
		PID: 42, Phase: "up\x1b[2J", Since: now,
		Detail: "3 of 3\rfailures", Peer: "ppp0\x07", Device: "/dev/tty\x1b]0;owned\x07USB0",
		LastExit: &code, LastExitMeaning: "chat\x00failed", LastExitAt: now,
		LastReset: now, LastResetWhy: "why\xff\xfe", LastResetResult: "ok\u009b31m", Resets: 1,
	}
}

func checkPrintable(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: output is not valid UTF-8: %q", what, out)
	}
	for _, r := range out {
		if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Errorf("%s: output holds control character %U: %q", what, r, out)
			return
		}
	}
}

func TestStatusEscapesControlCharacters(t *testing.T) {
	for _, running := range []bool{true, false} {
		var b bytes.Buffer
		human(&b, 42, running, evilState(), nil)
		out := b.String()
		checkPrintable(t, "human(running="+map[bool]string{true: "yes", false: "no"}[running]+")", out)
		for _, want := range []string{`up\x1b[2J`, `3 of 3\rfailures`, `ppp0\a`, `/dev/tty\x1b]0;owned\aUSB0`, `chat\x00failed`, `why\xff\xfe`, `ok\u009b31m`} {
			if running && !strings.Contains(out, want) {
				t.Errorf("human() = %q, want it to show %s", out, want)
			}
		}
	}
	// Plain text stays as it is.
	var b bytes.Buffer
	s := evilState()
	s.Detail = "3 of 3 failures, «ü»"
	human(&b, 1, true, s, nil)
	if !strings.Contains(b.String(), "why:        3 of 3 failures, «ü»\n") {
		t.Errorf("human() = %q, want plain text unchanged", b.String())
	}
}

// --json is JSON: a program reads back the same strings.
func TestStatusJSONKeepsStrings(t *testing.T) {
	root := t.TempDir()
	s := evilState()
	s.LastResetWhy = "why" // encoding/json makes invalid UTF-8 U+FFFD
	if err := runstate.WriteState(root, s); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	printStatus(&out, &errb, root, true)
	var got runstate.State
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("--json output %q is not JSON: %v", out.String(), err)
	}
	if got.Detail != s.Detail || got.Device != s.Device || got.Phase != s.Phase || got.LastResetResult != s.LastResetResult {
		t.Errorf("--json read back detail %q device %q phase %q result %q, want %q %q %q %q",
			got.Detail, got.Device, got.Phase, got.LastResetResult, s.Detail, s.Device, s.Phase, s.LastResetResult)
	}
	checkPrintable(t, "--json", out.String())
}

// --json prints what encoding/json printed before: {"running": ...} and
// then state.json's keys, indented the same, or "running" alone without
// a state; except that DEL and C1 controls are escaped (\u007f, \u009b),
// so that nothing in it drives the terminal.
func TestStatusJSONIsTheSameObject(t *testing.T) {
	withRunning := func(s *runstate.State) string {
		b, _ := json.MarshalIndent(struct {
			Running bool `json:"running"`
			*runstate.State
		}{false, s}, "", "  ")
		b = bytes.ReplaceAll(b, []byte("\x7f"), []byte(`\u007f`))
		b = bytes.ReplaceAll(b, []byte("\u009b"), []byte(`\u009b`))
		return string(b) + "\n"
	}
	root := t.TempDir()
	var out, errb bytes.Buffer
	if code := printStatus(&out, &errb, root, true); out.String() != withRunning(nil) || code != 1 {
		t.Errorf("printStatus(no state, --json) = %d, %q, want 1, %q", code, out.String(), withRunning(nil))
	}
	s := evilState()
	s.LastResetWhy = "why"             // encoding/json makes invalid UTF-8 U+FFFD, so do we
	s.Detail = "rub\x7fout <&> \u2028" // DEL, HTML characters, line separator
	if err := runstate.WriteState(root, s); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	printStatus(&out, &errb, root, true)
	read, _ := runstate.ReadState(root)
	if want := withRunning(&read); out.String() != want {
		t.Errorf("printStatus(--json) =\n%s\nwant\n%s", out.String(), want)
	}
	checkPrintable(t, "--json", out.String())
}
