package supervise

import "github.com/pppkeep/pppkeep/pkg/runstate"

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
	s.LastReset, s.LastResetWhy, s.LastResetResult = m.lastReset, m.lastResetWhy, m.lastResetRes
	s.LinkUpAt = m.linkUpAt
	s.NextResetAt = m.nextDaily
}
