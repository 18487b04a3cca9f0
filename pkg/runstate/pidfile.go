package runstate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Dir is the run-state directory on the target system.
const Dir = "/run/pppkeep"

// Pidfile is the path of name's pidfile under root ("ppp_wrapper",
// "ppp_monitor.ppp0").
func Pidfile(root, name string) string {
	return filepath.Join(root, Dir, name+".pid")
}

// ErrRunning: a live process of the expected program holds the pidfile.
type ErrRunning struct {
	Path string
	PID  int
}

func (e *ErrRunning) Error() string {
	return fmt.Sprintf("runstate: %s: already running as pid %d", e.Path, e.PID)
}

// ReadLive returns the pid in path when that process is alive and is
// program comm.
func ReadLive(path, comm string) (int, bool) {
	pid, ok := ReadPid(path)
	if !ok {
		return 0, false
	}
	return pid, IsProgram(pid, comm)
}

// ReadPid is the pid on the first line of the pidfile path (ours or
// pppd's, which puts the interface on a second line), whatever runs it.
func ReadPid(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	return pid, err == nil && pid > 0
}

// claimSettle bounds how long a losing Claim waits for the holder's pid
// to appear in the file: the holder writes it just after taking the lock.
const claimSettle = time.Second

// Claim makes this process the holder of path, unless another one holds
// it (then *ErrRunning, naming it). The claim is an exclusive flock(2) on
// the pidfile, kept on a descriptor open for the life of the process: two
// processes can never both hold it, and it ends with the process, so a
// holder killed with SIGKILL leaves no stale claim. The file holds our pid
// and a newline, for ReadLive. The returned release removes the pidfile
// and ends the claim.
func Claim(path, comm string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("runstate: %w", err)
	}
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("runstate: %w", err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, &ErrRunning{Path: path, PID: holder(path, comm)}
			}
			return nil, fmt.Errorf("runstate: lock %s: %w", path, err)
		}
		// The holder before us may have removed the file between our open
		// and our lock: then our lock is on a file nobody else sees.
		if !samePath(f, path) {
			f.Close()
			continue
		}
		if err := writePid(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("runstate: %s: %w", path, err)
		}
		return func() {
			if samePath(f, path) {
				os.Remove(path)
			}
			f.Close()
		}, nil
	}
}

// samePath reports whether f is still the file at path.
func samePath(f *os.File, path string) bool {
	var a, b unix.Stat_t
	if unix.Fstat(int(f.Fd()), &a) != nil || unix.Stat(path, &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}

func writePid(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// holder is the pid of the process that holds path's claim, as the file
// says once the holder has written it (0 when it never does).
func holder(path, comm string) int {
	deadline := time.Now().Add(claimSettle)
	for {
		pid, live := ReadLive(path, comm)
		if live || time.Now().After(deadline) {
			return pid
		}
		time.Sleep(10 * time.Millisecond)
	}
}
