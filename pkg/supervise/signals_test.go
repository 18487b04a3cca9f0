package supervise

import (
	"reflect"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// SIGUSR2 (link up) or SIGUSR1 (link dead) while no pppd of ours runs —
// another pppd's hook, or a late signal — changes nothing: no action, the
// same state.
func TestMonitorSignalsWithoutOurSessionChangeNothing(t *testing.T) {
	fail8 := func(w *world) { w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second } }
	for _, tc := range []struct {
		phase string
		cfg   func(*Config)
		setup func(*world)
		until time.Duration
	}{
		{PhaseHoldoff, nil, fail8, 1500 * time.Millisecond},
		{PhaseBackoff, nil, func(w *world) { w.pppd = func(time.Time) (int, time.Duration) { return 19, time.Second } }, 1500 * time.Millisecond},
		{PhaseResetting, nil, fail8, 13 * time.Second},
		{PhaseWaitDevice, func(c *Config) { c.WaitDevice = true }, nil, 0},
		{PhaseDone, func(c *Config) { c.Persist = false }, fail8, 2 * time.Second},
	} {
		cfg := base()
		if tc.cfg != nil {
			tc.cfg(&cfg)
		}
		var m *Machine
		at := t0.Add(tc.until)
		if tc.phase == PhaseWaitDevice {
			m = New(cfg)
			m.Handle(Event{Kind: EvStart, At: t0})
		} else {
			w := newWorld(t, cfg, t0)
			tc.setup(w)
			w.run(at)
			m = w.m
		}
		if m.Phase() != tc.phase {
			t.Fatalf("setup: phase %s, want %s", m.Phase(), tc.phase)
		}
		var before, after runstate.State
		m.Fill(&before)
		for _, k := range []EventKind{EvLinkUp, EvLinkDead} {
			if acts := m.Handle(Event{Kind: k, At: at}); len(acts) != 0 {
				t.Errorf("%s: event %d with no session of ours = %v, want no action", tc.phase, k, acts)
			}
		}
		m.Fill(&after)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: state after SIGUSR2 and SIGUSR1 with no session = %+v, want unchanged %+v", tc.phase, after, before)
		}
	}
}
