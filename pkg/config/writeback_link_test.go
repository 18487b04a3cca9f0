package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Routers keep /etc on a persistent partition, so /etc/default/ppp may be
// a symbolic link. The CONNECT_OK write-back goes through it: the link
// stays, the file it leads to gets the line and keeps its mode and owner.
func TestSetKeyThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "persist", "ppp")
	link := filepath.Join(dir, "etc", "default", "ppp")
	for _, d := range []string{filepath.Dir(target), filepath.Dir(link)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(target, []byte("APN=soracom.io\nCONNECT_OK=0\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o640); err != nil {
		t.Fatal(err)
	}
	root := os.Geteuid() == 0
	if root {
		if err := os.Chown(target, 1234, 5678); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}

	if err := SetKey(link, "CONNECT_OK", "1"); err != nil {
		t.Fatalf("SetKey(%s, CONNECT_OK, 1) = %v, want nil", link, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("after SetKey(%s): it is no longer a symbolic link, want the link kept", link)
	}
	got, _ := os.ReadFile(target)
	if want := "APN=soracom.io\nCONNECT_OK=1\n"; string(got) != want {
		t.Errorf("after SetKey(%s): target %s holds %q, want %q", link, target, got, want)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("after SetKey(%s): target mode %04o, want 0640 kept", link, fi.Mode().Perm())
	}
	if st := fi.Sys().(*syscall.Stat_t); root && (st.Uid != 1234 || st.Gid != 5678) {
		t.Errorf("after SetKey(%s): target owner %d:%d, want 1234:5678 kept", link, st.Uid, st.Gid)
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Errorf("after SetKey(%s): %s holds %d entries, want 1 (no temporary file left)", link, filepath.Dir(target), len(entries))
	}
}
