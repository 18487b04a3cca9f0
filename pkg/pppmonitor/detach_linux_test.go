package pppmonitor

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// monitorsUnder are the pids of the ppp_monitor processes whose command
// line names dir (each test has its own).
func monitorsUnder(dir string) []int {
	var pids []int
	all, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range all {
		b, err := os.ReadFile(f)
		if err != nil || !strings.Contains(string(b), "\x00"+dir+"\x00") {
			continue
		}
		pid, _ := strconv.Atoi(strings.Split(f, "/")[2])
		if runstate.IsProgram(pid, tool) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestIntegrationDetachForegroundFalse: --foreground=false, a form --help
// offers, detaches once: one daemon, exit 0 (it used to run itself again
// and again).
func TestIntegrationDetachForegroundFalse(t *testing.T) {
	c := netnstestChain(t)
	dir := t.TempDir()
	t.Cleanup(func() {
		// Whatever was started, however many.
		for range 50 {
			pids := monitorsUnder(dir)
			if len(pids) == 0 {
				return
			}
			for _, pid := range pids {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	cfg := monitorConfig(t, dir, c, "10.200.1.2")
	code, _, stderr := runTool(t, c, dir, "--foreground=false", "--root", dir, "--config", cfg, "ppp0")
	if code != 0 || stderr != "" {
		t.Fatalf("ppp_monitor --foreground=false ppp0 = exit %d, %q; want 0 and nothing on stderr", code, stderr)
	}
	pids := monitorsUnder(dir)
	pid, live := runstate.ReadLive(runstate.MonitorPidfile(dir, "ppp0"), tool)
	if len(pids) != 1 || !live || pids[0] != pid {
		t.Errorf("after --foreground=false: monitors %v, pidfile pid %d (live %v); want exactly one, the pidfile's", pids, pid, live)
	}

	// A second one detaches too, fails in the child, and the caller
	// (the ip-up hook) gets the child's exit code and message.
	code, _, stderr = runTool(t, c, dir, "--root", dir, "--config", cfg, "ppp0")
	want := "a monitor for ppp0 is already running (pid " + strconv.Itoa(pid) + ","
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("a second detached ppp_monitor ppp0 = exit %d, %q; want 1 and %q", code, stderr, want)
	}
	if pids := monitorsUnder(dir); len(pids) != 1 {
		t.Errorf("after the second start: monitors %v; want only the first", pids)
	}
}
