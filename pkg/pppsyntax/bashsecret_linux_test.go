package pppsyntax_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/pppfiles"
)

// TestIntegrationPppdReadsBashPassword follows a PASSWORD written in one
// of the forms bash reads from /etc/default/ppp to the secret the real
// pppd reads from the secrets entry gen_pppconfig renders: it must be
// bash's value.
//
// pppd reads secrets files and options files with the same word reader
// (getword), and it cannot authenticate here (no kernel PPP), so the
// rendered entry is given to pppd as an options file: `"ACCOUNT" ppp0
// "SECRET"` with ACCOUNT=name reads as the option `name ppp0`, and pppd
// then names the next word, the secret as it read it, as an unrecognized
// option.
func TestIntegrationPppdReadsBashPassword(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: -short leaves out runs of the real pppd")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("skipping: bash is not installed, so its reading of the password cannot be compared")
	}
	pppd, err := exec.LookPath("pppd")
	if err != nil {
		t.Skip("skipping: pppd is not installed, so its reading of the secret cannot be compared")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Geteuid() != 0 {
		t.Skip("skipping: pppd needs root, unshare and a /dev/ppp of its own to read an options file here")
	}
	for _, form := range []string{
		`pa#ss`, `'it'\''s'`, `"a\/b"`, `"\u0041"`, `'a'"b"c`, `a\#b`, `a\ b`, `a\\b`, `"a\$b"`,
		`'p"q'`, `"x'y"`, `'a b  c'`, `'#x'`, `pass # comment`,
	} {
		text := "AUTH=CHAP\nACCOUNT=name\nPASSWORD=" + form + "\n"
		want, ok := bashPassword(t, bash, text)
		if !ok {
			t.Fatalf("bash cannot source %q", text)
		}
		c, _, err := config.Parse("f", []byte(text))
		if err != nil {
			t.Errorf("config.Parse(PASSWORD=%s) = %v, want bash's value %q", form, err, want)
			continue
		}
		line, err := pppfiles.SecretsLine(c)
		if err != nil {
			t.Errorf("SecretsLine(PASSWORD=%s) = %v", form, err)
			continue
		}
		got, out, err := pppdSecretWord(t, unshare, pppd, line)
		if err != nil || got != want {
			t.Errorf("PASSWORD=%s: bash gives %q; pppd reads the secret of %q as %q (%v, %q)", form, want, line, got, err, out)
		}
	}
}

func bashPassword(t *testing.T, bash, text string) (string, bool) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-r", "-c", `set -a; . f && printf %s "$PASSWORD"`)
	cmd.Dir, cmd.Env = dir, []string{"PATH=" + filepath.Join(dir, "none")}
	out, err := cmd.Output()
	return string(out), err == nil
}

// pppdSecretWord has pppd read the secrets line as options and returns
// the word it reports after `name ppp0`.
func pppdSecretWord(t *testing.T, unshare, pppd, line string) (word, output string, err error) {
	file := filepath.Join(t.TempDir(), "options")
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := `mount -t tmpfs none /dev && mknod /dev/ppp c 1 3 && mknod /dev/null c 1 3 &&
exec "$0" file "$1" dryrun nodetach noauth /dev/null`
	out, _ := exec.CommandContext(ctx, unshare, "-m", "sh", "-c", script, pppd, file).CombinedOutput()
	const marker = "unrecognized option '"
	i := strings.Index(string(out), marker)
	if i < 0 {
		return "", string(out), os.ErrNotExist
	}
	rest, _, _ := strings.Cut(string(out)[i+len(marker):], "\n")
	return strings.TrimSuffix(rest, "'"), string(out), nil
}
