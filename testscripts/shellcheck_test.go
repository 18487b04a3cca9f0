package testscripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShellScriptsPassShellcheck runs shellcheck over every shell script of
// the repository: the hooks pppd runs, the package's maintainer scripts,
// the e2e harness and its scenarios. Warnings and errors fail; its notes
// (info, style) do not.
func TestShellScriptsPassShellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Skipf("skipping: shellcheck not installed (.ci/run installs it): %v", err)
	}
	scripts := shellScripts(t, "..")
	vm, err := filepath.Abs("e2e/vm")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 20 {
		t.Fatalf("found %d shell scripts, want the hooks, the maintainer scripts and the e2e harness: %v", len(scripts), scripts)
	}
	for _, s := range scripts {
		// -x with the script's own directory and the e2e vocabulary as
		// source paths: the scenarios source vm/lib.sh.
		cmd := exec.Command("shellcheck", "-x", "-S", "warning", "-P", "SCRIPTDIR:"+vm, s)
		cmd.Dir = filepath.Dir(s)
		cmd.Args[len(cmd.Args)-1] = filepath.Base(s)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("shellcheck %s: %v\n%s", s, err, out)
		}
	}
}

// shellScripts are the files under root whose first line runs a shell.
func shellScripts(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "bin", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		first, _, _ := bytes.Cut(b, []byte("\n"))
		line := string(first)
		isShell := strings.HasPrefix(line, "#!") && (strings.HasSuffix(line, "/sh") || strings.HasSuffix(line, " sh") || strings.HasSuffix(line, "bash"))
		if isShell || strings.HasSuffix(path, ".sh") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
