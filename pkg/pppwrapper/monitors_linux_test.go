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

// monitorStandIn starts a process the kernel calls ppp_monitor, whose
// command line ends with iface as a monitor's does, for the test's life.
// ended is closed when it has ended.
func monitorStandIn(t *testing.T, iface string) (pid int, ended chan struct{}) {
	t.Helper()
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("skipping: sleep is not installed")
	}
	standIn := filepath.Join(t.TempDir(), runstate.MonitorProgram)
	if err := os.WriteFile(standIn, []byte("#!/bin/sh\nsleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	mon := exec.Command(standIn, iface)
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mon.Process.Kill() })
	ended = make(chan struct{})
	go func() { mon.Wait(); close(ended) }()
	deadline := time.Now().Add(5 * time.Second)
	for !runstate.IsProgram(mon.Process.Pid, runstate.MonitorProgram) {
		if time.Now().After(deadline) {
			t.Fatalf("the stand-in (pid %d) is not called %s", mon.Process.Pid, runstate.MonitorProgram)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return mon.Process.Pid, ended
}

func writePidfile(t *testing.T, path string, pid int) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// When the wrapper stops, a monitor still running is stopped, and the
// pidfile of one that is gone (here it names the test, not a monitor) is
// removed.
func TestIntegrationStopMonitorsEndsLiveRemovesStale(t *testing.T) {
	root := t.TempDir()
	pid, ended := monitorStandIn(t, "ppp0")
	live, stale := runstate.MonitorPidfile(root, "ppp0"), runstate.MonitorPidfile(root, "ppp1")
	writePidfile(t, live, pid)
	writePidfile(t, stale, os.Getpid())

	var out bytes.Buffer
	stopMonitors(root, logging.Discard(tool, &out))
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Errorf("stopMonitors(%s): the monitor of ppp0 (pid %d, command line %q, a %s: %v) still runs, want it stopped; log %q",
			root, pid, runstate.Cmdline(pid), runstate.MonitorProgram, runstate.IsProgram(pid, runstate.MonitorProgram), out.String())
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stopMonitors(%s): stale %s is still there (%v), want it removed", root, stale, err)
	}
	if want := "stopping the monitor of ppp0 (pid " + strconv.Itoa(pid) + ") left running"; !strings.Contains(out.String(), want) {
		t.Errorf("stopMonitors(%s) logged %q, want a line %q", root, out.String(), want)
	}
	if strings.Contains(out.String(), "ppp1") {
		t.Errorf("stopMonitors(%s) logged %q, want nothing of the stale ppp1", root, out.String())
	}
}

// A pidfile left by a killed monitor of ppp1 whose pid is now the monitor
// of ppp2 (not the wrapper's to stop here: no ppp2 pidfile is listed) is
// stale for ppp1: removed, and ppp2's monitor goes on.
func TestIntegrationStopMonitorsSparesAnotherInterfacesMonitor(t *testing.T) {
	root := t.TempDir()
	pid, ended := monitorStandIn(t, "ppp2")
	stale := runstate.MonitorPidfile(root, "ppp1")
	writePidfile(t, stale, pid)

	var out bytes.Buffer
	stopMonitors(root, logging.Discard(tool, &out))
	select {
	case <-ended:
		t.Errorf("stopMonitors(%s) stopped pid %d, the monitor of ppp2, for ppp1's stale pidfile", root, pid)
	case <-time.After(500 * time.Millisecond):
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stopMonitors(%s): stale %s is still there (%v), want it removed", root, stale, err)
	}
	if out.Len() != 0 {
		t.Errorf("stopMonitors(%s) logged %q, want nothing", root, out.String())
	}
}
