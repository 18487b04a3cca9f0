package supervise

import (
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// Fill writes the machine's state into s (state.json).
func (m *Machine) Fill(s *runstate.State) {
	s.Phase, s.Since, s.Detail = m.phase, m.since, m.detail
	s.Device = m.tty
	s.Attempts, s.Failures, s.Resets = m.attempts, m.failures, m.resets
	if m.authStreak > 0 {
		s.Failures = m.authStreak
	}
	s.LastExit, s.LastExitMeaning, s.LastExitAt = nil, "", m.lastExitAt
	if m.lastExit != nil {
		code := m.lastExit.Code
		s.LastExit, s.LastExitMeaning = &code, m.lastExit.Meaning
	}
	s.LastReset, s.LastResetWhy, s.LastResetResult, s.LastResetStep = m.lastReset, m.lastResetWhy, m.lastResetRes, m.lastResetStep
	s.LinkUpAt = m.linkUpAt
	s.NextResetAt = m.nextDaily
	s.Ends, s.LastEndClass = m.ends, ""
	if m.ends > 0 {
		s.LastEndClass = m.endClass.String()
	}
	s.Class, s.DownSince = "", m.downSince
	if m.lastClass != ClassNone {
		s.Class = m.lastClass.String()
	}
	s.LinkFailures, s.AuthFailures, s.NetworkRefusals, s.ResetsUnproven = m.linkFailures, m.authStreak, m.netStreak+m.authStreak, m.unproven
	s.ResetsPausedUntil = m.resetPausedUntil()
	s.NextDialAt = time.Time{}
	switch m.phase {
	case PhaseHoldoff, PhaseBackoff, PhaseWaitNetwork:
		s.NextDialAt = m.waitUntil
	}
	f := m.module
	s.CheckedAt, s.SIM, s.Registration, s.SignalDBm, s.Operator, s.ICCID = f.At, f.SIM, f.Registration, f.SignalDBm, f.Operator, f.ICCID
	s.Model, s.Firmware, s.IMEI = f.Model, f.Firmware, f.IMEI
}

// ResumeFrom is what a wrapper starting at now takes over from the
// state.json of the one that ran before it (nil when there is nothing to
// take).
func ResumeFrom(s runstate.State, now time.Time) *Resume {
	// failures and network_refusals include the authentication streak
	// (Fill): take it out of both.
	r := &Resume{Failures: max(0, s.Failures-s.AuthFailures), LinkFailures: s.LinkFailures, AuthStreak: s.AuthFailures,
		NetStreak: max(0, s.NetworkRefusals-s.AuthFailures), Unproven: s.ResetsUnproven, Resets: s.Resets, LastReset: s.LastReset}
	if s.Phase == PhaseUp && !s.LinkUpAt.IsZero() && now.Sub(s.LinkUpAt) >= StableLink {
		// The link had lasted when the wrapper before ended: the counts
		// it had not yet settled are settled.
		r.LinkFailures, r.Unproven = 0, 0
	}
	if *r == (Resume{}) {
		return nil
	}
	return r
}
