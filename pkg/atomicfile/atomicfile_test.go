package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWriteReplacesContentAndMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secrets")
	if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new\n"), 0o600); err != nil {
		t.Fatalf("Write = %v, want nil", err)
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != "new\n" || fi.Mode().Perm() != 0o600 {
		t.Errorf("after Write: content %q mode %v, want %q mode 0600", got, fi.Mode().Perm(), "new\n")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after Write, want 1 (no temporary file left)", len(entries))
	}
}

func TestReplaceIfChangedLeavesSameFileAlone(t *testing.T) {
	p := filepath.Join(t.TempDir(), "peers")
	if _, wrote, err := ReplaceIfChanged(p, []byte("a\n"), 0o644); err != nil || !wrote {
		t.Fatalf("ReplaceIfChanged(new file) = %v, %v, want true, nil", wrote, err)
	}
	old := time.Unix(1, 0)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(p)
	if _, wrote, err := ReplaceIfChanged(p, []byte("a\n"), 0o644); err != nil || wrote {
		t.Fatalf("ReplaceIfChanged(same content) = %v, %v, want false, nil", wrote, err)
	}
	after, _ := os.Stat(p)
	if !after.ModTime().Equal(before.ModTime()) || !os.SameFile(before, after) {
		t.Errorf("ReplaceIfChanged(same content) touched the file")
	}
	if _, wrote, err := ReplaceIfChanged(p, []byte("a\n"), 0o600); err != nil || !wrote {
		t.Errorf("ReplaceIfChanged(same content, other mode) = %v, %v, want true, nil", wrote, err)
	}
}

func TestWriteFailsWithoutDirectory(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing", "file")
	if err := Write(p, []byte("x"), 0o644); err == nil {
		t.Errorf("Write(%s) = nil, want an error", p)
	}
}
