package pppwrapper

import (
	"testing"
	"time"
)

// The network backoff is spread by up to ±10 %, and it is spread: a fleet
// that lost the network together does not redial in step.
func TestJitterSpreadsWithinTenPercent(t *testing.T) {
	const d = 40 * time.Second
	seen := map[time.Duration]bool{}
	for range 1000 {
		j := jitter(d)
		if j < d*9/10 || j > d*11/10 {
			t.Fatalf("jitter(%v) = %v, want within ±10 %%", d, j)
		}
		seen[j.Round(100*time.Millisecond)] = true
	}
	if len(seen) < 20 {
		t.Errorf("jitter(%v) gave %d distinct waits in 1000, want them spread", d, len(seen))
	}
}
