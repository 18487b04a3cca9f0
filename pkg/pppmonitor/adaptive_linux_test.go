package pppmonitor

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// adaptiveChain is a one-hop chain for the adaptive tests: IPv6 off in
// both namespaces, so that only what a test sends comes in on ppp0 (no
// router solicitations or multicast reports from the hop).
func adaptiveChain(t *testing.T) *netnstest.Chain {
	t.Helper()
	if _, err := exec.LookPath("tc"); err != nil {
		t.Skip("skipping: the tc command (Debian package iproute2) is needed to black-hole the link")
	}
	c := netnstest.New(t, 1)
	if _, err := os.Stat("/proc/sys/net/ipv6"); err == nil {
		for _, ns := range []string{c.Router, c.Hops[0].NS} {
			c.Sysctl(t, ns, "net.ipv6.conf.all.disable_ipv6", "1")
		}
	}
	return c
}

// countEchoRequests counts, on the hop (the peer), the echo requests that
// arrive from the router; the hop's kernel still answers them.
func countEchoRequests(t *testing.T, c *netnstest.Chain) *atomic.Int64 {
	t.Helper()
	var pc net.PacketConn
	var err error
	netnstest.Do(t, c.Hops[0].NS, func() { pc, err = net.ListenPacket("ip4:icmp", "0.0.0.0") })
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	done := make(chan struct{})
	t.Cleanup(func() { pc.Close(); <-done })
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			size, src, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if m, err := icmp.Parse(buf[:size]); err == nil && m.Type == icmp.Echo && src.String() == c.Local.String() {
				n.Add(1)
			}
		}
	}()
	return &n
}

// flowIntoPPP0 sends 200-byte UDP datagrams from the hop to the router's
// ppp0 address every 20 ms, to a socket there that takes them (so no
// ICMP error comes back), until the test ends.
func flowIntoPPP0(t *testing.T, c *netnstest.Chain) {
	t.Helper()
	var sink net.PacketConn
	var src net.Conn
	var err error
	netnstest.Do(t, c.Router, func() { sink, err = net.ListenPacket("udp4", c.Local.String()+":0") })
	if err != nil {
		t.Fatal(err)
	}
	netnstest.Do(t, c.Hops[0].NS, func() { src, err = net.Dial("udp4", sink.LocalAddr().String()) })
	if err != nil {
		t.Fatal(err)
	}
	stop, done := make(chan struct{}), make(chan struct{}, 2)
	t.Cleanup(func() { close(stop); src.Close(); sink.Close(); <-done; <-done })
	go func() {
		defer func() { done <- struct{}{} }()
		buf := make([]byte, 1500)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	go func() {
		defer func() { done <- struct{}{} }()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		payload := make([]byte, 200)
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				src.Write(payload) // after the black hole, dropped: that is the point
			}
		}
	}()
}

// blackHole drops everything both ways between ppp0 and the hop: each
// end's transmit queue holds no packet (pfifo limit 0), while ppp0 stays
// up, as a PPP interface does when the network behind the modem is gone.
func blackHole(t *testing.T, c *netnstest.Chain) {
	t.Helper()
	for _, end := range [][2]string{{c.Router, c.Iface}, {c.Hops[0].NS, "a0"}} {
		if out, err := exec.Command("tc", "-n", end[0], "qdisc", "add", "dev", end[1], "root", "pfifo", "limit", "0").CombinedOutput(); err != nil {
			t.Fatalf("tc qdisc add dev %s root pfifo limit 0 (in %s): %v: %s", end[1], end[0], err, out)
		}
	}
}

// TestIntegrationAdaptive: with MONITOR_ADAPTIVE=yes, a link that carries
// traffic from the peer gets no echo request after the first probe; when
// it is black-holed, halfway between two probes, the wrapper gets SIGUSR1
// within MONITOR_FAIL×MONITOR_INTERVAL + MONITOR_TIMEOUT all the same. An
// idle link is probed every interval (our own replies are no traffic), and
// MONITOR_ADAPTIVE=no probes a busy link as before.
func TestIntegrationAdaptive(t *testing.T) {
	t.Run("busy link, then cut", func(t *testing.T) {
		c := adaptiveChain(t)
		dir := t.TempDir()
		w := wrapper(t, dir)
		requests := countEchoRequests(t, c)
		flowIntoPPP0(t, c)
		m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2", "MONITOR_ADAPTIVE=yes"))
		m.log.want(t, "ppp_monitor: adaptive probing: a probe is skipped when ppp0 receives traffic after it is due (MONITOR_ADAPTIVE=yes)", 5*time.Second)
		m.log.want(t, "ppp_monitor: ping to 10.200.1.2 succeeded.", 5*time.Second)
		for range 4 {
			m.log.want(t, "ppp_monitor: probe skipped: ppp0 received ", interval+timeout)
		}
		time.Sleep(50 * time.Millisecond) // the counter's reader, a goroutine, catches up
		if n := requests.Load(); n != 1 {
			t.Errorf("%d echo requests reached the peer in 4 intervals of traffic, want 1 (the first probe); log:\n%s", n, m.log.buf)
		}
		// Halfway to the next tick, with traffic in between: those bytes
		// came before the cut and must not skip the next probe.
		time.Sleep(300 * time.Millisecond)
		cut := time.Now()
		blackHole(t, c)
		at := w.signalAt(t, "USR1", bound+2*time.Second)
		took := at.Sub(cut)
		t.Logf("cut to SIGUSR1: %v (bound MONITOR_FAIL×INTERVAL + TIMEOUT = %v)", took, bound)
		if took > bound+slack {
			t.Errorf("cut detected after %v, want within %v (+%v slack); log:\n%s", took, bound, slack, m.log.buf)
		}
		if code := m.exit(t, 2*time.Second); code != 1 {
			t.Errorf("monitor of a dead link exited %d, want 1", code)
		}
		m.log.want(t, "the link on ppp0 is dead: 2 probes of 10.200.1.2 in a row failed", 0)
	})
	t.Run("idle link", func(t *testing.T) {
		c := adaptiveChain(t)
		dir := t.TempDir()
		requests := countEchoRequests(t, c)
		m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2", "MONITOR_ADAPTIVE=yes"))
		probesSent(t, m, requests, 4)
	})
	t.Run("busy link, MONITOR_ADAPTIVE=no", func(t *testing.T) {
		c := adaptiveChain(t)
		dir := t.TempDir()
		requests := countEchoRequests(t, c)
		flowIntoPPP0(t, c)
		m := startMonitor(t, c, dir, monitorConfig(t, dir, c, "10.200.1.2", "MONITOR_ADAPTIVE=no"))
		probesSent(t, m, requests, 4)
	})
}

// probesSent requires n probes answered, each an echo request that reached
// the peer, and no probe skipped.
func probesSent(t *testing.T, m *mon, requests *atomic.Int64, n int) {
	t.Helper()
	for range n {
		m.log.want(t, "ppp_monitor: ping to 10.200.1.2 succeeded.", interval+timeout)
	}
	time.Sleep(50 * time.Millisecond)
	if got := requests.Load(); got != int64(n) {
		t.Errorf("%d echo requests reached the peer for %d answered probes, want %d", got, n, n)
	}
	if log := m.log.buf.String(); strings.Contains(log, "probe skipped") {
		t.Errorf("a probe was skipped; log:\n%s", log)
	}
}
