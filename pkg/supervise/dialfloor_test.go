package supervise

import (
	"strings"
	"testing"
	"time"
)

// HOLDOFF=0 and a pppd that fails at once: a minute of it dials at most
// once a second, not thousands of times.
func TestHoldoffZeroFastFailureDialsAtMostOnceASecond(t *testing.T) {
	for _, resetOnFail := range []bool{false, true} {
		cfg := base()
		cfg.Holdoff, cfg.ResetOnFail, cfg.Retry = 0, resetOnFail, 1
		w := newWorld(t, cfg, t0)
		var starts []time.Time
		w.pppd = func(at time.Time) (int, time.Duration) {
			starts = append(starts, at)
			return 1, time.Millisecond
		}
		w.run(t0.Add(time.Minute))
		if len(starts) > 61 || len(starts) < 10 {
			t.Errorf("RESET_ON_FAIL=%v: %d dials in 60 s with HOLDOFF=0 and pppd failing at once, want at most 61 (one a second), and dialing going on", resetOnFail, len(starts))
		}
		for i := 1; i < len(starts); i++ {
			if gap := starts[i].Sub(starts[i-1]); gap < MinDialInterval {
				t.Fatalf("RESET_ON_FAIL=%v: dial %d came %v after dial %d, want at least %v", resetOnFail, i+1, gap, i, MinDialInterval)
			}
		}
		if !resetOnFail && len(w.logs("1 of 1 failures, reconnecting in 0s; pppd starts at most once every 1s: in 999ms")) == 0 {
			t.Errorf("no log line tells the wait was lengthened; log:\n%s", strings.Join(w.log[:min(5, len(w.log))], "\n"))
		}
	}
}

// The floor only holds back a dial within a second of the last one: after
// a session that lasted, HOLDOFF=0 still redials at once.
func TestHoldoffZeroAfterALongSessionRedialsAtOnce(t *testing.T) {
	cfg := base()
	cfg.Holdoff = 0
	w := newWorld(t, cfg, t0)
	var starts []time.Time
	w.pppd = func(at time.Time) (int, time.Duration) {
		starts = append(starts, at)
		return 8, 30 * time.Second // chat gave up after its TIMEOUT: a module failure
	}
	w.run(t0.Add(70 * time.Second))
	if len(starts) < 2 || !starts[1].Equal(t0.Add(30*time.Second)) {
		t.Errorf("dials after a 30 s session with HOLDOFF=0 at %v, want the second at once when the first ended (+30s)", starts)
	}
	if len(w.logs("(pppd exit 8): 1 of 3 failures, reconnecting in 0s")) == 0 || len(w.logs("at most once")) != 0 {
		t.Errorf("log after a 30 s session:\n%s\nwant a plain reconnect in 0s", strings.Join(w.log, "\n"))
	}
}
