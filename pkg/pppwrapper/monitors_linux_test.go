package pppwrapper

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// When the wrapper stops, a monitor still running is stopped, and the
// pidfile of one that is gone (here it names the test, not a monitor) is
// removed.
func TestIntegrationStopMonitorsEndsLiveRemovesStale(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("skipping: sleep is not installed")
	}
	root := t.TempDir()
	// A stand-in the kernel calls ppp_monitor.
	standIn := filepath.Join(t.TempDir(), runstate.MonitorProgram)
	b, err := os.ReadFile(sleep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(standIn, b, 0o755); err != nil {
		t.Fatal(err)
	}
	mon := exec.Command(standIn, "60")
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Process.Kill() })
	ended := make(chan struct{})
	go func() { mon.Wait(); close(ended) }()

	live, stale := runstate.MonitorPidfile(root, "ppp0"), runstate.MonitorPidfile(root, "ppp1")
	os.MkdirAll(filepath.Dir(live), 0o755)
	os.WriteFile(live, []byte(strconv.Itoa(mon.Process.Pid)+"\n"), 0o644)
	os.WriteFile(stale, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)

	var out bytes.Buffer
	stopMonitors(root, logging.Discard(tool, &out))
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Errorf("stopMonitors(%s): the monitor of ppp0 (pid %d) still runs, want it stopped", root, mon.Process.Pid)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stopMonitors(%s): stale %s is still there (%v), want it removed", root, stale, err)
	}
	if want := "stopping the monitor of ppp0 (pid " + strconv.Itoa(mon.Process.Pid) + ") left running"; !strings.Contains(out.String(), want) {
		t.Errorf("stopMonitors(%s) logged %q, want a line %q", root, out.String(), want)
	}
	if strings.Contains(out.String(), "ppp1") {
		t.Errorf("stopMonitors(%s) logged %q, want nothing of the stale ppp1", root, out.String())
	}
}
