package pppmonitor

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// The integration tests run ppp_monitor (this test binary under that
// name) inside the router namespace of a netnstest chain: ppp0 is a veth
// end there, three router namespaces sit behind it, and every address
// exists only inside those namespaces. Timing: 1 s interval, 1 s timeout,
// 2 misses, so a cut must be detected within 2×1 + 1 = 3 s.

const (
	interval = time.Second
	timeout  = time.Second
	maxFail  = 2
	bound    = maxFail*interval + timeout
	// slack covers process scheduling and the signal's delivery.
	slack = 300 * time.Millisecond
)

// mon is a ppp_monitor running in the router namespace.
type mon struct {
	cmd  *exec.Cmd
	log  *lines
	done chan error
}

func monitorConfig(t *testing.T, dir string, c *netnstest.Chain, target string, extra ...string) string {
	return configFile(t, dir, append([]string{"MONITOR_TARGET=" + target, "MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=1",
		"MONITOR_FAIL=2", "MONITOR_LOG=yes", "MONITOR_ROUTE_DEST=" + c.Last().String(), "MONITOR_MAX_HOPS=4"}, extra...)...)
}

func startMonitor(t *testing.T, c *netnstest.Chain, dir, cfg string) *mon {
	t.Helper()
	return startMonitorEnv(t, c, dir, cfg, c.Iface)
}

// exit waits up to d for the monitor to end and returns its exit code.
func (m *mon) exit(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case err := <-m.done:
		m.done <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatalf("monitor: %v", err)
		}
		return 0
	case <-time.After(d):
		t.Fatalf("the monitor did not end within %v; log:\n%s", d, m.log.buf)
	}
	return -1
}

// wrapper starts a stand-in ppp_wrapper whose link is ppp0.
func wrapper(t *testing.T, dir string) *standInProc {
	w, _ := ourLink(t, dir, "ppp0")
	return w
}

// runTool runs ppp_monitor with args in the router namespace.
func runTool(t *testing.T, c *netnstest.Chain, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := c.Command(c.Router, program(t, dir, tool), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errb.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// TestIntegrationTargetUp: replies are logged; a second monitor for ppp0
// refuses to run; --stop ends the first one cleanly.
func TestIntegrationTargetUp(t *testing.T) {
	c := netnstest.New(t, 3)
	dir := t.TempDir()
	w := wrapper(t, dir)
	m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.3.2"))
	w.signalAt(t, "USR2", 5*time.Second)
	m.log.want(t, "ppp_monitor: ppp monitor started, PPP I/F: ppp0, TARGET: 10.200.3.2, INTERVAL: 1, MAXFAIL: 2", 5*time.Second)
	m.log.want(t, "ppp_monitor: ping to 10.200.3.2 succeeded.", 3*time.Second)
	m.log.want(t, "ppp_monitor: ping to 10.200.3.2 succeeded.", 3*time.Second)

	code, _, stderr := runTool(t, c, dir, "--foreground", "--root", dir, "--config", monitorConfig(t, dir, c, "10.200.3.2"), "ppp0")
	if code != 1 || !strings.Contains(stderr, "a monitor for ppp0 is already running (pid ") {
		t.Errorf("second monitor for ppp0 = exit %d, %q; want 1 and 'already running'", code, stderr)
	}

	start := time.Now()
	if code, _, stderr := runTool(t, c, dir, "--stop", "--root", dir, "--foreground", "ppp0"); code != 0 || !strings.Contains(stderr, "stopping the PPP monitor of ppp0 (pid ") {
		t.Errorf("--stop = exit %d, %q; want 0 and 'stopping the PPP monitor of ppp0 (pid …)'", code, stderr)
	}
	if code := m.exit(t, time.Second); code != 0 {
		t.Errorf("monitor stopped by --stop exited %d, want 0", code)
	}
	t.Logf("--stop took %v", time.Since(start))
	if _, err := os.Stat(runstate.MonitorPidfile(dir, "ppp0")); !os.IsNotExist(err) {
		t.Errorf("the stopped monitor left its pidfile: %v", err)
	}
	w.out.none(t, "USR1", 0)
}

// TestIntegrationBlackHole: the first hop stops sending anything back to
// the router (a blackhole route); the wrapper gets SIGUSR1 within the
// bound after the cut. Without a wrapper, pppd gets SIGTERM.
func TestIntegrationBlackHole(t *testing.T) {
	for _, tt := range []struct{ name, target string }{
		{"automatic target, wrapper", ""},
		{"fixed target, pppd", "10.200.3.2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := netnstest.New(t, 3)
			dir := t.TempDir()
			var sig string
			var victim *standInProc
			if tt.target == "" {
				victim, sig = wrapper(t, dir), "USR1"
			} else {
				victim, sig = startStandIn(t, dir, "pppd"), "TERM"
				writePidfile(t, dir+"/var/run/pppd/ppp0.pid", victim.cmd.Process.Pid)
			}
			m := startMonitor(t, c, dir, monitorConfig(t, dir, c, tt.target))
			m.log.want(t, "ppp monitor started", 5*time.Second)
			// Cut right after a reply: the worst case, a whole interval
			// before the first probe that misses.
			m.log.want(t, "succeeded.", 3*time.Second)
			cut := time.Now()
			c.IP(t, c.Hops[0].NS, "route", "add", "blackhole", c.Local.String()+"/32")
			at := victim.signalAt(t, sig, bound+2*time.Second)
			took := at.Sub(cut)
			t.Logf("cut to SIG%s: %v (bound MONITOR_FAIL×INTERVAL + TIMEOUT = %v)", sig, took, bound)
			if took > bound+slack {
				t.Errorf("cut detected after %v, want within %v (+%v slack)", took, bound, slack)
			}
			if code := m.exit(t, 2*time.Second); code != 1 {
				t.Errorf("monitor of a dead link exited %d, want 1", code)
			}
			m.log.want(t, "the link on ppp0 is dead: 2 probes of", 0)
		})
	}
}

// TestIntegrationAutomaticTarget: hop 1 ignores echo, so hop 2 is the
// target; when hop 2 stops answering too, hop 3 takes over and the link
// is kept.
func TestIntegrationAutomaticTarget(t *testing.T) {
	c := netnstest.New(t, 3)
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	dir := t.TempDir()
	w := wrapper(t, dir)
	m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "auto"))
	m.log.want(t, "ppp_monitor: check_with_icmp: responding hosts found in the route: address: 10.200.2.2, hops: 2.", 5*time.Second)
	m.log.want(t, "ppp_monitor: LTE: host in the route: 10.200.2.2", 0)
	m.log.want(t, "ppp_monitor: ppp monitor started, PPP I/F: ppp0, TARGET: 10.200.2.2, INTERVAL: 1, MAXFAIL: 2", 0)
	m.log.want(t, "ping to 10.200.2.2 succeeded.", 3*time.Second)

	c.Sysctl(t, c.Hops[1].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	m.log.want(t, "ping to 10.200.2.2 failed (1 of 2): timeout after 1 s", bound)
	m.log.want(t, "ping to 10.200.2.2 failed (2 of 2): timeout after 1 s; another host on the route answers: the link is alive", bound)
	m.log.want(t, "check_with_icmp: responding hosts found in the route: address: 10.200.3.2, hops: 3.", 0)
	m.log.want(t, "LTE: host in the route: 10.200.3.2", 0)
	m.log.want(t, "ping to 10.200.3.2 succeeded.", 3*time.Second)
	m.log.none(t, "failed", 2*interval+timeout)
	w.out.none(t, "USR1", 0)
	select {
	case err := <-m.done:
		t.Fatalf("the monitor ended (%v) although the link is alive; log:\n%s", err, m.log.buf)
	default:
	}
}

// TestIntegrationInterfaceGone: when pppd ends the link without the
// ip-down hook stopping the monitor, ppp0 disappears; the monitor stops
// (exit 0) and drops nothing: a ppp0 made since is another link.
func TestIntegrationInterfaceGone(t *testing.T) {
	c := netnstest.New(t, 1)
	dir := t.TempDir()
	w := wrapper(t, dir)
	m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2"))
	m.log.want(t, "succeeded.", 5*time.Second)
	c.IP(t, c.Router, "link", "del", "ppp0")
	if code := m.exit(t, interval+timeout+time.Second); code != 0 {
		t.Errorf("monitor whose interface went away exited %d, want 0", code)
	}
	m.log.want(t, "ppp_monitor: ppp0 is gone: its link has ended; ppp monitor stopped.", 0)
	w.out.none(t, "USR1", 300*time.Millisecond)
}

// TestIntegrationDetach: without --foreground the monitor detaches into
// its own session and the command returns 0; a second one reports the
// first; --stop ends it.
func TestIntegrationDetach(t *testing.T) {
	c := netnstest.New(t, 1)
	dir := t.TempDir()
	cfg := monitorConfig(t, dir, c, "10.200.1.2")
	start := time.Now()
	code, _, stderr := runTool(t, c, dir, "--root", dir, "--config", cfg, "ppp0")
	if code != 0 {
		t.Fatalf("ppp_monitor ppp0 (detaching) = exit %d, %q; want 0", code, stderr)
	}
	t.Logf("detaching start returned after %v", time.Since(start))
	pidfile := runstate.MonitorPidfile(dir, "ppp0")
	pid, live := runstate.ReadLive(pidfile, tool)
	if !live {
		t.Fatalf("after a detaching start, %s names no live ppp_monitor (pid %d)", pidfile, pid)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if sid, err := unix.Getsid(pid); err != nil || sid != pid {
		t.Errorf("the detached monitor's session = %d, %v; want its own (%d)", sid, err, pid)
	}
	code, _, stderr = runTool(t, c, dir, "--root", dir, "--config", cfg, "ppp0")
	if code != 1 || !strings.Contains(stderr, "a monitor for ppp0 is already running") {
		t.Errorf("second detaching start = exit %d, %q; want 1 and 'already running'", code, stderr)
	}
	if code, _, stderr := runTool(t, c, dir, "--stop", "--root", dir, "ppp0"); code != 0 {
		t.Errorf("--stop = exit %d, %q; want 0", code, stderr)
	}
	if _, err := os.Stat(pidfile); !os.IsNotExist(err) {
		t.Errorf("after --stop the pidfile is still there: %v", err)
	}
}

// TestIntegrationOnce: one probe, or one route search, on stdout.
func TestIntegrationOnce(t *testing.T) {
	c := netnstest.New(t, 3)
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	dir := t.TempDir()
	cfg := monitorConfig(t, dir, c, "auto")
	code, out, stderr := runTool(t, c, dir, "--once", "--config", cfg, "ppp0", "10.200.3.2")
	if code != 0 || !strings.HasPrefix(out, "10.200.3.2 via ppp0: reply in ") {
		t.Errorf("--once ppp0 10.200.3.2 = exit %d, %q (%s); want 0 and a reply", code, out, stderr)
	}
	code, out, _ = runTool(t, c, dir, "--once", "--config", cfg, "ppp0", "10.200.3.99")
	if code != 1 || out != "10.200.3.99 via ppp0: no reply: timeout after 1 s\n" {
		t.Errorf("--once ppp0 10.200.3.99 = exit %d, %q; want 1 and a timeout", code, out)
	}
	code, out, stderr = runTool(t, c, dir, "--once", "--config", cfg, "ppp0")
	for _, want := range []string{"route to 10.200.3.2 via ppp0 (up to 4 hops, 1 s):\n", "  1  10.200.1.2       no echo reply\n",
		"  2  10.200.2.2       echo reply in ", "  3  10.200.3.2       echo reply in ", "target: 10.200.2.2, hops: 2, reply in "} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--once ppp0 (automatic) = exit %d, %q (%s); want 0 and %q", code, out, stderr, want)
		}
	}
}

// TestIntegrationDatagramFallback: without CAP_NET_RAW (run as nobody)
// the monitor falls back to a ping socket, where ping_group_range allows
// one, and says so; the automatic target, which needs Time Exceeded,
// refuses with a reason.
func TestIntegrationDatagramFallback(t *testing.T) {
	c := netnstest.New(t, 1)
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("skipping: setpriv (Debian package util-linux) is needed to run the monitor as nobody")
	}
	c.Sysctl(t, c.Router, "net.ipv4.ping_group_range", "65534 65534")
	// A directory nobody can use: the program, the configuration, the run
	// state.
	dir, err := os.MkdirTemp("", "pppmonitor-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	exe, _ := os.Executable()
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	prog := dir + "/" + tool
	os.WriteFile(prog, b, 0o755)
	os.MkdirAll(dir+"/run/pppkeep", 0o777)
	os.Chmod(dir+"/run/pppkeep", 0o777)
	os.Chmod(dir, 0o755)
	nobody := func(cfg string) *exec.Cmd {
		return c.Command(c.Router, setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", prog,
			"--foreground", "--root", dir, "--config", cfg, "ppp0")
	}

	cmd := nobody(monitorConfig(t, dir, c, "10.200.1.2"))
	log := readLines(t, cmd, true)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log.started()
	defer cmd.Process.Kill()
	log.want(t, "ppp_monitor: probing out of ppp0 with a datagram ICMP socket (a raw one is not permitted without CAP_NET_RAW)", 5*time.Second)
	log.want(t, "ppp_monitor: ping to 10.200.1.2 succeeded.", 3*time.Second)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("monitor as nobody, stopped by SIGTERM: %v, want exit 0", err)
	}

	out, err := nobody(monitorConfig(t, dir, c, "auto")).CombinedOutput()
	if !strings.Contains(string(out), "MONITOR_TARGET is automatic, but finding the routers on the route needs a raw ICMP socket") || err == nil {
		t.Errorf("automatic target as nobody = %v, %s; want exit 1 and the reason", err, out)
	}
}
