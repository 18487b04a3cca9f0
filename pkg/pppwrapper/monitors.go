package pppwrapper

import (
	"os"
	"syscall"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// stopMonitors ends any ppp_monitor left running: normally pppd's ip-down
// hook stops it, but not when pppd had to be killed.
func stopMonitors(root string, log *logging.Logger) {
	for _, m := range runstate.Monitors(root) {
		stopMonitor(m, log)
	}
}

// stopMonitor sends SIGTERM to the monitor of m when it runs (without
// waiting for it to end), and removes m's pidfile when it is stale: its
// pid gone, or now another program's or another interface's monitor's.
func stopMonitor(m runstate.MonitorEntry, log *logging.Logger) {
	pid, live := runstate.ReadLive(m.Path, runstate.MonitorProgram)
	if !live || runstate.MonitorIface(pid) != m.Iface {
		os.Remove(m.Path)
		return
	}
	p, err := runstate.Open(pid)
	if err != nil {
		return // it has just ended
	}
	defer p.Close()
	log.Infof("stopping the monitor of %s (pid %d) left running", m.Iface, pid)
	p.Signal(syscall.SIGTERM)
}
