package pppmonitor

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// otherLink adds ppp1 to the router namespace of c: another PPP link (a
// VPN, a PPPoE uplink), 10.201.1.1 towards 10.201.1.2 in the first hop.
func otherLink(t *testing.T, c *netnstest.Chain) {
	t.Helper()
	c.IP(t, c.Router, "link", "add", "ppp1", "type", "veth", "peer", "name", "v1", "netns", c.Hops[0].NS)
	c.IP(t, c.Router, "addr", "add", "10.201.1.1/24", "dev", "ppp1")
	c.IP(t, c.Router, "link", "set", "ppp1", "up")
	c.IP(t, c.Hops[0].NS, "addr", "add", "10.201.1.2/24", "dev", "v1")
	c.IP(t, c.Hops[0].NS, "link", "set", "v1", "up")
}

// startMonitorEnv starts `ppp_monitor --foreground … iface` in the router
// namespace with extra environment variables (pppd's, for its hooks).
func startMonitorEnv(t *testing.T, c *netnstest.Chain, dir, cfg, iface string, env ...string) *mon {
	t.Helper()
	cmd := c.Command(c.Router, program(t, dir, tool), "--foreground", "--root", dir, "--config", cfg, iface)
	cmd.Env = append(os.Environ(), env...)
	m := &mon{cmd: cmd, log: readLines(t, cmd, true), done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	m.log.started()
	go func() { m.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-m.done
	})
	return m
}

// TestIntegrationOtherLinkIsNotOurs: a second pppd runs ppp1 on the same
// box. Its monitor, told by pppd (PPPD_PID) or by that pppd's pidfile
// which pppd is its link's, leaves the wrapper alone: no link-up, no
// drop; the monitor of the wrapper's own pppd signals it.
func TestIntegrationOtherLinkIsNotOurs(t *testing.T) {
	c := netnstest.New(t, 1)
	otherLink(t, c)
	dir := t.TempDir()
	w, ours := ourLink(t, dir, "ppp0")
	theirs := startStandIn(t, dir, "pppd")
	writePidfile(t, filepath.Join(dir, "var/run/ppp1.pid"), theirs.cmd.Process.Pid)
	cfg := monitorConfig(t, dir, c, "10.201.1.2")
	want := fmt.Sprintf("ppp_monitor: ppp1 is not ppp_wrapper's link (its pppd is %d, the wrapper's is %d): not monitored",
		theirs.cmd.Process.Pid, ours.cmd.Process.Pid)

	for _, env := range [][]string{{"PPPD_PID=" + strconv.Itoa(theirs.cmd.Process.Pid), "IFNAME=ppp1"}, nil} {
		m := startMonitorEnv(t, c, dir, cfg, "ppp1", env...)
		if code := m.exit(t, 5*time.Second); code != 0 {
			t.Errorf("monitor of another link (environment %q) exited %d, want 0", env, code)
		}
		m.log.want(t, want, 0)
		if n := strings.Count(m.log.buf.String(), "not ppp_wrapper's link"); n != 1 {
			t.Errorf("the other link is reported %d times, want once; log:\n%s", n, m.log.buf)
		}
		if strings.Contains(m.log.buf.String(), "ping to") {
			t.Errorf("the other link was probed; log:\n%s", m.log.buf)
		}
	}
	w.out.none(t, "USR", 300*time.Millisecond)
	theirs.out.none(t, "TERM", 0)

	// The wrapper's own link, told by pppd.
	m := startMonitorEnv(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2"), "ppp0", "PPPD_PID="+strconv.Itoa(ours.cmd.Process.Pid))
	w.signalAt(t, "USR2", 5*time.Second)
	m.log.want(t, "ping to 10.200.1.2 succeeded.", 5*time.Second)
}

// TestIntegrationDeadOtherLinkLeavesTheWrapper: with no wrapper when it
// started, a monitor watches ppp1 as the vendor's did; when ppp1 dies
// after a wrapper has started its own link, the wrapper is not told to
// drop its link: ppp1's pppd gets SIGTERM.
func TestIntegrationDeadOtherLinkLeavesTheWrapper(t *testing.T) {
	c := netnstest.New(t, 1)
	otherLink(t, c)
	dir := t.TempDir()
	theirs := startStandIn(t, dir, "pppd")
	m := startMonitorEnv(t, c, dir, monitorConfig(t, dir, c, "10.201.1.2"), "ppp1", "PPPD_PID="+strconv.Itoa(theirs.cmd.Process.Pid))
	m.log.want(t, "ping to 10.201.1.2 succeeded.", 5*time.Second)
	writePidfile(t, filepath.Join(dir, "var/run/ppp1.pid"), theirs.cmd.Process.Pid)
	w, ours := ourLink(t, dir, "ppp0")
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	theirs.signalAt(t, "TERM", bound+2*time.Second)
	if code := m.exit(t, 2*time.Second); code != 1 {
		t.Errorf("monitor of the dead ppp1 exited %d, want 1", code)
	}
	w.out.none(t, "USR", 300*time.Millisecond)
	ours.out.none(t, "TERM", 0)
}

// TestIntegrationStopOnlyItsInterface: `--stop ppp1` never stops ppp0's
// monitor, even when ppp1's pidfile (left by a killed monitor) names it.
func TestIntegrationStopOnlyItsInterface(t *testing.T) {
	c := netnstest.New(t, 1)
	dir := t.TempDir()
	wrapper(t, dir)
	m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2"))
	m.log.want(t, "succeeded.", 5*time.Second)
	writePidfile(t, runstate.MonitorPidfile(dir, "ppp1"), m.cmd.Process.Pid)
	code, _, stderr := runTool(t, c, dir, "--stop", "--root", dir, "--foreground", "ppp1")
	if code != 0 || !strings.Contains(stderr, "no PPP monitor running for ppp1") {
		t.Errorf("--stop ppp1 with ppp0's monitor in ppp1's pidfile = exit %d, %q; want 0 and 'no PPP monitor running for ppp1'", code, stderr)
	}
	m.log.want(t, "succeeded.", 3*time.Second)
	code, _, stderr = runTool(t, c, dir, "--stop", "--root", dir, "--foreground", "ppp0")
	if want := fmt.Sprintf("stopping the PPP monitor of ppp0 (pid %d)", m.cmd.Process.Pid); code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("--stop ppp0 = exit %d, %q; want 0 and %q", code, stderr, want)
	}
}

func netnstestChain(t *testing.T) *netnstest.Chain { return netnstest.New(t, 1) }
