package supervise

import (
	"fmt"
	"time"
)

// MinDialInterval is the shortest time between two pppd starts, whatever
// HOLDOFF says.
const MinDialInterval = time.Second

// dialDelay is the wait before the next dial: d, made longer when needed
// so that pppd starts at most once every MinDialInterval (HOLDOFF=0 with a
// pppd that fails at once would otherwise dial thousands of times a
// second); note says so for the log line.
func (m *Machine) dialDelay(at time.Time, d time.Duration) (time.Duration, string) {
	floor := m.lastStart.Add(MinDialInterval).Sub(at)
	if m.lastStart.IsZero() || d >= floor {
		return d, ""
	}
	return floor, fmt.Sprintf("; pppd starts at most once every %v: in %v", MinDialInterval, floor.Round(time.Millisecond))
}
