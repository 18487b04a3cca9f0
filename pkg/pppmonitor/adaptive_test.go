package pppmonitor

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/probetest"
)

// rxFlow stands for the counters of ppp0 on the harness's clock: a packet
// of size bytes every period from t0 until cut (zero: no cut), plus the
// replies to our own echo requests (44 bytes each, 40 ms after they were
// sent, as the harness's far host answers) unless noReplies.
type rxFlow struct {
	h         *harness
	period    time.Duration // 0: no flow
	size      uint64
	cut       time.Time
	noReplies bool
}

func (f *rxFlow) read() (rxCount, error) {
	now := f.h.clock.Now()
	end := now
	if !f.cut.IsZero() && end.After(f.cut) {
		end = f.cut
	}
	var c rxCount
	if f.period > 0 {
		n := uint64(end.Sub(t0) / f.period)
		c = rxCount{bytes: n * f.size, packets: n}
	}
	if !f.noReplies {
		for _, r := range f.h.net.Sent() {
			if at := r.At.Add(40 * time.Millisecond); !at.After(now) && (f.cut.IsZero() || r.At.Before(f.cut)) {
				c.bytes, c.packets = c.bytes+44, c.packets+1
			}
		}
	}
	return c, nil
}

// adaptiveHarness is a harness with MONITOR_ADAPTIVE=yes over f; the
// wait of a skip moves the manual clock.
func adaptiveHarness(t *testing.T, target string, maxFail int, f *rxFlow) *harness {
	h := newHarness(t, target, maxFail)
	f.h = h
	h.w.rx = &adaptive{read: f.read, sleep: func(_ context.Context, until time.Time) bool {
		h.clock.Set(until)
		return true
	}, close: func() {}}
	return h
}

func TestAdaptiveSkipsProbesWhileTrafficArrives(t *testing.T) {
	f := &rxFlow{period: 100 * time.Millisecond, size: 200}
	h := adaptiveHarness(t, far.String(), 2, f)
	if !h.w.start(context.Background()) {
		t.Fatal("start() = false with the target answering")
	}
	for k := 1; k <= 5; k++ {
		if !h.probe(k) {
			t.Fatalf("check() at tick %d = false on a link carrying traffic", k)
		}
	}
	if sent := h.net.Sent(); len(sent) != 1 {
		t.Errorf("%d echo requests sent in 5 ticks of a busy link after the first probe, want only that first one: %v", len(sent), sent)
	}
	// Tick 2: 30 s of traffic since the skip at tick 1 (read 1.5 s after
	// it), 15 packets of it in the 1.5 s after tick 2.
	h.wantLog("ppp_monitor: ping to 10.200.9.9 succeeded.",
		"ppp_monitor: probe skipped: ppp0 received ",
		"ppp_monitor: probe skipped: ppp0 received 60000 bytes since the last probe or skip, 3000 of them after this one was due: the link works\n")
}

// TestAdaptiveProbesAnIdleLink: the replies to our own probes are the only
// bytes coming in; they prove nothing, so every tick probes, at the tick,
// with the whole timeout.
func TestAdaptiveProbesAnIdleLink(t *testing.T) {
	h := adaptiveHarness(t, far.String(), 2, &rxFlow{})
	h.w.start(context.Background())
	for k := 1; k <= 4; k++ {
		if !h.probe(k) {
			t.Fatalf("check() at tick %d = false with the target answering", k)
		}
	}
	sent := h.net.Sent()
	if len(sent) != 5 {
		t.Fatalf("%d echo requests in 5 ticks of an idle link, want 5", len(sent))
	}
	for k, r := range sent {
		if due := t0.Add(time.Duration(k) * h.w.interval); !r.At.Equal(due) {
			t.Errorf("request %d sent at %v, want at its tick %v (no wait on an idle link)", k, r.At.Sub(t0), due.Sub(t0))
		}
	}
	h.noLog("probe skipped")
}

// TestAdaptiveLCPEchoRepliesAreNoTraffic: pppd's LCP keepalive answered
// by the modem (8 bytes a frame in ppp0's counters), even every second,
// does not stand for a reply.
func TestAdaptiveLCPEchoRepliesAreNoTraffic(t *testing.T) {
	h := adaptiveHarness(t, far.String(), 2, &rxFlow{period: time.Second, size: 8})
	h.w.start(context.Background())
	for k := 1; k <= 3; k++ {
		h.probe(k)
	}
	if sent := h.net.Sent(); len(sent) != 4 {
		t.Errorf("%d echo requests in 4 ticks with only LCP echo replies coming in, want 4", len(sent))
	}
	h.noLog("probe skipped")
}

// TestAdaptiveCutDetectedWithinTheBound: traffic flows until the link is
// cut halfway between two ticks. The bytes that came before the cut must
// not skip the next probe: the cut is still declared dead within
// MONITOR_FAIL×MONITOR_INTERVAL + MONITOR_TIMEOUT, after MONITOR_FAIL
// probes, with a fixed and with the automatic target.
func TestAdaptiveCutDetectedWithinTheBound(t *testing.T) {
	for _, target := range []string{far.String(), ""} {
		for _, maxFail := range []int{1, 2, 3} {
			f := &rxFlow{period: 100 * time.Millisecond, size: 200}
			h := adaptiveHarness(t, target, maxFail, f)
			ctx := context.Background()
			if !h.w.start(ctx) {
				t.Fatalf("start() = false on a healthy link")
			}
			const busyTicks = 3
			cut := t0.Add(busyTicks*h.w.interval + h.w.interval/3)
			ticks, afterCut := 0, 0
			tick := func(context.Context) bool {
				ticks++
				at := t0.Add(time.Duration(ticks) * h.w.interval)
				if at.After(cut) {
					afterCut++
					f.cut = cut
					h.update(func(n *probetest.Net) { n.Cut = true })
				}
				h.clock.Set(at)
				return true
			}
			if h.w.watch(ctx, tick) {
				t.Fatalf("watch() = true on a cut link, want false (dead)")
			}
			wantWithinDetectionBound(t, h.w, target, cut, h.clock.Now())
			if afterCut != maxFail {
				t.Errorf("target %q, MONITOR_FAIL=%d: dead after %d ticks past the cut, want %d", target, maxFail, afterCut, maxFail)
			}
			if !strings.Contains(h.log.String(), "probe skipped: ppp0 received") {
				t.Errorf("target %q: no probe skipped before the cut; log:\n%s", target, h.log.String())
			}
		}
	}
}

// TestAdaptiveTrafficAfterAMissKeepsTheLink: the target stops answering,
// but traffic comes in: that answers for the link, and resets the count.
func TestAdaptiveTrafficAfterAMissKeepsTheLink(t *testing.T) {
	f := &rxFlow{size: 200}
	h := adaptiveHarness(t, far.String(), 2, f)
	h.w.start(context.Background())
	h.update(func(n *probetest.Net) { n.Elsewhere[0].IgnoreEcho = true })
	if !h.probe(1) {
		t.Fatal("check() after one miss = false")
	}
	f.period = 100 * time.Millisecond
	for k := 2; k <= 4; k++ {
		if !h.probe(k) {
			t.Fatalf("check() at tick %d = false while traffic arrives", k)
		}
	}
	h.wantLog("ping to 10.200.9.9 failed (1 of 2): timeout after 3 s",
		"probe skipped: ppp0 received ")
	h.noLog("failed (2 of 2)")
}

func TestReceivedTellsTrafficFromKeepalives(t *testing.T) {
	for _, tt := range []struct {
		name     string
		from, to rxCount
		bytes    uint64
		traffic  bool
	}{
		{"nothing", rxCount{100, 2}, rxCount{100, 2}, 0, false},
		{"one IP packet", rxCount{100, 2}, rxCount{184, 3}, 84, true},
		{"three LCP echo replies", rxCount{100, 2}, rxCount{124, 5}, 24, false},
		{"LCP echo replies and one packet", rxCount{100, 2}, rxCount{144, 5}, 44, true},
		{"counters started again", rxCount{100, 2}, rxCount{50, 1}, 0, false},
	} {
		b, traffic := received(tt.from, tt.to)
		if b != tt.bytes || traffic != tt.traffic {
			t.Errorf("received(%s) = %d, %v; want %d, %v", tt.name, b, traffic, tt.bytes, tt.traffic)
		}
	}
}

// TestRxCountersReadTheMoment: a counter file kept open shows each new
// value (lo's, which every Linux has).
func TestRxCountersReadTheMoment(t *testing.T) {
	c, err := openRxCounters("lo")
	if err != nil {
		t.Skipf("skipping: no counters of lo here: %v", err)
	}
	defer c.close()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	before, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := pc.WriteTo(make([]byte, 100), pc.LocalAddr()); err != nil {
			t.Fatal(err)
		}
	}
	after, err := c.read()
	if err != nil {
		t.Fatal(err)
	}
	if b, traffic := received(before, after); after.packets < before.packets+3 || b < 3*(100+28) || !traffic {
		t.Errorf("lo's counters went from %+v to %+v over 3 datagrams of 100 bytes; want 3 packets and 384 bytes more at least", before, after)
	}
}
