package runstate

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Process is another process (not our child) that we signal and wait
// for: a monitor to stop, a pppd left by an earlier wrapper. It holds a
// pidfd where the kernel has them (Linux 5.3), so a signal can never reach
// a process that took the pid over meanwhile, and waiting needs no
// polling; on older kernels it goes by pid.
type Process struct {
	pid int
	fd  int // -1 without a pidfd
}

// Open takes hold of pid; an error (ESRCH) when no process has it. Checks
// made of pid after Open (IsProgram, Cmdline) are of the process held
// when a Signal afterwards succeeds.
func Open(pid int) (*Process, error) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err == nil {
		return &Process{pid: pid, fd: fd}, nil
	}
	if !errors.Is(err, unix.ESRCH) {
		// No pidfds here: by pid.
		err = syscall.Kill(pid, 0)
		if err == nil || errors.Is(err, syscall.EPERM) {
			return &Process{pid: pid, fd: -1}, nil
		}
	}
	return nil, fmt.Errorf("runstate: pid %d: %w", pid, err)
}

// Close lets the process go.
func (p *Process) Close() error {
	if p.fd < 0 {
		return nil
	}
	err := unix.Close(p.fd)
	p.fd = -1
	return err
}

// Signal sends sig to the process.
func (p *Process) Signal(sig syscall.Signal) error {
	if p.fd >= 0 {
		return unix.PidfdSendSignal(p.fd, sig, nil, 0)
	}
	return syscall.Kill(p.pid, sig)
}

// Wait reports whether the process has ended within d.
func (p *Process) Wait(d time.Duration) bool {
	end := time.Now().Add(d)
	if p.fd >= 0 {
		fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
		for {
			left := time.Until(end)
			if left <= 0 {
				return false
			}
			n, err := unix.Poll(fds, int(left.Milliseconds())+1)
			if err == nil {
				return n > 0
			}
			if !errors.Is(err, unix.EINTR) {
				break
			}
		}
	}
	// Without a pidfd (or a poll that failed): look every 50 ms.
	for ; time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if !Alive(p.pid) {
			return true
		}
	}
	return !Alive(p.pid)
}

// Stop ends the process: SIGTERM, then, if it is still there after grace,
// SIGKILL and up to killWait more for it to go. termSent runs once SIGTERM
// has reached it (for a log line that is true only then); killed says
// whether SIGKILL was needed. err is SIGTERM's: the process had ended
// (ESRCH), or is not ours to signal.
func (p *Process) Stop(grace, killWait time.Duration, termSent func()) (killed bool, err error) {
	if err := p.Signal(syscall.SIGTERM); err != nil {
		return false, err
	}
	if termSent != nil {
		termSent()
	}
	if p.Wait(grace) {
		return false, nil
	}
	p.Signal(syscall.SIGKILL)
	p.Wait(killWait)
	return true, nil
}
