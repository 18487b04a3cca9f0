package metrics

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Every file a write creates in the directory, as inotify reports it: the
// temporary one must not end in .prom, or the collector could read it
// while it is being written.
func TestTheTemporaryFileIsNotAPromFile(t *testing.T) {
	dir := t.TempDir()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Skipf("inotify is not available (%v): the temporary file's name is not checked", err)
	}
	defer unix.Close(fd)
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_MOVED_TO); err != nil {
		t.Skipf("inotify cannot watch %s (%v): the temporary file's name is not checked", dir, err)
	}
	for range 2 { // a first write, and a replacement
		if err := WriteFile(dir, "pppkeep.prom", []byte("pppkeep_link_up 1\n")); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 64<<10)
	n, err := unix.Read(fd, buf)
	if err != nil {
		t.Fatalf("reading inotify events: %v", err)
	}
	var created, moved []string
	for off := 0; off+unix.SizeofInotifyEvent <= n; {
		ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
		name := string(bytes.TrimRight(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+int(ev.Len)], "\x00"))
		if ev.Mask&unix.IN_CREATE != 0 {
			created = append(created, name)
		}
		if ev.Mask&unix.IN_MOVED_TO != 0 {
			moved = append(moved, name)
		}
		off += unix.SizeofInotifyEvent + int(ev.Len)
	}
	if len(created) != 2 {
		t.Fatalf("the writes created %q in the directory, want 2 temporary files", created)
	}
	for _, name := range created {
		if strings.HasSuffix(name, ".prom") {
			t.Errorf("the temporary file %q ends in .prom: the collector would read it half-written", name)
		}
	}
	if len(moved) != 2 || moved[0] != "pppkeep.prom" || moved[1] != "pppkeep.prom" {
		t.Errorf("renamed into place: %q, want pppkeep.prom twice", moved)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "pppkeep.prom" {
		t.Errorf("%s holds %v after the writes, want pppkeep.prom alone", filepath.Base(dir), entries)
	}
}
