package pppwrapper

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The line for a program that cannot be started names it, the cause and
// the fix, whatever exec's error says.
func TestStartErrorNamesCauseAndFix(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing"), "no such file"},
		{write("plain", "#!/bin/sh\n", 0o644), "not executable"},
		{write("badshebang", "#!/no/such/shell\n", 0o755), "its #! interpreter does not exist"},
		{"pppkeep-no-such-program", "not found in $PATH"},
	} {
		err := exec.Command(tc.path).Start()
		if err == nil {
			t.Fatalf("exec %s: started, want an error", tc.path)
		}
		want := "cannot start pppd (" + tc.path + "): " + tc.want + ": install ppp or fix --pppd"
		if got := startError("pppd", tc.path, "install ppp or fix --pppd", err); got != want {
			t.Errorf("startError(%v) = %q, want %q", err, got, want)
		}
	}
}
