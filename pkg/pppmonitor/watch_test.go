package pppmonitor

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/probe"
	"github.com/pppkeep/pppkeep/pkg/probe/probetest"
)

var (
	hop1 = netip.MustParseAddr("10.200.1.2")
	hop2 = netip.MustParseAddr("10.200.2.2")
	hop3 = netip.MustParseAddr("10.200.3.2")
	far  = netip.MustParseAddr("10.200.9.9")
	t0   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
)

// lockedBuffer collects log lines written from the watch's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// harness is a watcher on a simulated route hop1 → hop2 → hop3 (the
// route's destination) with a host far behind it, and a manual clock.
type harness struct {
	t     *testing.T
	net   *probetest.Net
	clock *probetest.Clock
	w     *watcher
	log   *lockedBuffer
}

func newHarness(t *testing.T, target string, maxFail int) *harness {
	clock := probetest.NewClock(t0)
	n := &probetest.Net{Clock: clock,
		Route:     []*probetest.Host{{Addr: hop1}, {Addr: hop2}, {Addr: hop3}},
		Elsewhere: []*probetest.Host{{Addr: far, Delay: 40 * time.Millisecond}},
	}
	out := &lockedBuffer{}
	st := settings{iface: "ppp0", target: target, routeDest: hop3.String(), maxHops: 5,
		interval: 30 * time.Second, timeout: 3 * time.Second, maxFail: maxFail, logEach: true}
	w := &watcher{settings: st, p: probe.New(n, probe.Options{ID: 7, Now: clock.Now}),
		log: logging.Discard(tool, out), now: clock.Now, resolve: lookupIPv4}
	return &harness{t: t, net: n, clock: clock, w: w, log: out}
}

// probe makes the probe of tick k (k intervals after t0).
func (h *harness) probe(k int) bool {
	h.clock.Set(t0.Add(time.Duration(k) * h.w.interval))
	return h.w.check(context.Background())
}

func (h *harness) update(f func(n *probetest.Net)) { h.net.Update(f) }

// wantLog requires each text, in this order, in the log written since the
// last call.
func (h *harness) wantLog(lines ...string) {
	h.t.Helper()
	got := h.log.String()
	rest := got
	for _, l := range lines {
		i := strings.Index(rest, l)
		if i < 0 {
			h.t.Fatalf("log lacks %q (in order); log:\n%s", l, got)
		}
		rest = rest[i+len(l):]
	}
	h.log.mu.Lock()
	h.log.b.Reset()
	h.log.mu.Unlock()
}

func (h *harness) noLog(sub string) {
	h.t.Helper()
	if got := h.log.String(); strings.Contains(got, sub) {
		h.t.Errorf("log has %q; log:\n%s", sub, got)
	}
}

func TestMissesInARowKillTheLink(t *testing.T) {
	h := newHarness(t, far.String(), 3)
	if !h.w.start(context.Background()) {
		t.Fatal("start() = false with the target answering")
	}
	h.wantLog("ppp_monitor: ppp monitor started, PPP I/F: ppp0, TARGET: 10.200.9.9, INTERVAL: 30, MAXFAIL: 3",
		"ppp_monitor: ping to 10.200.9.9 succeeded.")
	h.update(func(n *probetest.Net) { n.Cut = true })
	for k, want := range []bool{true, true, false} {
		if got := h.probe(k + 1); got != want {
			t.Errorf("check() for miss %d of 3 = %v, want %v", k+1, got, want)
		}
	}
	h.wantLog("ppp_monitor: warning: ping to 10.200.9.9 failed (1 of 3): timeout after 3 s",
		"ppp_monitor: warning: ping to 10.200.9.9 failed (2 of 3): timeout after 3 s",
		"ppp_monitor: warning: ping to 10.200.9.9 failed (3 of 3): timeout after 3 s")
	if want := "3 probes of 10.200.9.9 in a row failed (interval 30 s, timeout 3 s), the last: timeout after 3 s"; h.w.deathReason() != want {
		t.Errorf("deathReason() = %q, want %q", h.w.deathReason(), want)
	}
}

func TestAReplyResetsTheCount(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	for k := 1; k <= 6; k++ {
		cut := k%2 == 1 // miss, answer, miss, answer…
		h.update(func(n *probetest.Net) { n.Cut = cut })
		if !h.probe(k) {
			t.Fatalf("check() at probe %d = false; one miss at a time must never kill the link (MONITOR_FAIL=2)", k)
		}
	}
	h.wantLog("ping to 10.200.9.9 failed (1 of 2): timeout after 3 s",
		"ping to 10.200.9.9 succeeded.", "ping to 10.200.9.9 answers again after 1 missed.",
		"ping to 10.200.9.9 failed (1 of 2): timeout after 3 s")
	h.noLog("(2 of 2)")
}

func TestLateReplyDoesNotCount(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	// The reply to probe 1 comes after 4 s (timeout 3 s): a miss. Then the
	// host goes silent; the late reply, read during probe 2, must not count.
	h.update(func(n *probetest.Net) { n.Elsewhere[0].Delay = 4 * time.Second })
	h.w.interval = 3 * time.Second // the late reply arrives inside probe 2's wait
	if !h.probe(1) {
		t.Fatal("check() after one late reply = false")
	}
	h.update(func(n *probetest.Net) { n.Elsewhere[0].IgnoreEcho = true })
	if h.probe(2) {
		t.Errorf("check() with only a late reply to the previous probe = true, want the second miss")
	}
	h.wantLog("failed (1 of 2): timeout after 3 s", "failed (2 of 2): timeout after 3 s")
}

func TestForeignRepliesDoNotCount(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	h.update(func(n *probetest.Net) {
		n.Elsewhere[0].IgnoreEcho = true
		// Another program's ping of the same host, and a reply with our
		// numbers from a host we did not ask.
		n.Extra = func(req probetest.Request) []probetest.Packet {
			theirs, wrongSeq := req, req
			theirs.ID, theirs.Data = 999, []byte("0123456789abcdef")
			wrongSeq.Seq -= 10
			at := req.At.Add(time.Millisecond)
			return []probetest.Packet{probetest.EchoReply(theirs, far, at), probetest.EchoReply(wrongSeq, far, at),
				probetest.EchoReply(req, hop1, at)}
		}
	})
	if !h.probe(1) || h.probe(2) {
		t.Errorf("two probes answered only by foreign replies: want a miss, then a dead link")
	}
	h.wantLog("failed (1 of 2): timeout after 3 s", "failed (2 of 2): timeout after 3 s")
}

func TestProbeWaitsExactlyTheTimeout(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	h.w.timeout = time.Second
	h.update(func(n *probetest.Net) { n.Elsewhere[0].Delay = 1500 * time.Millisecond })
	h.probe(1)
	if got := h.clock.Now().Sub(t0.Add(30 * time.Second)); got != time.Second {
		t.Errorf("a probe without a timely reply took %v, want MONITOR_TIMEOUT 1s", got)
	}
	h.wantLog("ping to 10.200.9.9 failed (1 of 2): timeout after 1 s")
}

func TestNameLookedUpWhenNeeded(t *testing.T) {
	h := newHarness(t, "target.example", 3)
	addr, lookups := far, 0
	var lookupErr error
	h.w.resolve = func(ctx context.Context, host string) (netip.Addr, error) {
		if host != "target.example" {
			t.Errorf("looked up %q, want target.example", host)
		}
		lookups++
		return addr, lookupErr
	}
	h.probe(0)
	h.probe(1)
	if lookups != 1 {
		t.Errorf("lookups after two answered probes = %d, want 1 (the first)", lookups)
	}
	// A failed lookup is a miss (the link may be why).
	lookupErr = errors.New("lookup target.example: i/o timeout")
	h.update(func(n *probetest.Net) { n.Cut = true })
	h.probe(2) // miss: timeout
	h.probe(3) // looked up again: fails
	h.wantLog("ping to target.example succeeded.", "ping to target.example failed (1 of 3): timeout after 3 s",
		"ping to target.example failed (2 of 3): cannot resolve target.example: lookup target.example: i/o timeout")
	// The name moved: the next lookup finds the new address, which answers.
	lookupErr, addr = nil, hop3
	h.update(func(n *probetest.Net) { n.Cut = false })
	if !h.probe(4) {
		t.Fatal("check() after the name moved = false")
	}
	if lookups != 3 || h.w.addr != hop3 {
		t.Errorf("after the move: %d lookups, target %s; want 3 lookups and %s", lookups, h.w.addr, hop3)
	}
	h.wantLog("target.example is now 10.200.3.2 (was 10.200.9.9)", "ping to target.example succeeded.")
}

func TestAutomaticTargetSkipsRouterIgnoringEcho(t *testing.T) {
	h := newHarness(t, "", 2)
	h.update(func(n *probetest.Net) { n.Route[0].IgnoreEcho = true })
	if !h.w.start(context.Background()) {
		t.Fatal("start() = false")
	}
	h.wantLog("ppp_monitor: check_with_icmp: responding hosts found in the route: address: 10.200.2.2, hops: 2.",
		"ppp_monitor: LTE: host in the route: 10.200.2.2",
		"ppp_monitor: ppp monitor started, PPP I/F: ppp0, TARGET: 10.200.2.2, INTERVAL: 30, MAXFAIL: 2")
	if h.w.addr != hop2 {
		t.Errorf("automatic target = %s, want %s (hop 1 ignores echo)", h.w.addr, hop2)
	}
	// Afterwards only the target is probed: one echo request per tick.
	before := len(h.net.Sent())
	h.probe(1)
	if s := h.net.Sent()[before:]; len(s) != 1 || s[0].Dst != hop2 {
		t.Errorf("a normal probe sent %+v, want one echo request to %s", s, hop2)
	}
}

func TestTargetStopsAnsweringAnotherRouterTakesOver(t *testing.T) {
	h := newHarness(t, "", 2)
	h.update(func(n *probetest.Net) { n.Route[0].IgnoreEcho = true })
	h.w.start(context.Background())
	h.update(func(n *probetest.Net) { n.Route[1].IgnoreEcho = true }) // the target, hop 2
	h.log.b.Reset()
	if !h.probe(1) || !h.probe(2) {
		t.Fatal("the link was declared dead although hop 3 still answers")
	}
	h.wantLog("ping to 10.200.2.2 failed (1 of 2): timeout after 3 s",
		"ping to 10.200.2.2 failed (2 of 2): timeout after 3 s; another host on the route answers: the link is alive",
		"check_with_icmp: responding hosts found in the route: address: 10.200.3.2, hops: 3.",
		"LTE: host in the route: 10.200.3.2")
	if h.w.addr != hop3 || h.w.misses != 0 {
		t.Errorf("after the re-discovery: target %s, %d misses; want %s, 0", h.w.addr, h.w.misses, hop3)
	}
	// The last-chance round ended at its deadline, inside the bound.
	if got := h.clock.Now(); got.After(t0.Add(2*h.w.interval + h.w.timeout)) {
		t.Errorf("the last-chance round ended at +%v, after probe 2's deadline", got.Sub(t0))
	}
	if !h.probe(3) {
		t.Error("check() on the new target = false")
	}
	h.wantLog("ping to 10.200.3.2 succeeded.")
}

func TestNoAnsweringHostOnTheRouteIsAMiss(t *testing.T) {
	h := newHarness(t, "", 2)
	h.update(func(n *probetest.Net) {
		for _, r := range n.Route {
			r.IgnoreEcho = true
		}
	})
	if !h.w.start(context.Background()) {
		t.Fatal("start() = false after one failed search (MONITOR_FAIL=2)")
	}
	h.wantLog("ppp_monitor: warning: ping to auto failed (1 of 2): check_with_icmp: no host on the route to 10.200.3.2 (up to 5 hops) answers echo; routers that did not: 10.200.1.2 (hop 1), 10.200.2.2 (hop 2)\n",
		"ppp monitor started, PPP I/F: ppp0, TARGET: auto, INTERVAL: 30, MAXFAIL: 2")
	// The route search runs again at the next tick.
	h.update(func(n *probetest.Net) { n.Route[2].IgnoreEcho = false })
	if !h.probe(1) || h.w.addr != hop3 {
		t.Errorf("second search: target %s, want %s", h.w.addr, hop3)
	}
	h.wantLog("LTE: host in the route: 10.200.3.2", "ping to 10.200.3.2 succeeded.", "answers again after 1 missed.")
}

func TestMonitorLogNoLogsOnlyMisses(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	h.w.logEach = false
	h.probe(0)
	h.probe(1)
	h.noLog("succeeded")
	h.update(func(n *probetest.Net) { n.Cut = true })
	h.probe(2)
	h.wantLog("ping to 10.200.9.9 failed (1 of 2)")
}

// TestCutDetectedWithinTheBound runs the watch loop on a fake ticker: the
// link is cut right after a reply, the worst moment, and must be declared
// dead by MONITOR_FAIL×MONITOR_INTERVAL + MONITOR_TIMEOUT after the cut,
// also with the automatic target's last-chance route search.
func TestCutDetectedWithinTheBound(t *testing.T) {
	for _, target := range []string{far.String(), ""} {
		for _, maxFail := range []int{1, 2, 3} {
			h := newHarness(t, target, maxFail)
			ctx := context.Background()
			if !h.w.start(ctx) {
				t.Fatalf("start() = false on a healthy link")
			}
			cut := h.clock.Now() // just after the first reply
			h.update(func(n *probetest.Net) { n.Cut = true })
			ticks := 0
			tick := func(context.Context) bool {
				ticks++
				h.clock.Set(t0.Add(time.Duration(ticks) * h.w.interval))
				return true
			}
			if h.w.watch(ctx, tick) {
				t.Fatalf("watch() = true on a cut link, want false (dead)")
			}
			wantWithinDetectionBound(t, h.w, target, cut, h.clock.Now())
			if ticks != maxFail {
				t.Errorf("target %q: dead after %d ticks, want MONITOR_FAIL=%d", target, ticks, maxFail)
			}
		}
	}
}

func TestInterfaceGoneEndsTheWatchWithoutADrop(t *testing.T) {
	h := newHarness(t, far.String(), 3)
	h.probe(0)
	h.update(func(n *probetest.Net) { n.SendErr = &os.SyscallError{Syscall: "sendto", Err: syscall.ENODEV} })
	if h.probe(1) || !h.w.gone {
		t.Errorf("check() with the interface gone = true or not gone, want false and gone")
	}
	h.noLog("failed (")
}

func TestWatchEndsOnCancel(t *testing.T) {
	h := newHarness(t, far.String(), 2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tick, stop := newTicker(time.Hour)
	defer stop()
	if !h.w.watch(ctx, tick) {
		t.Error("watch(cancelled) = false, want true (a stop, not a dead link)")
	}
}

func TestTickerTicks(t *testing.T) {
	tick, stop := newTicker(10 * time.Millisecond)
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	for i := range 3 {
		if !tick(ctx) {
			t.Fatalf("tick %d = false, want true", i)
		}
	}
	go cancel()
	for tick(ctx) {
	}
}

func TestChooseTarget(t *testing.T) {
	tests := []struct {
		name  string
		hosts []probe.Host
		not   netip.Addr
		want  netip.Addr
	}{
		{"none", nil, netip.Addr{}, netip.Addr{}},
		{"nearest answering", []probe.Host{{Addr: hop3, Hops: 3, Echo: true}, {Addr: hop1, Hops: 1}, {Addr: hop2, Hops: 2, Echo: true}}, netip.Addr{}, hop2},
		{"not the old target", []probe.Host{{Addr: hop2, Hops: 2, Echo: true}, {Addr: hop3, Hops: 3, Echo: true}}, hop2, hop3},
		{"off the route", []probe.Host{{Addr: far, Echo: true}}, netip.Addr{}, netip.Addr{}},
	}
	for _, tt := range tests {
		got, ok := chooseTarget(tt.hosts, tt.not)
		if got.Addr != tt.want || ok != tt.want.IsValid() {
			t.Errorf("chooseTarget(%s) = %s, %v, want %s", tt.name, got.Addr, ok, tt.want)
		}
	}
}

// wantWithinDetectionBound: a cut at cut was declared dead at dead, within
// MONITOR_FAIL×MONITOR_INTERVAL + MONITOR_TIMEOUT of w's settings.
func wantWithinDetectionBound(t *testing.T, w *watcher, target string, cut, dead time.Time) {
	t.Helper()
	bound := time.Duration(w.maxFail)*w.interval + w.timeout
	if got := dead.Sub(cut); got > bound {
		t.Errorf("target %q, MONITOR_FAIL=%d: cut detected after %v, want within %v", target, w.maxFail, got, bound)
	}
}
