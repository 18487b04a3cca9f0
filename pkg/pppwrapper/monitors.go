package pppwrapper

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// stopMonitors ends any ppp_monitor left running: normally pppd's ip-down
// hook stops it, but not when pppd had to be killed.
func stopMonitors(root string, log *logging.Logger) {
	files, _ := filepath.Glob(filepath.Join(root, runstate.Dir, "ppp_monitor.*.pid"))
	for _, f := range files {
		if pid, live := runstate.ReadLive(f, "ppp_monitor"); live {
			iface := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "ppp_monitor."), ".pid")
			log.Infof("stopping the monitor of %s (pid %d) left running", iface, pid)
			syscall.Kill(pid, syscall.SIGTERM)
		} else {
			os.Remove(f)
		}
	}
}
