package supervise

import (
	"fmt"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// pppdStartFailed: no pppd to run (missing, not executable). Dialing
// again or resetting the module cannot help: exit 1, as for pppd's own
// exits 2-4.
func (m *Machine) pppdStartFailed(ev Event, out *actions) {
	code := exitcode.Failure
	switch m.phase {
	case PhaseConnecting:
	case PhaseStopping:
		code = exitcode.OK
	default:
		return
	}
	m.set(PhaseDone, ev.At, ev.Text)
	m.terminating = notEnding
	out.log(LevelError, ev.Text+": exiting (systemd restarts the service)")
	*out = append(*out, Action{Kind: ActExit, Code: code})
}

// resetStartFailed: modem_reset cannot run, and will not until someone
// fixes the installation. The link is kept going without resets (as with
// RESET_ON_FAIL=0) rather than trying a reset that cannot start after
// every RETRY failures.
func (m *Machine) resetStartFailed(ev Event, out *actions) {
	m.resetsOff = ev.Text
	m.lastResetRes, m.lastResetStep = "modem_reset could not be started", runstate.NoResetStep
	d, note := m.dialDelay(ev.At, m.cfg.Holdoff)
	out.log(LevelError, fmt.Sprintf("%s: module resets are off until ppp_wrapper restarts; reconnecting in %v%s", ev.Text, m.cfg.Holdoff, note))
	m.wait(PhaseHoldoff, ev.At, d, "modem_reset cannot run: no module resets", out)
}
