package pppmonitor

import (
	"context"
	"time"
)

// Adaptive probing (MONITOR_ADAPTIVE=yes): bytes that the link brings in
// prove that it works, as a reply does, so a busy link needs no probe.
// Two rules keep that proof honest:
//
//   - what counts is what arrives after the probe was due: the counters
//     are read when it is due and again half a MONITOR_TIMEOUT later, and
//     only a rise in between skips the probe. Bytes from before the tick
//     may predate a cut, and counting them would let a cut go unnoticed
//     for one more interval than MONITOR_FAIL×MONITOR_INTERVAL +
//     MONITOR_TIMEOUT. If nothing comes, the probe goes out at once with
//     the other half of the timeout, so every tick's outcome is still
//     known MONITOR_TIMEOUT after it was due;
//   - our own traffic is no proof: the counters are read again right after
//     each probe's round, replies included, and only a rise since then
//     makes the link busy enough to wait for more (an idle link is probed
//     at the tick with the whole timeout, as without MONITOR_ADAPTIVE).
//
// A PPP interface also counts the control frames pppd reads, and the
// LCP Echo-Replies of pppd's own keepalive (lcp-echo-interval, see
// docs/pppd-and-chat.md §4) come from the modem even when the network
// behind it is gone: 8 bytes each. So a rise counts only when it is more
// than 8 bytes a packet, which one IP packet (20 bytes or more) is.

// rxCount is what an interface has received so far.
type rxCount struct{ bytes, packets uint64 }

// lcpEchoBytes is what one LCP Echo-Reply without data adds to a PPP
// interface's received bytes: code, identifier, length, magic number.
const lcpEchoBytes = 8

// received is what arrived between two readings of the counters, and
// whether that is traffic: more than LCP keepalive frames alone could be.
func received(from, to rxCount) (bytes uint64, traffic bool) {
	if to.bytes < from.bytes || to.packets < from.packets {
		return 0, false // counters that went back: another interface
	}
	b, n := to.bytes-from.bytes, to.packets-from.packets
	return b, b > lcpEchoBytes*n
}

// adaptive is the state of adaptive probing.
type adaptive struct {
	// read reads the interface's counters.
	read func() (rxCount, error)
	// sleep waits until the time given; false when ctx ended first.
	sleep func(ctx context.Context, until time.Time) bool
	close func()

	mark  rxCount // read right after the last probe's round, or at the last skip
	valid bool    // mark is a reading
}

// noteRound reads the counters right after a probe's round.
func (a *adaptive) noteRound() {
	c, err := a.read()
	a.mark, a.valid = c, err == nil
}

// skip decides, when the probe due at due should be made, whether
// traffic makes it needless; stopping when ctx ended while it waited. A
// skip counts as an answer.
func (w *watcher) skip(ctx context.Context, due time.Time) (skipped, stopping bool) {
	a := w.rx
	now, err := a.read()
	if err != nil || !a.valid {
		return false, false
	}
	since, busy := received(a.mark, now)
	if !busy {
		return false, false
	}
	listen := w.timeout / 2
	if !a.sleep(ctx, due.Add(listen)) {
		return false, true
	}
	later, err := a.read()
	if err != nil {
		return false, false
	}
	within, moving := received(now, later)
	if !moving {
		return false, false
	}
	if w.logEach || w.misses > 0 {
		w.log.Infof("probe skipped: %s received %d bytes since the last probe or skip, %d of them after this one was due: the link works",
			w.iface, since+within, within)
	}
	w.misses = 0
	a.mark = later
	return true, false
}
