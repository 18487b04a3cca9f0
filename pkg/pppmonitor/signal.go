package pppmonitor

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

const wrapperName = "ppp_wrapper"

// liveWrapper is the pid of the running ppp_wrapper, when one runs.
func liveWrapper(root string) (int, bool) {
	return runstate.ReadLive(runstate.Pidfile(root, wrapperName), wrapperName)
}

// linkUp tells the wrapper that its link is up (SIGUSR2), when one runs.
func linkUp(log *logging.Logger, o owner, iface string) {
	if o.wrapper == 0 {
		log.Infof("no ppp_wrapper running: link-up on %s not signalled", iface)
		return
	}
	if err := syscall.Kill(o.wrapper, syscall.SIGUSR2); err != nil {
		log.Warnf("cannot signal link-up to ppp_wrapper (pid %d): %v", o.wrapper, err)
	}
}

// pppdPidfiles are where pppd 2.4 and 2.5 write their pid.
func pppdPidfiles(root, iface string) []string {
	return []string{
		filepath.Join(root, "/var/run", iface+".pid"),
		filepath.Join(root, "/var/run/pppd", iface+".pid"),
	}
}

// dropLink ends the dead link: SIGUSR1 to the wrapper when it is the
// wrapper's link, which reconnects (and counts the failure); otherwise
// SIGTERM to the link's pppd, from its pidfile, when that is the pppd of
// this link.
func dropLink(log *logging.Logger, root string, l link) error {
	o := ownerOf(root, l)
	if o.ours {
		if err := syscall.Kill(o.wrapper, syscall.SIGUSR1); err != nil {
			return fmt.Errorf("cannot signal ppp_wrapper (pid %d): %w", o.wrapper, err)
		}
		log.Infof("asked ppp_wrapper (pid %d) to drop and rebuild the link (SIGUSR1)", o.wrapper)
		return nil
	}
	who := "no ppp_wrapper running"
	if o.wrapper != 0 {
		who = o.why + ", so not the wrapper's to drop"
	}
	files := pppdPidfiles(root, l.iface)
	for _, f := range files {
		pid, ok := runstate.ReadLive(f, "pppd")
		if !ok {
			continue
		}
		if l.pppd > 0 && pid != l.pppd {
			return fmt.Errorf("%s, and %s names pppd %d, not this link's pppd %d (%s): cannot drop the link", who, f, pid, l.pppd, l.from)
		}
		if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
			return fmt.Errorf("cannot signal pppd (pid %d): %w", pid, err)
		}
		log.Infof("%s: sent SIGTERM to pppd (pid %d, from %s)", who, pid, f)
		return nil
	}
	return fmt.Errorf("%s and no live pppd in %s: cannot drop the link", who, strings.Join(files, " or "))
}

// stopTimeout bounds the wait of --stop for the monitor to end. pppd
// waits 5 s (its child-timeout) for the ip-down hook that runs --stop:
// stay well inside that.
const stopTimeout = 3 * time.Second

// stopMonitor ends the live monitor of iface (SIGTERM, then SIGKILL if it
// is still there after stopTimeout). No monitor is no error.
func stopMonitor(log *logging.Logger, root, iface string) {
	path := runstate.Pidfile(root, tool+"."+iface)
	pid, live := runstate.ReadLive(path, tool)
	if !live {
		log.Infof("no PPP monitor running for %s", iface)
		return
	}
	// A pidfile left by a killed monitor may name a pid used since by the
	// monitor of another interface: that one is not ours to stop.
	if other := monitorIface(pid); other != iface {
		log.Infof("no PPP monitor running for %s (%s names pid %d, the monitor of %s)", iface, path, pid, other)
		return
	}
	// The ip-down hook logs the vendor's "Terminate PPP monitor." (docs/vendor-behaviour.md §R4); this line
	// says which process it was.
	log.Infof("stopping the PPP monitor of %s (pid %d)", iface, pid)
	p := openProcess(pid)
	defer p.close()
	if err := p.signal(syscall.SIGTERM); err != nil {
		if !errors.Is(err, syscall.ESRCH) {
			log.Warnf("cannot stop the monitor (pid %d): %v", pid, err)
		}
		return
	}
	if p.wait(stopTimeout) {
		return
	}
	log.Warnf("the monitor (pid %d) did not stop within %s: killing it", pid, seconds(stopTimeout))
	p.signal(syscall.SIGKILL)
	p.wait(time.Second)
}

// process is a process we signal and wait for, by pidfd where the kernel
// has them (Linux 5.3: no pid reuse race, no polling), else by pid.
type process struct {
	pid int
	fd  int // -1 without a pidfd
}

func openProcess(pid int) *process {
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		fd = -1
	}
	return &process{pid: pid, fd: fd}
}

func (p *process) close() {
	if p.fd >= 0 {
		unix.Close(p.fd)
	}
}

func (p *process) signal(sig syscall.Signal) error {
	if p.fd >= 0 {
		return unix.PidfdSendSignal(p.fd, sig, nil, 0)
	}
	return syscall.Kill(p.pid, sig)
}

// wait reports whether the process ended within d.
func (p *process) wait(d time.Duration) bool {
	if p.fd >= 0 {
		fds := []unix.PollFd{{Fd: int32(p.fd), Events: unix.POLLIN}}
		end := time.Now().Add(d)
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
	// Kernels before 5.3: look every 50 ms. A zombie has ended too.
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if !alive(p.pid) {
			return true
		}
	}
	return !alive(p.pid)
}

func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// pid (comm) S …: the state follows the last ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
