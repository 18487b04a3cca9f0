package modem

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// lockDir is where pppd and the other UUCP-style programs (minicom, cu)
// keep their tty lock files, relative to the root.
const lockDir = "var/lock"

// BusyError is the error of LockTTY when another live process holds the
// tty's lock file.
type BusyError struct {
	PID  int    // the process that holds the lock
	Path string // the lock file
}

func (e *BusyError) Error() string {
	tty := strings.TrimPrefix(filepath.Base(e.Path), "LCK..")
	return fmt.Sprintf("%s is in use by pid %d (%s)", tty, e.PID, e.Path)
}

// LockTTY takes the UUCP lock of tty ("ttyACM0" or "/dev/ttyACM0") the way
// pppd does with its lock option (pppd(8)): the file
// root/var/lock/LCK..<basename of tty>, created exclusively and holding our
// pid as ten characters and a newline ("%10d\n", the HDB form). While we
// hold it pppd refuses the tty ("Device ttyACM0 is locked by pid N", exit
// status 6, docs/pppd-and-chat.md §1), and we refuse a tty that pppd or
// another program holds, this process included: that is a *BusyError. A
// lock file whose process is gone, or that holds no pid, is stale: LockTTY
// removes it and takes the lock. An empty root is "/".
//
// unlock removes the file if it still holds our pid, so that it never
// removes a lock another process took after ours was removed; it may be
// called more than once. Release the lock before starting pppd on the tty.
func LockTTY(root, tty string) (unlock func(), err error) {
	if root == "" {
		root = "/"
	}
	name := filepath.Base(tty)
	if strings.HasSuffix(tty, "/") || name == "." || name == "/" {
		return nil, fmt.Errorf("modem: lock %q: not a tty name", tty)
	}
	dir := filepath.Join(root, lockDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("modem: lock %s: %w", name, err)
	}
	path := filepath.Join(dir, "LCK.."+name)
	pid := os.Getpid()

	// A few rounds: a stale file we remove may be replaced by another
	// process's lock before we create ours.
	for range 5 {
		err := createLock(path, pid)
		if err == nil {
			var once sync.Once
			return func() { once.Do(func() { removeOwnLock(path, pid) }) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("modem: lock %s: %w", name, err)
		}
		holder, fi, err := readLock(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("modem: lock %s: %w", name, err)
		}
		// A holder that is a zombie has ended: its lock is stale.
		if holder > 0 && runstate.Alive(holder) {
			return nil, &BusyError{PID: holder, Path: path}
		}
		// Stale. Remove it only if it is still the file we read, so that a
		// lock another process has just put in its place survives.
		if now, err := os.Stat(path); err == nil && os.SameFile(fi, now) {
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("modem: lock %s: remove stale lock: %w", name, err)
			}
		}
	}
	return nil, fmt.Errorf("modem: lock %s: %s keeps coming back", name, path)
}

// createLock creates path exclusively and writes pid into it in the HDB
// form pppd writes and reads.
func createLock(path string, pid int) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	// Readable by all whatever the umask: other users' programs must be able
	// to see who holds the tty.
	_, err = fmt.Fprintf(f, "%10d\n", pid)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// readLock returns the pid in the lock file at path, 0 when it holds none,
// and the file's identity. A file just created by another process may not
// have its pid yet: an empty one is read again after a moment.
func readLock(path string) (int, os.FileInfo, error) {
	for try := 0; ; try++ {
		f, err := os.Open(path)
		if err != nil {
			return 0, nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return 0, nil, err
		}
		buf := make([]byte, 64)
		n, err := f.Read(buf)
		f.Close()
		if n == 0 && try < 3 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if err != nil && n == 0 && !errors.Is(err, io.EOF) {
			return 0, nil, err
		}
		return parseLockPID(buf[:n]), fi, nil
	}
}

// parseLockPID reads the pid of an HDB lock ("      1234\n"); anything
// else, binary pids of old UUCP included, gives 0.
func parseLockPID(b []byte) int {
	s := strings.TrimSpace(string(b))
	pid, err := strconv.Atoi(s)
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// removeOwnLock removes path if it holds pid.
func removeOwnLock(path string, pid int) {
	b, err := os.ReadFile(path)
	if err != nil || parseLockPID(b) != pid {
		return
	}
	os.Remove(path)
}
