package runstate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
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
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, false
	}
	return pid, IsProgram(pid, comm)
}

// IsProgram reports whether pid is alive and runs program comm (as the
// kernel shows it, cut to 15 bytes).
func IsProgram(pid int, comm string) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return false
	}
	if len(comm) > 15 {
		comm = comm[:15]
	}
	return strings.TrimSpace(string(b)) == comm
}

// Claim writes our pid to path unless a live comm process holds it (then
// *ErrRunning). A stale pidfile is replaced. The returned release removes
// the pidfile if it is still ours.
func Claim(path, comm string) (release func(), err error) {
	if pid, live := ReadLive(path, comm); live && pid != os.Getpid() {
		return nil, &ErrRunning{Path: path, PID: pid}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("runstate: %w", err)
	}
	me := os.Getpid()
	if err := atomicfile.Write(path, []byte(strconv.Itoa(me)+"\n"), 0o644); err != nil {
		return nil, fmt.Errorf("runstate: %w", err)
	}
	return func() {
		if pid, _ := ReadLive(path, comm); pid == me {
			os.Remove(path)
		}
	}, nil
}
