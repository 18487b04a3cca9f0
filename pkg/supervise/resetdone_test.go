package supervise

import (
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// modem_reset's exit status, as state.json tells it and as the wrapper
// goes on: back and ready dials after HOLDOFF; a failed reset, a module
// not ready and a status modem_reset does not use back off.
func TestResetExitStatuses(t *testing.T) {
	for _, tc := range []struct {
		code   int
		result string
		phase  string
	}{
		{exitcode.OK, "module back and ready", PhaseHoldoff},
		{exitcode.Failure, "reset failed", PhaseBackoff},
		{exitcode.NotReady, "module not ready within RESET_WAIT", PhaseBackoff},
		{exitcode.Usage, "modem_reset exit status 2", PhaseBackoff},
	} {
		cfg := base()
		cfg.ResetAlways = true
		m := New(cfg)
		m.Handle(Event{Kind: EvStart, At: t0})
		m.Handle(Event{Kind: EvSessionExited, At: t0.Add(time.Minute), Code: 8})
		if m.Phase() != PhaseResetting {
			t.Fatalf("after a failed session with RESET_ALWAYS=1: phase %s, want %s", m.Phase(), PhaseResetting)
		}
		m.Handle(Event{Kind: EvResetDone, At: t0.Add(2 * time.Minute), Code: tc.code})
		var s runstate.State
		m.Fill(&s)
		if s.LastResetResult != tc.result || s.Phase != tc.phase {
			t.Errorf("Handle(modem_reset exit %d): result %q, phase %s, want %q, %s", tc.code, s.LastResetResult, s.Phase, tc.result, tc.phase)
		}
	}
}
