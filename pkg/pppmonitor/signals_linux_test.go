package pppmonitor

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestIntegrationSIGHUPIgnored: SIGHUP (a closed terminal, a reload by
// habit) is logged and ignored, as by the wrapper; the monitor goes on
// and keeps its pidfile.
func TestIntegrationSIGHUPIgnored(t *testing.T) {
	c := netnstestChain(t)
	dir := t.TempDir()
	wrapper(t, dir)
	m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2"))
	m.log.want(t, "succeeded.", 5*time.Second)
	m.cmd.Process.Signal(syscall.SIGHUP)
	m.log.want(t, "ppp_monitor: SIGHUP ignored: ", 3*time.Second)
	m.log.want(t, "succeeded.", 3*time.Second)
	m.cmd.Process.Signal(syscall.SIGTERM)
	if code := m.exit(t, 3*time.Second); code != 0 {
		t.Errorf("monitor stopped by SIGTERM after a SIGHUP exited %d, want 0", code)
	}
}

// TestIntegrationClosedStderr: with stderr a pipe nobody reads any more
// (a terminal's pipeline ended), writing a log line raises SIGPIPE; the
// monitor must go on watching and still drop the dead link.
func TestIntegrationClosedStderr(t *testing.T) {
	c := netnstestChain(t)
	dir := t.TempDir()
	w, ours := ourLink(t, dir, "ppp0")
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	r, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	cmd := c.Command(c.Router, program(t, dir, tool), "--foreground", "--root", dir, "--config", monitorConfig(t, dir, c, "10.200.1.2"), "ppp0")
	cmd.Env = append(os.Environ(), "PPPD_PID="+strconv.Itoa(ours.cmd.Process.Pid))
	cmd.Stderr = wr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wr.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill(); <-done })
	w.signalAt(t, "USR1", bound+5*time.Second)
	select {
	case err := <-done:
		done <- err
		if ee, ok := err.(interface{ ExitCode() int }); !ok || ee.ExitCode() != 1 {
			t.Errorf("monitor of a dead link with a closed stderr ended with %v, want exit 1", err)
		}
	case <-time.After(3 * time.Second):
		t.Errorf("monitor did not end after dropping the link")
	}
}
