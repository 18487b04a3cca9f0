package runstate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// IsProgram reports whether pid is alive and runs program comm (as the
// kernel shows it, cut to 15 bytes).
func IsProgram(pid int, comm string) bool {
	if !Alive(pid) {
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

// Alive reports whether pid runs. A zombie (ended, not yet reaped by its
// parent) does not: it does nothing more, and a signal to it is lost.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) S …: the state follows the last ')', as comm may hold
	// one.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// Cmdline is pid's command line, one argument each (nil when the process
// is gone or shows none).
func Cmdline(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || len(b) == 0 {
		return nil
	}
	return strings.Split(string(bytes.TrimRight(b, "\x00")), "\x00")
}
