package config

import (
	"strings"
	"testing"
)

// FuzzBashValues: for every line KEY=<bytes> or export KEY=<bytes>, our
// reader either gives the values real bash gives, or refuses the text as
// a configuration error.
// Bash only ever sources text our reader accepted, which by then holds no
// expansion and no command (and it runs restricted, see bashOracle); the
// refused seeds are checked to be refused, never run.
func FuzzBashValues(f *testing.F) {
	for _, tc := range bashForms {
		f.Add(strings.TrimPrefix(tc.text, tc.key+"="))
	}
	for _, s := range []string{"", "a b", `'x'\''y'`, `"\a\$\"\\"`, "a\\\nb", "'\n'", "~", "a:~", "x\\", "#x", "a#b", "{a,b}", "a # c \\\nKEY=b", "''#", " \\", "\"\\\x7f\""} {
		f.Add(s)
	}
	o := newBashOracle(f)
	f.Fuzz(func(t *testing.T, value string) {
		// export's arguments are expanded unlike assignments: both
		// forms are checked.
		for _, text := range []string{"KEY=" + value + "\n", "export KEY=" + value + "\n"} {
			checkBashReads(t, o, text)
		}
	})
}

// checkBashReads fails t if our reader accepts text with values other
// than those bash gives.
func checkBashReads(t *testing.T, o *bashOracle, text string) {
	t.Helper()
	if checkText("f", []byte(text)) != nil {
		return // refused as a whole
	}
	as, errs, _ := readAssignments("f", []byte(text))
	for _, e := range errs {
		if e == nil || e.File != "f" {
			t.Fatalf("readAssignments(%q): error %v, want a FieldError of file f", text, e)
		}
	}
	if len(errs) > 0 {
		return
	}
	var keys, want []string
	last := map[string]string{}
	for _, a := range as {
		last[a.Key] = a.Value
	}
	for k, v := range last {
		// Bash gives its own variables their own meaning; our keys
		// are none of them.
		if _, known := Lookup(k); known || k == "KEY" {
			keys, want = append(keys, k), append(want, v)
		}
	}
	if len(keys) == 0 {
		return
	}
	got, ok := o.values(t, text, keys...)
	if !ok {
		t.Fatalf("bash failed on %q, which our reader accepted as %v", text, last)
	}
	for i := range keys {
		if got[i] != want[i] {
			t.Errorf("%q: bash gives %s=%q, our reader %q", text, keys[i], got[i], want[i])
		}
	}
}

func TestRefusedSeedsStayRefused(t *testing.T) {
	for _, tc := range bashRefused {
		if as, errs, _ := readAssignments("f", []byte(tc.text+"\n")); len(errs) == 0 {
			t.Errorf("readAssignments(%q) = %+v, no error; want it refused", tc.text, as)
		}
	}
}
