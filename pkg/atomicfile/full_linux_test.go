package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A full file system: the write fails with a message that names the file
// once, and the old file is still there, whole.
func TestIntegrationWriteFullFileSystem(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root; the full file system case is not checked")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16k"); err != nil {
		t.Skipf("cannot mount a tmpfs on %s (%v); the full file system case is not checked", dir, err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	p := filepath.Join(dir, "chap-secrets")
	if err := os.WriteFile(p, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := Write(p, make([]byte, 256<<10), 0o600)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Write(%s, 256 KiB on a 16 KiB tmpfs) = %v, want ENOSPC", p, err)
	}
	if msg := err.Error(); strings.Count(msg, dir) != 1 || strings.Count(msg, "no space left on device") != 1 {
		t.Errorf("Write(%s) error = %q, want the path and the cause once each", p, msg)
	}
	if got, _ := os.ReadFile(p); string(got) != "old\n" {
		t.Errorf("after a failed Write, %s holds %q, want the old content", p, got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after a failed Write, %s holds %d entries, want 1 (no temporary file left)", dir, len(entries))
	}
}
