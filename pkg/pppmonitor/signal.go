package pppmonitor

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

const wrapperName = runstate.WrapperProgram

// liveWrapper is the pid of the running ppp_wrapper, when one runs.
func liveWrapper(root string) (int, bool) {
	return runstate.ReadLive(runstate.WrapperPidfile(root), wrapperName)
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
	files := runstate.PPPDPidfiles(root, l.iface)
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
	path := runstate.MonitorPidfile(root, iface)
	pid, live := runstate.ReadLive(path, tool)
	if !live {
		log.Infof("no PPP monitor running for %s", iface)
		return
	}
	// A pidfile left by a killed monitor may name a pid used since by the
	// monitor of another interface: that one is not ours to stop.
	if other := runstate.MonitorIface(pid); other != iface {
		log.Infof("no PPP monitor running for %s (%s names pid %d, the monitor of %s)", iface, path, pid, other)
		return
	}
	// The ip-down hook logs the vendor's "Terminate PPP monitor." (docs/vendor-behaviour.md §R4); this line
	// says which process it was.
	log.Infof("stopping the PPP monitor of %s (pid %d)", iface, pid)
	p, err := runstate.Open(pid)
	if err != nil {
		return // it has just ended
	}
	defer p.Close()
	killed, err := p.Stop(stopTimeout, time.Second, nil)
	switch {
	case err != nil && !errors.Is(err, syscall.ESRCH):
		log.Warnf("cannot stop the monitor (pid %d): %v", pid, err)
	case killed:
		log.Warnf("the monitor (pid %d) did not stop within %s: killed it", pid, seconds(stopTimeout))
	}
}
