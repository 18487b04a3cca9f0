package probetest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
)

// Clock is a manual clock that only moves forward.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t, if t is later.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Host is a simulated router or host.
type Host struct {
	Addr netip.Addr
	// IgnoreEcho: no echo replies (net.ipv4.icmp_echo_ignore_all=1).
	IgnoreEcho bool
	// NoTimeExceeded: a router that sends no Time Exceeded.
	NoTimeExceeded bool
	// Delay is the round trip to it; 0 means 1 ms per hop.
	Delay time.Duration
}

// Request is an echo request the prober sent.
type Request struct {
	At   time.Time
	Dst  netip.Addr
	TTL  int
	ID   int
	Seq  int
	Data []byte
}

// Packet is an ICMP message delivered to the prober at a given time.
type Packet struct {
	At   time.Time
	Src  netip.Addr
	Data []byte
}

// Net is the network: Route is the chain of routers from the first hop to
// the route's destination (the last element); Elsewhere are hosts reached
// through the whole route. Change its fields only inside Update once a
// prober uses it.
type Net struct {
	Clock     *Clock
	Route     []*Host
	Elsewhere []*Host
	// Cut black-holes the link: requests go out, nothing comes back.
	Cut bool
	// Extra, when set, is called for each request; the packets it returns
	// are delivered as well (foreign or stray traffic).
	Extra func(Request) []Packet
	// SendErr, when set, is what every send fails with.
	SendErr error

	mu       sync.Mutex
	queue    []Packet
	deadline time.Time
	sent     []Request
}

// Update runs f with the network locked, to change it while in use.
func (n *Net) Update(f func(*Net)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	f(n)
}

// Sent returns the requests sent so far.
func (n *Net) Sent() []Request {
	n.mu.Lock()
	defer n.mu.Unlock()
	return slices.Clone(n.sent)
}

// find returns the host with address a and its hop count.
func (n *Net) find(a netip.Addr) (*Host, int) {
	for i, h := range n.Route {
		if h.Addr == a {
			return h, i + 1
		}
	}
	for _, h := range n.Elsewhere {
		if h.Addr == a {
			return h, len(n.Route) + 1
		}
	}
	return nil, 0
}

func delay(h *Host, hops int) time.Duration {
	if h.Delay > 0 {
		return h.Delay
	}
	return time.Duration(hops) * time.Millisecond
}

// WriteTo takes an echo request and schedules what the network answers.
func (n *Net) WriteTo(b []byte, ttl int, dst netip.Addr) error {
	e, err := icmp.Parse(b)
	if err != nil {
		return fmt.Errorf("probetest: %w", err)
	}
	if e.Type != icmp.Echo {
		return fmt.Errorf("probetest: sent ICMP type %d, want an echo request", e.Type)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.SendErr != nil {
		return n.SendErr
	}
	now := n.Clock.Now()
	req := Request{At: now, Dst: dst, TTL: ttl, ID: int(e.ID), Seq: int(e.Seq), Data: slices.Clone(e.Data)}
	n.sent = append(n.sent, req)
	if n.Extra != nil {
		n.queue = append(n.queue, n.Extra(req)...)
	}
	if n.Cut {
		return nil
	}
	h, hops := n.find(dst)
	switch {
	case h == nil:
	case ttl < hops && ttl >= 1 && ttl <= len(n.Route):
		if r := n.Route[ttl-1]; !r.NoTimeExceeded {
			n.queue = append(n.queue, TimeExceeded(req, r.Addr, now.Add(delay(r, ttl))))
		}
	case ttl >= hops && !h.IgnoreEcho:
		n.queue = append(n.queue, EchoReply(req, h.Addr, now.Add(delay(h, hops))))
	}
	return nil
}

// ReadFrom delivers the earliest packet due by the read deadline, moving
// the clock to its time; when none is due it moves the clock to the
// deadline and fails with os.ErrDeadlineExceeded. Packets not yet due
// stay for later reads (late replies).
func (n *Net) ReadFrom(b []byte) (int, netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.deadline.IsZero() {
		return 0, netip.Addr{}, errors.New("probetest: read without a deadline would block for ever")
	}
	best := -1
	for i, p := range n.queue {
		if !p.At.After(n.deadline) && (best < 0 || p.At.Before(n.queue[best].At)) {
			best = i
		}
	}
	if best < 0 {
		n.Clock.Set(n.deadline)
		return 0, netip.Addr{}, os.ErrDeadlineExceeded
	}
	p := n.queue[best]
	n.queue = slices.Delete(n.queue, best, best+1)
	n.Clock.Set(p.At)
	return copy(b, p.Data), p.Src, nil
}

// SetReadDeadline sets the deadline of the next reads, in Clock time.
func (n *Net) SetReadDeadline(t time.Time) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.deadline = t
	return nil
}

// EchoReply is from's echo reply to req, delivered at at.
func EchoReply(req Request, from netip.Addr, at time.Time) Packet {
	m := icmp.Message{Type: icmp.EchoReply, ID: uint16(req.ID), Seq: uint16(req.Seq), Data: req.Data}
	return Packet{At: at, Src: from, Data: m.Append(nil)}
}

// TimeExceeded is router's Time Exceeded for req, quoting it whole,
// delivered at at.
func TimeExceeded(req Request, router netip.Addr, at time.Time) Packet {
	m := icmp.Message{Type: icmp.TimeExceeded, Data: Quote(req)}
	return Packet{At: at, Src: router, Data: m.Append(nil)}
}

// Unreachable is router's Destination Unreachable (code) for req.
func Unreachable(req Request, router netip.Addr, code int, at time.Time) Packet {
	m := icmp.Message{Type: icmp.DestinationUnreachable, Code: uint8(code), Data: Quote(req)}
	return Packet{At: at, Src: router, Data: m.Append(nil)}
}

// Quote is the original datagram of req as an ICMP error quotes it: a
// 20-byte IPv4 header (source 0.0.0.0) and the whole echo request.
func Quote(req Request) []byte {
	h := make([]byte, 20, 20+icmp.HeaderLen+len(req.Data))
	h[0] = 0x45
	binary.BigEndian.PutUint16(h[2:4], uint16(cap(h)))
	h[8] = 1 // TTL left when it expired
	h[9] = 1 // ICMP
	dst := req.Dst.As4()
	copy(h[16:20], dst[:])
	return icmp.Message{Type: icmp.Echo, ID: uint16(req.ID), Seq: uint16(req.Seq), Data: req.Data}.Append(h)
}
