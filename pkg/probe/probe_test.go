package probe_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe"
	"github.com/pppkeep/pppkeep/pkg/probe/probetest"
)

var (
	hop1   = netip.MustParseAddr("10.200.1.2")
	hop2   = netip.MustParseAddr("10.200.2.2")
	hop3   = netip.MustParseAddr("10.200.3.2")
	far    = netip.MustParseAddr("10.200.9.9")
	other  = netip.MustParseAddr("10.200.7.7")
	t0     = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	second = time.Second
)

// network is a route hop1 → hop2 → hop3 and a host far behind it.
func network() (*probetest.Net, *probetest.Clock) {
	c := probetest.NewClock(t0)
	return &probetest.Net{
		Clock:     c,
		Route:     []*probetest.Host{{Addr: hop1}, {Addr: hop2}, {Addr: hop3}},
		Elsewhere: []*probetest.Host{{Addr: far, Delay: 20 * time.Millisecond}},
	}, c
}

func newProber(n *probetest.Net, c *probetest.Clock, datagram bool) *probe.Prober {
	return probe.New(n, probe.Options{ID: 0x1234, Datagram: datagram, Token: []byte("pppkeep-test-tok"), Now: c.Now})
}

func TestEchoReply(t *testing.T) {
	n, c := network()
	p := newProber(n, c, false)
	rtt, err := p.Echo(context.Background(), far, c.Now().Add(second))
	if err != nil || rtt != 20*time.Millisecond {
		t.Errorf("Echo(%s) = %v, %v, want 20ms, nil", far, rtt, err)
	}
	if s := n.Sent(); len(s) != 1 || s[0].TTL != probe.DefaultTTL || s[0].ID != 0x1234 || string(s[0].Data) != "pppkeep-test-tok" {
		t.Errorf("sent %+v, want one echo request with TTL %d, ID 0x1234 and the token", s, probe.DefaultTTL)
	}
}

func TestEchoTimeoutWaitsForTheDeadline(t *testing.T) {
	n, c := network()
	n.Elsewhere[0].IgnoreEcho = true
	p := newProber(n, c, false)
	deadline := c.Now().Add(3 * second)
	rtt, err := p.Echo(context.Background(), far, deadline)
	if !errors.Is(err, probe.ErrTimeout) || rtt != 0 {
		t.Errorf("Echo(silent host) = %v, %v, want 0, ErrTimeout", rtt, err)
	}
	if !c.Now().Equal(deadline) {
		t.Errorf("Echo(silent host) gave up at +%v, want at the deadline +3s", c.Now().Sub(t0))
	}
}

// foreign returns packets that look like answers to req but are not ours:
// each must be dropped.
func foreign(req probetest.Request) []probetest.Packet {
	at := req.At.Add(100 * time.Microsecond)
	wrongID, wrongSeq, wrongData, quoteOther := req, req, req, req
	wrongID.ID++
	wrongSeq.Seq++
	wrongData.Data = []byte("someone-else-pin")
	quoteOther.ID++
	return []probetest.Packet{
		probetest.EchoReply(wrongID, req.Dst, at),
		probetest.EchoReply(wrongSeq, req.Dst, at),
		probetest.EchoReply(wrongData, req.Dst, at),
		probetest.EchoReply(req, other, at),                     // right numbers, wrong host
		{At: at, Src: req.Dst, Data: probetest.Quote(req)[20:]}, // our own request, looped back
		probetest.TimeExceeded(quoteOther, hop1, at),
		probetest.Unreachable(quoteOther, hop1, 1, at),
		{At: at, Src: req.Dst, Data: []byte{0, 0}}, // garbage
	}
}

func TestEchoIgnoresForeignReplies(t *testing.T) {
	n, c := network()
	n.Extra = foreign
	p := newProber(n, c, false)
	rtt, err := p.Echo(context.Background(), far, c.Now().Add(second))
	if err != nil || rtt != 20*time.Millisecond {
		t.Errorf("Echo(%s) among foreign replies = %v, %v, want the real reply's 20ms, nil", far, rtt, err)
	}

	// Foreign replies alone are no success.
	n.Update(func(n *probetest.Net) { n.Elsewhere[0].IgnoreEcho = true })
	rtt, err = p.Echo(context.Background(), far, c.Now().Add(second))
	if !errors.Is(err, probe.ErrTimeout) {
		t.Errorf("Echo(silent host) among foreign replies = %v, %v, want ErrTimeout", rtt, err)
	}
}

func TestDatagramMatchesSequenceAndPayloadOnly(t *testing.T) {
	// On a ping socket the kernel sets the identifier and delivers only
	// this socket's replies: the identifier is not ours to check, the
	// sequence and the payload still are.
	n, c := network()
	n.Elsewhere[0].IgnoreEcho = true
	n.Extra = func(req probetest.Request) []probetest.Packet {
		wrongSeq, wrongData := req, req
		wrongSeq.Seq++
		wrongData.Data = []byte("someone-else-pin")
		at := req.At.Add(time.Millisecond)
		return []probetest.Packet{probetest.EchoReply(wrongSeq, far, at), probetest.EchoReply(wrongData, far, at)}
	}
	p := newProber(n, c, true)
	if _, err := p.Echo(context.Background(), far, c.Now().Add(second)); !errors.Is(err, probe.ErrTimeout) {
		t.Errorf("datagram Echo with wrong seq/payload replies = %v, want ErrTimeout", err)
	}
	n.Update(func(n *probetest.Net) {
		n.Extra = func(req probetest.Request) []probetest.Packet {
			kernelID := req
			kernelID.ID = 40000
			return []probetest.Packet{probetest.EchoReply(kernelID, far, req.At.Add(time.Millisecond))}
		}
	})
	if rtt, err := p.Echo(context.Background(), far, c.Now().Add(second)); err != nil || rtt != time.Millisecond {
		t.Errorf("datagram Echo with the kernel's ID = %v, %v, want 1ms, nil", rtt, err)
	}
	if _, err := p.Survey(context.Background(), probe.Survey{Route: hop3, MaxHops: 4}, c.Now().Add(second)); !errors.Is(err, probe.ErrNeedsRaw) {
		t.Errorf("datagram Survey of a route = %v, want ErrNeedsRaw", err)
	}
}

func TestLateReplyIsNotTakenForTheNextOne(t *testing.T) {
	n, c := network()
	n.Elsewhere[0].Delay = 1500 * time.Millisecond
	p := newProber(n, c, false)
	if _, err := p.Echo(context.Background(), far, c.Now().Add(second)); !errors.Is(err, probe.ErrTimeout) {
		t.Fatalf("Echo(reply after 1.5s, timeout 1s) = %v, want ErrTimeout", err)
	}
	// The next probe starts at +2s: the late reply (due at +1.5s) is read
	// first and must not count; the host now answers at once.
	c.Set(t0.Add(2 * second))
	n.Update(func(n *probetest.Net) { n.Elsewhere[0].IgnoreEcho = true })
	if _, err := p.Echo(context.Background(), far, c.Now().Add(second)); !errors.Is(err, probe.ErrTimeout) {
		t.Errorf("Echo with only a late reply to the previous request = %v, want ErrTimeout", err)
	}
	n.Update(func(n *probetest.Net) { n.Elsewhere[0].IgnoreEcho, n.Elsewhere[0].Delay = false, 5*time.Millisecond })
	if rtt, err := p.Echo(context.Background(), far, c.Now().Add(second)); err != nil || rtt != 5*time.Millisecond {
		t.Errorf("Echo after the late reply = %v, %v, want 5ms, nil", rtt, err)
	}
}

func TestEchoUnreachableEndsAtOnce(t *testing.T) {
	n, c := network()
	n.Cut = true
	n.Extra = func(req probetest.Request) []probetest.Packet {
		return []probetest.Packet{probetest.Unreachable(req, hop1, 1, req.At.Add(2*time.Millisecond))}
	}
	p := newProber(n, c, false)
	_, err := p.Echo(context.Background(), far, c.Now().Add(3*second))
	var ue *probe.UnreachableError
	if !errors.As(err, &ue) || ue.From != hop1 || ue.Code != 1 {
		t.Fatalf("Echo(unreachable) = %v, want an UnreachableError from %s, code 1", err, hop1)
	}
	if want := "destination unreachable (host unreachable) from 10.200.1.2"; ue.Error() != want {
		t.Errorf("UnreachableError = %q, want %q", ue.Error(), want)
	}
	if got := c.Now().Sub(t0); got != 2*time.Millisecond {
		t.Errorf("Echo(unreachable) returned at +%v, want +2ms (no wait for the deadline)", got)
	}
}

func TestTimeExceededQuotingOnlyEightBytes(t *testing.T) {
	// RFC 792 routers quote the IP header and 8 bytes: still ours.
	n, c := network()
	n.Route[0].NoTimeExceeded = true
	n.Extra = func(req probetest.Request) []probetest.Packet {
		if req.TTL != 1 {
			return nil
		}
		q := probetest.TimeExceeded(req, hop1, req.At.Add(time.Millisecond))
		short := probetest.Quote(req)[:28]
		q.Data = append(q.Data[:8], short...)
		return []probetest.Packet{q}
	}
	p := newProber(n, c, false)
	r, err := p.Survey(context.Background(), probe.Survey{Route: hop3, MaxHops: 1}, c.Now().Add(second))
	if h, _ := r.Host(hop1); err != nil || !h.Exceeded || h.Hops != 1 {
		t.Errorf("Survey with a short quote = %+v, %v, want %s at hop 1", r, err, hop1)
	}
}

func TestSurveyFindsRouteAndWhoAnswersEcho(t *testing.T) {
	n, c := network()
	n.Route[0].IgnoreEcho = true
	p := newProber(n, c, false)
	deadline := c.Now().Add(second)
	r, err := p.Survey(context.Background(), probe.Survey{Route: hop3, MaxHops: 5}, deadline)
	if err != nil {
		t.Fatalf("Survey(route to %s) = %v", hop3, err)
	}
	want := []probe.Host{
		{Addr: hop1, Hops: 1, Exceeded: true},
		{Addr: hop2, Hops: 2, Exceeded: true, Echo: true, RTT: 2 * time.Millisecond},
		{Addr: hop3, Hops: 3, Echo: true, RTT: 3 * time.Millisecond},
	}
	if len(r.Hosts) != len(want) {
		t.Fatalf("Survey(route to %s) = %+v, want %+v", hop3, r.Hosts, want)
	}
	for i := range want {
		if r.Hosts[i] != want[i] {
			t.Errorf("Survey(route to %s).Hosts[%d] = %+v, want %+v", hop3, i, r.Hosts[i], want[i])
		}
	}
	// hop1 never answers its echo request: the round runs to the deadline.
	if !c.Now().Equal(deadline) {
		t.Errorf("Survey ended at +%v, want at the deadline", c.Now().Sub(t0))
	}
	// 5 TTL-limited requests, then one echo request each to hop1 and hop2.
	if s := n.Sent(); len(s) != 7 || s[5].Dst != hop1 || s[6].Dst != hop2 || s[6].TTL != probe.DefaultTTL {
		t.Errorf("sent %d requests (%+v), want 5 TTL-limited and echo to %s and %s", len(s), s, hop1, hop2)
	}
}

func TestSurveyEndsWhenThePrimaryAnswers(t *testing.T) {
	n, c := network()
	n.Route[0].IgnoreEcho = true
	p := newProber(n, c, false)
	r, err := p.Survey(context.Background(), probe.Survey{Echo: []netip.Addr{hop2, hop1}, Primary: hop2, Route: hop3, MaxHops: 3}, c.Now().Add(second))
	if h, _ := r.Host(hop2); err != nil || !h.Echo {
		t.Errorf("Survey(primary %s) = %+v, %v, want its echo reply", hop2, r, err)
	}
	if got := c.Now().Sub(t0); got != 2*time.Millisecond {
		t.Errorf("Survey(primary %s) ended at +%v, want +2ms, when it answered", hop2, got)
	}
}

func TestCancelledContext(t *testing.T) {
	n, c := network()
	p := newProber(n, c, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Echo(ctx, far, c.Now().Add(second)); !errors.Is(err, context.Canceled) {
		t.Errorf("Echo(cancelled) = %v, want context.Canceled", err)
	}
	if len(n.Sent()) != 0 {
		t.Errorf("Echo(cancelled) sent %d requests, want none", len(n.Sent()))
	}
}
