package genpppconfig

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
)

const goodConfig = "APN=soracom.io\nDEVICE=ttyUSB2\nAUTH=CHAP\nACCOUNT=sora\nPASSWORD=secret\n"

// newRoot makes a --root with /etc/default/ppp holding config ("" for
// none).
func newRoot(t *testing.T, config string) string {
	t.Helper()
	root := t.TempDir()
	if config == "" {
		return root
	}
	p := filepath.Join(root, "etc", "default", "ppp")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// runGen runs gen_pppconfig under root and returns its exit code and log.
func runGen(t *testing.T, root string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(append([]string{"--root", root, "--foreground"}, args...), &stdout, &stderr)
	return code, stderr.String()
}

// A missing /etc/default/ppp is a configuration error (systemd must not
// restart for it); one that cannot be read is a runtime failure.
func TestConfigErrorExitCodes(t *testing.T) {
	code, log := runGen(t, newRoot(t, ""))
	if code != exitcode.Config || !strings.Contains(log, "configuration error: nothing written") {
		t.Errorf("gen_pppconfig without /etc/default/ppp = %d, log %q, want %d and \"configuration error: nothing written\"", code, log, exitcode.Config)
	}
	root := newRoot(t, "")
	// /etc/default is a file: the stat of /etc/default/ppp fails with
	// ENOTDIR, which is neither a missing file nor a refused value.
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc", "default"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, log = runGen(t, root)
	if code != exitcode.Failure || strings.Contains(log, "configuration error") {
		t.Errorf("gen_pppconfig with /etc/default a file = %d, log %q, want %d and no \"configuration error\"", code, log, exitcode.Failure)
	}
	code, log = runGen(t, newRoot(t, goodConfig+"DEMAND=maybe\n"))
	if code != exitcode.Config || !strings.Contains(log, "DEMAND=maybe") || !strings.Contains(log, "configuration error: nothing written") {
		t.Errorf("gen_pppconfig with DEMAND=maybe = %d, log %q, want %d naming DEMAND=maybe", code, log, exitcode.Config)
	}
}

// A second run finds every file up to date and leaves them alone: the
// same file, not rewritten (routers write to flash).
func TestSecondRunWritesNothing(t *testing.T) {
	root := newRoot(t, goodConfig)
	if code, log := runGen(t, root); code != exitcode.OK || !strings.Contains(log, "wrote /etc/ppp/chap-secrets") {
		t.Fatalf("gen_pppconfig (first run) = %d, log %q, want 0 and \"wrote /etc/ppp/chap-secrets\"", code, log)
	}
	peers := filepath.Join(root, "etc", "ppp", "peers", "ppp0")
	old := time.Unix(1, 0)
	if err := os.Chtimes(peers, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(peers)
	code, log := runGen(t, root)
	if code != exitcode.OK || !strings.Contains(log, "all files up to date; nothing written") || strings.Contains(log, "wrote") {
		t.Errorf("gen_pppconfig (second run) = %d, log %q, want 0 and \"all files up to date; nothing written\"", code, log)
	}
	after, _ := os.Stat(peers)
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("gen_pppconfig (second run) rewrote %s, want it left alone", peers)
	}
}

// A secrets file with a second name is rewritten with a warning that the
// other name keeps the old password; up to date, it is not, and nothing is
// said.
func TestHardLinkedSecretsWarnOnlyWhenWritten(t *testing.T) {
	root := newRoot(t, goodConfig)
	if code, log := runGen(t, root); code != exitcode.OK {
		t.Fatalf("gen_pppconfig (first run) = %d, log %q, want 0", code, log)
	}
	secrets := filepath.Join(root, "etc", "ppp", "chap-secrets")
	if err := os.Link(secrets, secrets+".bak"); err != nil {
		t.Fatal(err)
	}
	if code, log := runGen(t, root); code != exitcode.OK || strings.Contains(log, "hard links") {
		t.Errorf("gen_pppconfig (secrets up to date, 2 names) = %d, log %q, want 0 and no warning", code, log)
	}
	cfg := filepath.Join(root, "etc", "default", "ppp")
	if err := os.WriteFile(cfg, []byte(strings.Replace(goodConfig, "secret", "newsecret", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, log := runGen(t, root)
	want := "/etc/ppp/chap-secrets (link to " + secrets + ") has 2 hard links: writing it replaces it, the other names keep the old content"
	if code != exitcode.OK || !strings.Contains(log, want) || !strings.Contains(log, "wrote /etc/ppp/chap-secrets") {
		t.Errorf("gen_pppconfig (new password, 2 names) = %d, log %q, want 0 and %q", code, log, want)
	}
}
