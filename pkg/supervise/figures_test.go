package supervise

import (
	"testing"
	"time"
)

// TestCureFigures prints, for each failure class, what a day of it costs
// in dials and resets under the settings (HOLDOFF=1, RETRY=3),
// in simulated time; make bench shows these lines. The bounds are the
// targets the classes were built for.
func TestCureFigures(t *testing.T) {
	for _, tc := range []struct {
		class string
		setup func(w *world)
		// bounds: resets in the first minute, dials in the first minute,
		// resets in any later hour.
		maxFirstResets, maxFirstDials, maxHourlyResets int
	}{
		{"network (every call ended after CONNECT, pppd exit 16)", func(w *world) {
			w.pppd = func(time.Time) (int, time.Duration) { return 16, 3 * time.Second }
		}, 1, 12, 1},
		{"network (wrong password, pppd exit 19)", func(w *world) {
			w.pppd = func(time.Time) (int, time.Duration) { return 19, 3 * time.Second }
		}, 0, 12, 0},
		{"module (silent: no answer to AT)", func(w *world) {
			w.checkTime = 2 * time.Second
			w.check = func(time.Time) Check { return Check{Verdict: CheckSilent, Text: "no answer to AT"} }
		}, 1, 0, 1},
		{"module (chat fails, pppd exit 8 after 45 s)", func(w *world) {
			w.pppd = func(time.Time) (int, time.Duration) { return 8, 45 * time.Second }
		}, 1, 2, 1},
		{"SIM (not inserted)", func(w *world) {
			w.check = func(time.Time) Check { return Check{Verdict: CheckSIM, Text: "SIM not inserted"} }
		}, 0, 0, 0},
		{"network (registration denied)", func(w *world) {
			w.check = func(time.Time) Check { return Check{Verdict: CheckDenied, Text: "registration denied"} }
		}, 0, 0, 0},
		{"link (up 2 min, then dead, again and again)", func(w *world) {
			w.pppd = func(at time.Time) (int, time.Duration) { return 16, 2*time.Minute + 2*time.Second }
			w.upFirst = true
		}, 0, 1, 1},
	} {
		w := newWorld(t, diagnosisConfig(), t0)
		tc.setup(w)
		day := t0.Add(24 * time.Hour)
		w.run(day)
		resets := w.resetTimes()
		firstResets := countIn(resets, t0, t0.Add(time.Minute))
		firstDials := countIn(w.pppdStarts, t0, t0.Add(time.Minute))
		worstHour := 0
		for h := 1; h < 24; h++ {
			from := t0.Add(time.Duration(h) * time.Hour)
			worstHour = max(worstHour, countIn(resets, from, from.Add(time.Hour)))
		}
		first := "none"
		if len(resets) > 0 {
			first = resets[0].Sub(t0).String()
		}
		t.Logf("figure: %-55s first minute: %2d dials, %d resets; day: %4d dials, %3d resets, at most %d an hour after the first; first reset %s\n",
			tc.class, firstDials, firstResets, len(w.pppdStarts), len(resets), worstHour, first)
		if firstResets > tc.maxFirstResets || firstDials > tc.maxFirstDials || worstHour > tc.maxHourlyResets {
			t.Errorf("%s: first minute %d resets, %d dials; worst later hour %d resets; want at most %d, %d, %d",
				tc.class, firstResets, firstDials, worstHour, tc.maxFirstResets, tc.maxFirstDials, tc.maxHourlyResets)
		}
	}
}
