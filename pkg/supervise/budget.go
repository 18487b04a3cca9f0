package supervise

import (
	"fmt"
	"time"
)

// The reset budget. A reset that a lasting link follows (up StableLink)
// restores it; a reset that is not (the module came back, the link still
// fails, or comes up only to die again) makes the next one wait:
// Config.ResetPause after the first such reset, doubling up to
// Config.ResetPauseMax. Failure-driven resets only: RESET_ALWAYS and
// RESET_AT are the operator's explicit choice and are not held back.
const (
	DefaultResetPause    = 5 * time.Minute
	DefaultResetPauseMax = 4 * time.Hour
)

// resetPausedUntil is when the next failure-driven reset may run (zero:
// now).
func (m *Machine) resetPausedUntil() time.Time {
	if m.unproven == 0 {
		return time.Time{}
	}
	pause := m.cfg.ResetPause
	for i := 1; i < m.unproven && pause < m.cfg.ResetPauseMax; i++ {
		pause *= 2
	}
	return m.lastReset.Add(min(pause, m.cfg.ResetPauseMax))
}

// budgetAllows reports whether a failure-driven reset may run at at, and
// when not, says why for the log and status.
func (m *Machine) budgetAllows(at time.Time) (bool, string) {
	until := m.resetPausedUntil()
	if until.IsZero() || !at.Before(until) {
		return true, ""
	}
	return false, fmt.Sprintf("resets paused until %s: the last %d not followed by a link lasting %v",
		until.In(m.cfg.Loc).Format("15:04"), m.unproven, StableLink)
}

// resetBlocked says why a failure-driven reset cannot run at at
// (RESET_ON_FAIL=0, modem_reset cannot run, the budget's pause), or "" when
// it may.
func (m *Machine) resetBlocked(at time.Time) string {
	switch ok, paused := m.budgetAllows(at); {
	case !m.cfg.ResetOnFail:
		return "RESET_ON_FAIL=0"
	case m.resetsOff != "":
		return "modem_reset cannot run"
	case !ok:
		return paused
	}
	return ""
}
