package probe

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
)

// PacketConn is what a Prober needs of an ICMP socket: *Socket is the
// real one, probetest.Net a simulated network.
type PacketConn interface {
	// WriteTo sends the ICMP message b to dst with IP time-to-live ttl.
	WriteTo(b []byte, ttl int, dst netip.Addr) error
	// ReadFrom reads one ICMP message (without its IP header) and its
	// source; after the read deadline it fails with os.ErrDeadlineExceeded.
	ReadFrom(b []byte) (int, netip.Addr, error)
	SetReadDeadline(t time.Time) error
}

// DefaultTTL is the time-to-live of plain echo requests.
const DefaultTTL = 64

// tokenLen is the size of the payload that marks our echo requests.
const tokenLen = 16

var (
	// ErrTimeout: no answer before the deadline.
	ErrTimeout = errors.New("timeout")
	// ErrInterfaceGone: the interface the socket is bound to no longer
	// exists (a PPP interface goes when its link ends; one made again under
	// the same name is another interface).
	ErrInterfaceGone = errors.New("the interface is gone")
	// ErrNeedsRaw: Time Exceeded answers reach only raw sockets.
	ErrNeedsRaw = errors.New("probe: finding the routers on a route needs a raw ICMP socket (CAP_NET_RAW)")
)

// UnreachableError is a Destination Unreachable answer to an echo request.
type UnreachableError struct {
	From netip.Addr // the router or host that answered
	Code int
}

func (e *UnreachableError) Error() string {
	what := map[int]string{0: "network unreachable", 1: "host unreachable", 2: "protocol unreachable",
		3: "port unreachable", 4: "fragmentation needed", 9: "network prohibited", 10: "host prohibited",
		13: "administratively prohibited"}[e.Code]
	if what == "" {
		what = fmt.Sprintf("code %d", e.Code)
	}
	return fmt.Sprintf("destination unreachable (%s) from %s", what, e.From)
}

// Options set up a Prober.
type Options struct {
	// ID is the echo identifier. On a datagram socket the kernel replaces
	// it and delivers only the socket's own replies, so it is not matched.
	ID int
	// Datagram: the connection is a ping socket (ID not ours, no Time
	// Exceeded delivered).
	Datagram bool
	// Token is the payload of every request; random when nil.
	Token []byte
	// Now is the clock for deadlines and round-trip times (time.Now when
	// nil); tests share one with probetest.Net.
	Now func() time.Time
}

// Prober sends echo requests over one connection and matches the answers.
// Its methods may be called from several goroutines; they take turns.
type Prober struct {
	conn     PacketConn
	id       int
	datagram bool
	token    []byte
	now      func() time.Time

	mu  sync.Mutex
	seq uint16
	buf []byte // what is read
	out []byte // what is sent
	r   round  // reused: a probe every few seconds for months should make no garbage to speak of
}

// New returns a Prober over conn.
func New(conn PacketConn, o Options) *Prober {
	p := &Prober{conn: conn, id: o.ID & 0xffff, datagram: o.Datagram, token: o.Token, now: o.Now, buf: make([]byte, 1500)}
	if p.token == nil {
		// The token tells our replies from other programs' pings: it
		// needs to be unpredictable to no one, only different (math/rand,
		// seeded by the runtime, and no crypto/rand with its DRBG).
		p.token = make([]byte, tokenLen)
		binary.BigEndian.PutUint64(p.token, rand.Uint64())
		binary.BigEndian.PutUint64(p.token[8:], rand.Uint64())
	}
	if p.now == nil {
		p.now = time.Now
	}
	p.seq = uint16(rand.Uint32())
	return p
}

// Survey says what to send in one round. Everything goes out at once and
// the answers are read until one deadline.
type Survey struct {
	// Echo: hosts that get a plain echo request.
	Echo []netip.Addr
	// Primary, when set, ends the round as soon as it answers (or is
	// reported unreachable).
	Primary netip.Addr
	// Route, when set, gets TTL-limited echo requests (TTL 1…MaxHops): the
	// routers on the way answer with Time Exceeded, and each of them gets
	// a plain echo request at once, within the same deadline, so that the
	// round also tells which of them answer echo.
	Route   netip.Addr
	MaxHops int
}

// Host is what one round learned about one address.
type Host struct {
	Addr netip.Addr
	// Hops is the address's distance on the route (the smallest TTL it
	// answered), 0 when it was not seen on the route.
	Hops int
	// Exceeded: it answered a TTL-limited request with Time Exceeded.
	Exceeded bool
	// Echo: it answered an echo request; RTT is that answer's round trip.
	Echo bool
	RTT  time.Duration
	// Err says why an echo request to it got no reply, when known: the
	// request could not be sent, or an *UnreachableError.
	Err error
}

// Result is what one round learned: the hosts on the route nearest first,
// then the others in the order they were probed.
type Result struct {
	Hosts []Host
}

// Host returns what the round learned about a.
func (r Result) Host(a netip.Addr) (Host, bool) {
	for _, h := range r.Hosts {
		if h.Addr == a {
			return h, true
		}
	}
	return Host{}, false
}

// Echo sends one echo request to dst and waits for its reply until
// deadline. It returns the round-trip time, or ErrTimeout (wrapped), an
// *UnreachableError, a send error or the context's error.
func (p *Prober) Echo(ctx context.Context, dst netip.Addr, deadline time.Time) (time.Duration, error) {
	r, err := p.Survey(ctx, Survey{Echo: []netip.Addr{dst}, Primary: dst}, deadline)
	h, _ := r.Host(dst)
	switch {
	case h.Echo:
		return h.RTT, nil
	case err != nil:
		return 0, err
	case h.Err != nil:
		return 0, h.Err
	}
	return 0, fmt.Errorf("probe: echo to %s: %w", dst, ErrTimeout)
}

// Survey sends one round of requests and collects the answers until
// deadline, or until nothing is left to wait for, or until s.Primary has
// answered. The error is the context's, a read error, or the send error
// when nothing could be sent; a host that did not answer is not an error.
func (p *Prober) Survey(ctx context.Context, s Survey, deadline time.Time) (Result, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if s.Route.IsValid() && p.datagram {
		return Result{}, ErrNeedsRaw
	}
	r := p.newRound()
	for _, a := range s.Echo {
		r.echo(a)
	}
	if s.Route.IsValid() {
		for ttl := 1; ttl <= s.MaxHops; ttl++ {
			r.send(s.Route, ttl)
		}
	}
	if len(r.pending) == 0 {
		return r.result(), r.sendErr
	}
	err := r.wait(ctx, deadline, s.Primary)
	return r.result(), err
}

// request is an echo request waiting for its answer.
type request struct {
	dst  netip.Addr
	ttl  int // 0: a plain echo request
	sent time.Time
}

// round is the state of one Survey.
type round struct {
	p       *Prober
	pending map[uint16]request
	hosts   map[netip.Addr]*Host
	order   []netip.Addr
	echoed  map[netip.Addr]bool
	sendErr error
}

func (p *Prober) newRound() *round {
	r := &p.r
	if r.pending == nil {
		*r = round{p: p, pending: map[uint16]request{}, hosts: map[netip.Addr]*Host{}, echoed: map[netip.Addr]bool{}}
	}
	clear(r.pending)
	clear(r.hosts)
	clear(r.echoed)
	r.order, r.sendErr = r.order[:0], nil
	return r
}

func (r *round) host(a netip.Addr) *Host {
	h, ok := r.hosts[a]
	if !ok {
		h = &Host{Addr: a}
		r.hosts[a] = h
		r.order = append(r.order, a)
	}
	return h
}

// echo sends a plain echo request to a, once per round.
func (r *round) echo(a netip.Addr) {
	if r.echoed[a] {
		return
	}
	r.echoed[a] = true
	r.host(a)
	r.send(a, 0)
}

func (r *round) send(dst netip.Addr, ttl int) {
	p := r.p
	p.seq++
	seq := p.seq
	p.out = icmp.Message{Type: icmp.Echo, ID: uint16(p.id), Seq: seq, Data: p.token}.Append(p.out[:0])
	wire := ttl
	if wire == 0 {
		wire = DefaultTTL
	}
	err := p.conn.WriteTo(p.out, wire, dst)
	if errors.Is(err, syscall.ENODEV) {
		err = fmt.Errorf("%w: %w", ErrInterfaceGone, err)
	}
	if err != nil {
		err = fmt.Errorf("probe: send to %s: %w", dst, err)
		if ttl == 0 && r.host(dst).Err == nil {
			r.host(dst).Err = err
		}
		if r.sendErr == nil {
			r.sendErr = err
		}
		return
	}
	r.pending[seq] = request{dst: dst, ttl: ttl, sent: p.now()}
}

// aLongTimeAgo is a deadline in the past: it wakes a blocked read.
var aLongTimeAgo = time.Unix(1, 0)

func (r *round) wait(ctx context.Context, deadline time.Time, primary netip.Addr) error {
	p := r.p
	if err := p.conn.SetReadDeadline(deadline); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	defer p.conn.SetReadDeadline(time.Time{})
	stop := context.AfterFunc(ctx, func() { p.conn.SetReadDeadline(aLongTimeAgo) })
	defer stop()
	for len(r.pending) > 0 {
		if h, ok := r.hosts[primary]; ok && (h.Echo || h.Err != nil) {
			return nil
		}
		n, src, err := p.conn.ReadFrom(p.buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil
			}
			return fmt.Errorf("probe: read: %w", err)
		}
		r.handle(p.buf[:n], src.Unmap())
	}
	return nil
}

// handle takes one received ICMP message; anything that is not an answer
// to a request of this round is dropped.
func (r *round) handle(b []byte, src netip.Addr) {
	m, err := icmp.Parse(b)
	if err != nil {
		return
	}
	switch m.Type {
	case icmp.EchoReply:
		if !r.p.ours(m.ID) || !bytes.Equal(m.Data, r.p.token) {
			return
		}
		req, ok := r.pending[m.Seq]
		if !ok || req.dst != src {
			return
		}
		delete(r.pending, m.Seq)
		h := r.host(src)
		if !h.Echo {
			h.Echo, h.RTT = true, r.p.now().Sub(req.sent)
		}
		if req.ttl > 0 {
			h.setHops(req.ttl)
		}
	case icmp.TimeExceeded:
		seq, req, ok := r.quoted(m.Data)
		if !ok || req.ttl == 0 {
			return
		}
		delete(r.pending, seq)
		h := r.host(src)
		h.Exceeded = true
		h.setHops(req.ttl)
		r.echo(src)
	case icmp.DestinationUnreachable:
		seq, req, ok := r.quoted(m.Data)
		if !ok {
			return
		}
		delete(r.pending, seq)
		if req.ttl == 0 {
			if h := r.host(req.dst); h.Err == nil {
				h.Err = &UnreachableError{From: src, Code: int(m.Code)}
			}
		}
	}
}

func (p *Prober) ours(id uint16) bool { return p.datagram || int(id) == p.id }

// quoted finds the request that an ICMP error message quotes: the
// original IP header and at least the first 8 bytes of our echo request
// (routers may cut the payload short; what is there must match).
func (r *round) quoted(b []byte) (uint16, request, bool) {
	q, err := icmp.ParseQuote(b)
	if err != nil || q.Protocol != 1 {
		return 0, request{}, false
	}
	e, err := icmp.Parse(q.Payload)
	if err != nil || e.Type != icmp.Echo || !r.p.ours(e.ID) {
		return 0, request{}, false
	}
	if n := min(len(e.Data), len(r.p.token)); !bytes.Equal(e.Data[:n], r.p.token[:n]) {
		return 0, request{}, false
	}
	req, ok := r.pending[e.Seq]
	if !ok || req.dst != q.Dst {
		return 0, request{}, false
	}
	return e.Seq, req, true
}

func (h *Host) setHops(ttl int) {
	if h.Hops == 0 || ttl < h.Hops {
		h.Hops = ttl
	}
}

func (r *round) result() Result {
	var res Result
	for _, a := range r.order {
		res.Hosts = append(res.Hosts, *r.hosts[a])
	}
	// Route hosts nearest first; the others keep the order they were
	// probed in (a stable sort with hop 0 last).
	slices.SortStableFunc(res.Hosts, func(a, b Host) int {
		switch {
		case a.Hops == 0 && b.Hops == 0:
			return 0
		case a.Hops == 0:
			return 1
		case b.Hops == 0:
			return -1
		}
		return cmp.Or(cmp.Compare(a.Hops, b.Hops), a.Addr.Compare(b.Addr))
	})
	return res
}
