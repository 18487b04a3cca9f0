package supervise

import (
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// The first line of --status, for each way the link can be.
func TestVerdict(t *testing.T) {
	now := time.Date(2026, 3, 10, 13, 0, 0, 0, time.Local)
	dbm := -113
	for _, tc := range []struct {
		s    runstate.State
		want string
	}{
		{runstate.State{Phase: PhaseUp, LinkUpAt: now.Add(-3*time.Hour - 12*time.Minute), Attempts: 5}, "up 3h12m, session 5"},
		{runstate.State{Phase: PhaseBackoff, Class: "network", NetworkRefusals: 5, DownSince: now.Add(-4 * time.Minute),
			NextDialAt: now.Add(80 * time.Second), ResetsPausedUntil: now.Add(10 * time.Minute)},
			"down 4m: the network ends each call before IP (5 in a row): check APN, ACCOUNT, PASSWORD; next dial in 1m20s; resets paused until 13:10"},
		{runstate.State{Phase: PhaseBackoff, Class: "SIM", SIM: "not inserted", NextDialAt: now.Add(20 * time.Second)}, "down: SIM not inserted; next check in 20s"},
		{runstate.State{Phase: PhaseResetting, Class: "module", Failures: 0, LastResetWhy: "3 failed sessions in a row", DownSince: now.Add(-30 * time.Second)},
			"down 30s: the module fails; resetting the module (3 failed sessions in a row)"},
		{runstate.State{Phase: PhaseHoldoff, Class: "module", Failures: 2, NextDialAt: now.Add(5 * time.Second)}, "down: the module fails (2 in a row); next dial in 5s"},
		{runstate.State{Phase: PhaseChecking, Attempts: 3}, "checking the module, session 3"},
		{runstate.State{Phase: PhaseWaitNetwork, Registration: "searching", SignalDBm: &dbm}, "down: the module searches for the network (searching)"},
		{runstate.State{Phase: PhaseConnecting, Attempts: 1}, "connecting, session 1"},
	} {
		if got := Verdict(tc.s, now); got != tc.want {
			t.Errorf("Verdict(%s, class %q) =\n  %q\nwant\n  %q", tc.s.Phase, tc.s.Class, got, tc.want)
		}
	}
}

// The machine's state.json gives the verdict an operator can act on.
func TestVerdictFromTheMachine(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 16, 3 * time.Second }
	w.run(t0.Add(10 * time.Minute))
	got := Verdict(w.states[len(w.states)-1], w.now.Add(time.Second))
	if !strings.HasPrefix(got, "down ") || !strings.Contains(got, ": the network ends each call before IP (") || !strings.Contains(got, "next dial in") {
		t.Errorf("verdict after 10 min of refused calls = %q", got)
	}
}

// systemd's STATUS= is shown as sent until the next change: times of day,
// not durations that would go stale.
func TestStatusLine(t *testing.T) {
	at := func(h, m, s int) time.Time { return time.Date(2026, 3, 10, h, m, s, 0, time.Local) }
	for _, tc := range []struct {
		s    runstate.State
		want string
	}{
		{runstate.State{Phase: PhaseUp, LinkUpAt: at(12, 3, 4), Attempts: 5}, "up since 12:03:04, session 5"},
		{runstate.State{Phase: PhaseBackoff, Class: "network", NetworkRefusals: 2, DownSince: at(12, 0, 1), NextDialAt: at(12, 5, 10)},
			"down since 12:00:01: the network ends each call before IP (2 in a row): check APN, ACCOUNT, PASSWORD; next dial at 12:05:10"},
		{runstate.State{Phase: PhaseBackoff, Class: "SIM", SIM: "not inserted", NextDialAt: at(12, 0, 30)}, "down: SIM not inserted; next check at 12:00:30"},
	} {
		if got := StatusLine(tc.s); got != tc.want {
			t.Errorf("StatusLine(%s) =\n  %q\nwant\n  %q", tc.s.Phase, got, tc.want)
		}
	}
}

// The loop says it is ready once it runs, and that it is alive on its own
// turns: every interval in simulated time.
func TestDriverReadyAndWatchdog(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.d.Watchdog(10 * time.Second)
	w.run(t0.Add(time.Minute))
	if w.ready != 1 || len(w.watchdogs) != 7 || !w.watchdogs[6].Equal(t0.Add(time.Minute)) {
		t.Errorf("ready %d times, watchdog at %v; want once, and at 0, 10 … 60 s", w.ready, w.watchdogs)
	}
}
