package modem_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func lockPath(root, tty string) string { return filepath.Join(root, "var", "lock", "LCK.."+tty) }

// hdb is the content of a lock file for pid as printf(1) writes it with
// "%10d\n", the form pppd writes and reads; fmt's %10d is checked against
// the shell's printf where there is one.
func hdb(t *testing.T, pid int) string {
	t.Helper()
	want := fmt.Sprintf("%10d\n", pid)
	if out, err := exec.Command("printf", `%10d\n`, fmt.Sprint(pid)).Output(); err == nil && string(out) != want {
		t.Fatalf("printf '%%10d\\n' %d = %q, fmt gives %q", pid, out, want)
	}
	return want
}

// livePID starts a process that lives until the test ends.
func livePID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("sleep", "600")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start sleep for a live pid: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd.Process.Pid
}

// deadPID returns the pid of a process that has ended and been reaped.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true for a dead pid: %v", err)
	}
	return cmd.Process.Pid
}

func TestLockTTYFresh(t *testing.T) {
	root := t.TempDir() // no var/lock yet
	unlock, err := modem.LockTTY(root, "/dev/ttyACM0")
	if err != nil {
		t.Fatalf("LockTTY() = %v", err)
	}
	path := lockPath(root, "ttyACM0")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no lock file: %v", err)
	}
	if want := hdb(t, os.Getpid()); string(b) != want {
		t.Errorf("lock file holds %q, want %q", b, want)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("lock file mode = %v, %v, want -rw-r--r--", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("lock directory mode = %v, %v, want drwxr-xr-x", fi.Mode(), err)
	}

	// Taken once, the tty is busy, for this process too.
	_, err = modem.LockTTY(root, "ttyACM0")
	var busy *modem.BusyError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || busy.Path != path {
		t.Errorf("second LockTTY() = %v, want a *BusyError for pid %d at %s", err, os.Getpid(), path)
	}

	unlock()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after unlock, stat lock file = %v, want it gone", err)
	}
	unlock() // a second call does nothing
	unlock2, err := modem.LockTTY(root, "ttyACM0")
	if err != nil {
		t.Fatalf("LockTTY() after unlock = %v", err)
	}
	unlock2()
}

// zombiePID returns the pid of a child that has ended and is not reaped
// until the test ends.
func zombiePID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot run true for a zombie pid: %v", err)
	}
	t.Cleanup(func() { cmd.Wait() })
	pid := cmd.Process.Pid
	for range 500 {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil && strings.Contains(string(b), ") Z ") {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("pid %d did not become a zombie", pid)
	return 0
}

func TestLockTTYBusy(t *testing.T) {
	root := t.TempDir()
	pid := livePID(t)
	path := lockPath(root, "ttyUSB2")
	os.MkdirAll(filepath.Dir(path), 0o755)
	held := hdb(t, pid)
	if err := os.WriteFile(path, []byte(held), 0o644); err != nil {
		t.Fatal(err)
	}
	unlock, err := modem.LockTTY(root, "ttyUSB2")
	if err == nil {
		unlock()
		t.Fatal("LockTTY() of a tty held by a live process = nil error")
	}
	var busy *modem.BusyError
	if !errors.As(err, &busy) || busy.PID != pid || busy.Path != path {
		t.Fatalf("LockTTY() = %#v, want a *BusyError{PID: %d, Path: %q}", err, pid, path)
	}
	if want := fmt.Sprintf("ttyUSB2 is in use by pid %d (%s)", pid, path); err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if b, _ := os.ReadFile(path); string(b) != held {
		t.Errorf("the holder's lock file now holds %q, want it untouched (%q)", b, held)
	}
}

// The parent of the test binary (go test) is alive, and a process we did
// not start holds the lock as well as one we did.
func TestLockTTYBusyByParent(t *testing.T) {
	root := t.TempDir()
	path := lockPath(root, "ttyACM0")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte(hdb(t, os.Getppid())), 0o644)
	var busy *modem.BusyError
	if _, err := modem.LockTTY(root, "ttyACM0"); !errors.As(err, &busy) || busy.PID != os.Getppid() {
		t.Errorf("LockTTY() = %v, want a *BusyError for pid %d", err, os.Getppid())
	}
}

func TestLockTTYStale(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content string
	}{
		{"dead pid", ""},   // filled in below
		{"zombie pid", ""}, // ended, not yet reaped: it holds nothing
		{"garbage", "not a pid\n"},
		{"pid 0", fmt.Sprintf("%10d\n", 0)},
		{"negative", "        -1\n"},
		{"binary bytes", "\x39\x30\x00\x00"},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			path := lockPath(root, "ttyLISA0")
			os.MkdirAll(filepath.Dir(path), 0o755)
			content := tc.content
			switch tc.name {
			case "dead pid":
				content = hdb(t, deadPID(t))
			case "zombie pid":
				content = hdb(t, zombiePID(t))
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			unlock, err := modem.LockTTY(root, "ttyLISA0")
			if err != nil {
				t.Fatalf("LockTTY() over a stale lock (%q) = %v, want the lock", content, err)
			}
			defer unlock()
			if b, _ := os.ReadFile(path); string(b) != hdb(t, os.Getpid()) {
				t.Errorf("lock file holds %q, want our pid %q", b, hdb(t, os.Getpid()))
			}
		})
	}
}

// unlock leaves alone a lock that is no longer ours: ours was removed (by
// hand, or as stale by someone who thought us dead) and another process
// took the tty.
func TestUnlockLeavesOthersLock(t *testing.T) {
	root := t.TempDir()
	unlock, err := modem.LockTTY(root, "ttyACM0")
	if err != nil {
		t.Fatal(err)
	}
	path := lockPath(root, "ttyACM0")
	other := hdb(t, livePID(t))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	unlock()
	if b, err := os.ReadFile(path); err != nil || string(b) != other {
		t.Errorf("after unlock the other process's lock file = %q, %v, want %q", b, err, other)
	}
}

func TestLockTTYErrors(t *testing.T) {
	root := t.TempDir()
	// var/lock cannot be made: var is a file.
	if err := os.WriteFile(filepath.Join(root, "var"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := modem.LockTTY(root, "ttyACM0")
	var busy *modem.BusyError
	if err == nil || errors.As(err, &busy) || !strings.HasPrefix(err.Error(), "modem: lock ttyACM0: ") {
		t.Errorf("LockTTY() with var a file = %v, want a 'modem: lock ttyACM0:' error that is not busy", err)
	}
	for _, tty := range []string{"", "/", "/dev/"} {
		if unlock, err := modem.LockTTY(t.TempDir(), tty); err == nil {
			unlock()
			t.Errorf("LockTTY(%q) = nil error, want one", tty)
		}
	}
}
