package runstate

import (
	"path/filepath"
	"strings"
)

// The programs whose pidfiles live in Dir, by the name the kernel shows
// in /proc/PID/comm.
const (
	WrapperProgram = "ppp_wrapper"
	MonitorProgram = "ppp_monitor"
)

// WrapperPidfile is the pidfile of the one ppp_wrapper under root.
func WrapperPidfile(root string) string {
	return Pidfile(root, WrapperProgram)
}

// MonitorPidfile is the pidfile of the ppp_monitor of iface under root:
// one monitor per interface.
func MonitorPidfile(root, iface string) string {
	return Pidfile(root, MonitorProgram+"."+iface)
}

// MonitorEntry is a monitor's pidfile found under root: the interface it
// watches and the file's path. The file may be stale: ReadLive tells.
type MonitorEntry struct {
	Iface string
	Path  string
}

// Monitors are the monitor pidfiles under root, by interface name.
func Monitors(root string) []MonitorEntry {
	prefix, suffix := MonitorProgram+".", ".pid"
	files, _ := filepath.Glob(filepath.Join(root, Dir, prefix+"*"+suffix))
	var entries []MonitorEntry
	for _, f := range files {
		iface := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), prefix), suffix)
		entries = append(entries, MonitorEntry{Iface: iface, Path: f})
	}
	return entries
}

// PPPDPidfiles are where pppd writes its pid for the link on iface, under
// root: /var/run/IFACE.pid (pppd 2.4) and /var/run/pppd/IFACE.pid (2.5).
// With iface "*" they are patterns for every link's.
func PPPDPidfiles(root, iface string) []string {
	return []string{
		filepath.Join(root, "/var/run", iface+".pid"),
		filepath.Join(root, "/var/run/pppd", iface+".pid"),
	}
}

// MonitorIface is the interface that the ppp_monitor pid watches: the last
// argument of its command line ("" when unknown). A pidfile whose pid is
// now another interface's monitor is stale for its own interface.
func MonitorIface(pid int) string {
	args := Cmdline(pid)
	if len(args) == 0 {
		return ""
	}
	return args[len(args)-1]
}
