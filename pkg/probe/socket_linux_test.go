package probe_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/probe"
	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// listenIn opens a socket of kind on iface inside the namespace ns.
func listenIn(t *testing.T, ns, iface string, kind probe.Kind) *probe.Socket {
	t.Helper()
	var s *probe.Socket
	var err error
	netnstest.Do(t, ns, func() { s, err = probe.Listen(iface, kind) })
	if err != nil {
		t.Fatalf("Listen(%s, %v) in %s = %v", iface, kind, ns, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestIntegrationEcho pings across three router namespaces with both
// kinds of socket, and a missing host.
func TestIntegrationEcho(t *testing.T) {
	c := netnstest.New(t, 3)
	// Ping sockets for every group, as a distribution might allow them;
	// this sysctl is per network namespace.
	c.Sysctl(t, c.Router, "net.ipv4.ping_group_range", "0 2147483647")
	for _, kind := range []probe.Kind{probe.Raw, probe.Datagram} {
		t.Run(kind.String(), func(t *testing.T) {
			s := listenIn(t, c.Router, c.Iface, kind)
			if s.Kind() != kind {
				t.Errorf("Listen(%v).Kind() = %v", kind, s.Kind())
			}
			p := probe.New(s, s.Options())
			rtt, err := p.Echo(context.Background(), c.Last(), time.Now().Add(time.Second))
			if err != nil || rtt <= 0 || rtt > 500*time.Millisecond {
				t.Errorf("Echo(%s) = %v, %v, want a round trip under 500ms", c.Last(), rtt, err)
			}
			missing := netip.MustParseAddr("10.200.3.99")
			start := time.Now()
			if _, err := p.Echo(context.Background(), missing, start.Add(300*time.Millisecond)); !errors.Is(err, probe.ErrTimeout) {
				t.Errorf("Echo(%s, nobody there) = %v, want ErrTimeout", missing, err)
			}
			if d := time.Since(start); d < 290*time.Millisecond || d > time.Second {
				t.Errorf("Echo(nobody there, 300ms) took %v, want about 300ms", d)
			}
		})
	}
}

// TestIntegrationAutoKind: root gets a raw socket from Auto.
func TestIntegrationAutoKind(t *testing.T) {
	c := netnstest.New(t, 1)
	s := listenIn(t, c.Router, c.Iface, probe.Auto)
	if s.Kind() != probe.Raw || s.Note() == "" {
		t.Errorf("Listen(auto) as root = %v (%q), want raw with a note", s.Kind(), s.Note())
	}
	var err error
	netnstest.Do(t, c.Router, func() { _, err = probe.Listen("nosuch0", probe.Auto) })
	if err == nil || err.Error() != "probe: raw ICMP socket on nosuch0: no interface nosuch0" {
		t.Errorf("Listen(nosuch0) = %v, want 'no interface nosuch0'", err)
	}
}

// TestIntegrationSurvey finds the three routers with TTL-limited probes;
// the first ignores echo (net.ipv4.icmp_echo_ignore_all=1) but still
// sends Time Exceeded.
func TestIntegrationSurvey(t *testing.T) {
	c := netnstest.New(t, 3)
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	s := listenIn(t, c.Router, c.Iface, probe.Raw)
	p := probe.New(s, s.Options())
	r, err := p.Survey(context.Background(), probe.Survey{Route: c.Last(), MaxHops: 5}, time.Now().Add(time.Second))
	if err != nil {
		t.Fatalf("Survey(route to %s) = %v", c.Last(), err)
	}
	type seen struct {
		hops           int
		exceeded, echo bool
	}
	want := map[netip.Addr]seen{
		c.Hops[0].Addr: {1, true, false},
		c.Hops[1].Addr: {2, true, true},
		c.Hops[2].Addr: {3, false, true},
	}
	if len(r.Hosts) != 3 {
		t.Fatalf("Survey(route to %s) = %+v, want 3 hosts", c.Last(), r.Hosts)
	}
	for i, h := range r.Hosts {
		w := want[h.Addr]
		if got := (seen{h.Hops, h.Exceeded, h.Echo}); got != w || h.Addr != c.Hops[i].Addr {
			t.Errorf("Survey host %d = %+v, want %s %+v", i, h, c.Hops[i].Addr, w)
		}
	}
}

// TestIntegrationBoundToInterface: a socket bound to an interface with no
// way to the host gets no answer, although the routing table knows one
// (through ppp0).
func TestIntegrationBoundToInterface(t *testing.T) {
	c := netnstest.New(t, 1)
	// A veth pair with both ends here: an interface that leads nowhere.
	c.IP(t, c.Router, "link", "add", "dum0", "type", "veth", "peer", "name", "dum1")
	c.IP(t, c.Router, "addr", "add", "10.201.0.1/24", "dev", "dum0")
	c.IP(t, c.Router, "link", "set", "dum0", "up")
	c.IP(t, c.Router, "link", "set", "dum1", "up")
	s := listenIn(t, c.Router, "dum0", probe.Raw)
	p := probe.New(s, s.Options())
	if rtt, err := p.Echo(context.Background(), c.Hops[0].Addr, time.Now().Add(300*time.Millisecond)); err == nil {
		t.Errorf("Echo(%s) out of dum0 = %v, nil, want no reply (it is reachable only through ppp0)", c.Hops[0].Addr, rtt)
	}
	s2 := listenIn(t, c.Router, c.Iface, probe.Raw)
	p2 := probe.New(s2, s2.Options())
	if _, err := p2.Echo(context.Background(), c.Hops[0].Addr, time.Now().Add(time.Second)); err != nil {
		t.Errorf("Echo(%s) out of ppp0 = %v, want a reply", c.Hops[0].Addr, err)
	}
}

// TestIntegrationCancelEndsTheWait: cancelling the context ends a read
// that waits for a silent host at once, not at the deadline.
func TestIntegrationCancelEndsTheWait(t *testing.T) {
	c := netnstest.New(t, 1)
	c.Sysctl(t, c.Hops[0].NS, "net.ipv4.icmp_echo_ignore_all", "1")
	s := listenIn(t, c.Router, c.Iface, probe.Raw)
	p := probe.New(s, s.Options())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := p.Echo(ctx, c.Hops[0].Addr, start.Add(10*time.Second))
	if d := time.Since(start); !errors.Is(err, context.Canceled) || d > time.Second {
		t.Errorf("Echo(silent, cancelled after 100ms) = %v after %v, want context.Canceled at once", err, d)
	}
}

// TestIntegrationRawSocketFilter: a raw socket is handed only the ICMP
// types a Prober can use (the kernel's ICMP_FILTER), not, for example,
// the echo requests other hosts send to this one.
func TestIntegrationRawSocketFilter(t *testing.T) {
	c := netnstest.New(t, 1)
	s := listenIn(t, c.Router, c.Iface, probe.Raw)
	var err error
	netnstest.Do(t, c.Hops[0].NS, func() {
		var fd int
		if fd, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP); err != nil {
			return
		}
		defer unix.Close(fd)
		to := &unix.SockaddrInet4{Addr: c.Local.As4()}
		for _, m := range []icmp.Message{
			{Type: icmp.Echo, ID: 1, Seq: 1, Data: []byte("filtered")},
			{Type: 13, Data: make([]byte, 12)}, // timestamp request
			{Type: icmp.EchoReply, ID: 1, Seq: 2, Data: []byte("let through")},
		} {
			if err = unix.Sendto(fd, m.Append(nil), 0, to); err != nil {
				return
			}
		}
	})
	if err != nil {
		t.Fatalf("sending from %s: %v", c.Hops[0].NS, err)
	}
	s.SetReadDeadline(time.Now().Add(time.Second))
	buf := make([]byte, 1500)
	n, src, err := s.ReadFrom(buf)
	if err != nil {
		t.Fatalf("ReadFrom() = %v, want the echo reply", err)
	}
	m, err := icmp.Parse(buf[:n])
	if err != nil || m.Type != icmp.EchoReply || string(m.Data) != "let through" || src != c.Hops[0].Addr {
		t.Errorf("ReadFrom() = %+v from %s (%v), want the echo reply %q from %s, the echo and timestamp requests before it dropped",
			m, src, err, "let through", c.Hops[0].Addr)
	}
}
