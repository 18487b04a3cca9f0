package config

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bashOracle sources a configuration file the way the vendor's scripts do
// (set -a; . FILE) and returns the values real bash gives the keys.
//
// It is only ever given text our reader accepted, or text checked by hand
// to be harmless, and it runs as safely as bash can: restricted mode (no
// redirections, no commands with a '/', no PATH change), an empty
// environment, a PATH that names no directory, a temporary working
// directory and a timeout.
type bashOracle struct{ bash string }

func newBashOracle(t testing.TB) *bashOracle {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("skipping: bash is not installed, so its reading of the file cannot be compared")
	}
	return &bashOracle{bash: bash}
}

// values returns what bash assigns to each key after sourcing text, and
// whether bash ran without an error.
func (o *bashOracle) values(t testing.TB, text string, keys ...string) ([]string, bool) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	script := `set -a; . f || exit 99; for k; do printf '%s\0' "${!k}"; done`
	cmd := exec.CommandContext(ctx, o.bash, append([]string{"-r", "-c", script, "bash"}, keys...)...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + filepath.Join(dir, "no-such-dir"), "LC_ALL=C"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		return nil, false
	}
	vals := strings.Split(string(out), "\x00")
	if len(vals) != len(keys)+1 {
		return nil, false
	}
	return vals[:len(keys)], true
}

func (o *bashOracle) value(t testing.TB, text, key string) (string, bool) {
	t.Helper()
	v, ok := o.values(t, text, key)
	if !ok {
		return "", false
	}
	return v[0], true
}
