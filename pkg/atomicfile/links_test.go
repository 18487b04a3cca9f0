package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// persistent makes the layout of a router that keeps /etc on another
// partition: etc/ppp/chap-secrets is a symbolic link to persist/chap-secrets.
func persistent(t *testing.T, link string) (dir, name, target string) {
	t.Helper()
	dir = t.TempDir()
	name = filepath.Join(dir, "etc", "ppp", "chap-secrets")
	target = filepath.Join(dir, "persist", "chap-secrets")
	for _, d := range []string{filepath.Dir(name), filepath.Dir(target)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(target, []byte("user ppp0 oldpassword\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if link == "" {
		link = target
	}
	if err := os.Symlink(link, name); err != nil {
		t.Fatal(err)
	}
	return dir, name, target
}

// checkThrough checks that name is still a link and target holds data with
// mode 0600, and that no temporary file was left in either directory.
func checkThrough(t *testing.T, name, target, data string) {
	t.Helper()
	if !isLink(name) {
		t.Errorf("after Write(%s): it is no longer a symbolic link, want the link kept", name)
	}
	got, err := os.ReadFile(target)
	if err != nil || string(got) != data {
		t.Errorf("after Write(%s): target %s holds %q, %v, want %q (the old password would stay there)", name, target, got, err, data)
	}
	if fi, err := os.Stat(target); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("after Write(%s): target mode %04o, want 0600", name, fi.Mode().Perm())
	}
	for _, d := range []string{filepath.Dir(name), filepath.Dir(target)} {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if strings.Contains(e.Name(), ".tmp") {
				t.Errorf("after Write(%s): temporary file %s left in %s", name, e.Name(), d)
			}
		}
	}
}

func TestWriteThroughSymlink(t *testing.T) {
	_, name, target := persistent(t, "")
	if err := Write(name, []byte("user ppp0 new\n"), 0o600); err != nil {
		t.Fatalf("Write(%s) = %v, want nil", name, err)
	}
	checkThrough(t, name, target, "user ppp0 new\n")
}

func TestWriteThroughRelativeSymlinkChain(t *testing.T) {
	dir, name, target := persistent(t, "../../persist/hop")
	// persist/hop -> chap-secrets: a chain of two links, both relative to
	// the directory of the link that holds them.
	if err := os.Symlink("chap-secrets", filepath.Join(dir, "persist", "hop")); err != nil {
		t.Fatal(err)
	}
	res, err := Replace(name, []byte("user ppp0 new\n"), 0o600)
	if err != nil {
		t.Fatalf("Replace(%s) = %v, want nil", name, err)
	}
	checkThrough(t, name, target, "user ppp0 new\n")
	if hop := filepath.Join(dir, "persist", "hop"); !isLink(hop) {
		t.Errorf("after Replace(%s): %s is no longer a link", name, hop)
	}
	if filepath.Clean(res.Target) != target {
		t.Errorf("Replace(%s).Target = %s, want %s", name, res.Target, target)
	}
}

func isLink(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode()&os.ModeSymlink != 0
}

// A link whose target is missing is written through, as a shell's ">"
// would: the target is created and the link kept.
func TestWriteThroughDanglingSymlink(t *testing.T) {
	_, name, target := persistent(t, "")
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("user ppp0 new\n"), 0o600); err != nil {
		t.Fatalf("Write(%s) = %v, want nil", name, err)
	}
	checkThrough(t, name, target, "user ppp0 new\n")
}

func TestWriteSymlinkLoopFails(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	err := Write(a, []byte("x\n"), 0o600)
	if !errors.Is(err, syscall.ELOOP) || !strings.Contains(err.Error(), a) {
		t.Fatalf("Write(loop %s) = %v, want an error naming %s that matches ELOOP", a, err, a)
	}
	if !isLink(a) || !isLink(b) {
		t.Errorf("Write(loop %s) replaced a link of the loop", a)
	}
}

// The owner of the target is kept, not the link's or the writer's.
func TestWriteThroughSymlinkKeepsTargetOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a file to another owner needs root; not checked")
	}
	_, name, target := persistent(t, "")
	if err := os.Chown(target, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("user ppp0 new\n"), 0o600); err != nil {
		t.Fatalf("Write(%s) = %v, want nil", name, err)
	}
	checkThrough(t, name, target, "user ppp0 new\n")
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1234 || st.Gid != 5678 {
		t.Errorf("after Write(%s): target owner %d:%d, want 1234:5678", name, st.Uid, st.Gid)
	}
}

// A file with other hard links is replaced all the same, and the caller
// learns that the other names keep the old content.
func TestReplaceReportsHardLinks(t *testing.T) {
	dir := t.TempDir()
	p, other := filepath.Join(dir, "chap-secrets"), filepath.Join(dir, "backup")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(p, other); err != nil {
		t.Fatal(err)
	}
	before, err := Inspect(p)
	if err != nil || before.HardLinks != 2 {
		t.Fatalf("Inspect(%s) = %+v, %v, want 2 hard links", p, before, err)
	}
	res, err := Replace(p, []byte("new\n"), 0o600)
	if err != nil {
		t.Fatalf("Replace(%s) = %v, want nil", p, err)
	}
	want := p + " has 2 hard links: writing it replaces it, the other names keep the old content"
	if got := res.Warning(); got != want {
		t.Errorf("Replace(%s).Warning() = %q, want %q", p, got, want)
	}
	if got, _ := os.ReadFile(other); string(got) != "old\n" {
		t.Errorf("other name %s holds %q, want the old content (this is what the warning says)", other, got)
	}
	if res, err := Replace(p, []byte("newer\n"), 0o600); err != nil || res.Warning() != "" {
		t.Errorf("Replace(%s) of a file with one name = %+v, %v, want no warning", p, res, err)
	}
}

// Every error names the file once, as the caller gave it, not the
// temporary file nor the same path twice.
func TestWriteErrorNamesPathOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "chap-secrets")
	err := Write(p, []byte("x"), 0o600)
	if err == nil || strings.Count(err.Error(), p) != 1 || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("Write(%s) = %v, want an error naming %s once and no temporary file", p, err, p)
	}
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Write(%s) = %v, want an error matching fs.ErrNotExist", p, err)
	}
}

// ReplaceIfChanged tells about hard links only when it writes: a file
// already up to date keeps all its names, so there is nothing to say.
func TestReplaceIfChangedReportsHardLinksWhenItWrites(t *testing.T) {
	dir := t.TempDir()
	p, other := filepath.Join(dir, "chap-secrets"), filepath.Join(dir, "backup")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(p, other); err != nil {
		t.Fatal(err)
	}
	res, wrote, err := ReplaceIfChanged(p, []byte("old\n"), 0o600)
	if err != nil || wrote || res.Warning() != "" {
		t.Fatalf("ReplaceIfChanged(%s, same content) = %+v, %v, %v, want no warning, false, nil", p, res, wrote, err)
	}
	res, wrote, err = ReplaceIfChanged(p, []byte("new\n"), 0o600)
	if err != nil || !wrote {
		t.Fatalf("ReplaceIfChanged(%s, new content) = %+v, %v, %v, want true, nil", p, res, wrote, err)
	}
	want := p + " has 2 hard links: writing it replaces it, the other names keep the old content"
	if got := res.Warning(); got != want {
		t.Errorf("ReplaceIfChanged(%s).Warning() = %q, want %q", p, got, want)
	}
	if got, _ := os.ReadFile(p); string(got) != "new\n" {
		t.Errorf("after ReplaceIfChanged, %s holds %q, want %q", p, got, "new\n")
	}
}
