package supervise

import (
	"strings"
	"testing"
	"time"
)

// The settings: HOLDOFF=1, RETRY=3, and the pre-dial check on.
func diagnosisConfig() Config {
	cfg := base()
	cfg.Holdoff, cfg.Retry = time.Second, 3
	cfg.WaitDevice, cfg.Check, cfg.Device = true, true, "AUTO"
	return cfg
}

// countIn counts the times in ts within [from, to).
func countIn(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

func (w *world) resetTimes() []time.Time {
	var ts []time.Time
	for _, r := range w.resets {
		ts = append(ts, r.at)
	}
	return ts
}

// A network that ends every call right after CONNECT (pppd exit 16: a
// wrong APN or password on a real network) for a whole day: no reset
// storm. At most 1 reset and 12 dials in the first minute, at most one
// reset an hour after the first hour.
func TestWrongAPNForADay(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 16, 3 * time.Second }
	day := t0.Add(24 * time.Hour)
	w.run(day)
	resets := w.resetTimes()
	dials := len(w.pppdTTYs)
	first := countIn(resets, t0, t0.Add(time.Minute))
	starts := w.pppdStarts
	firstDials := countIn(starts, t0, t0.Add(time.Minute))
	t.Logf("wrong APN, 24 h: %d dials, %d resets; first minute: %d dials, %d resets", dials, len(resets), firstDials, first)
	if first > 1 || firstDials > 12 {
		t.Errorf("first minute: %d resets, %d dials; want at most 1 and 12", first, firstDials)
	}
	for h := 1; h < 24; h++ {
		from := t0.Add(time.Duration(h) * time.Hour)
		if n := countIn(resets, from, from.Add(time.Hour)); n > 1 {
			t.Errorf("hour %d: %d resets, want at most 1", h+1, n)
		}
	}
	if len(resets) == 0 {
		t.Errorf("no reset at all in a day: the last resort never came")
	}
	if got := w.logs("before the link came up: the network ended the call"); len(got) == 0 || !strings.Contains(got[0], "check APN, ACCOUNT, PASSWORD") {
		t.Errorf("the session end lines do not name the likely causes: %q", got[:min(1, len(got))])
	}
	// The waits grow to the cap: in the last hour, at most one dial every
	// ~9 minutes (10 min less the jitter).
	if n := countIn(starts, day.Add(-time.Hour), day); n > 7 {
		t.Errorf("dials in the 24th hour = %d, want at most 7 (the backoff's cap)", n)
	}
}

// A hung module answers no AT: the check finds it in seconds, and after
// RETRY such checks it is reset, with no 45 s chat wait.
func TestHungModuleIsResetWithinSeconds(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	w.checkTime = 3 * time.Second // the check's AT timeout
	w.check = func(time.Time) Check { return Check{Verdict: CheckSilent, Text: "no answer to AT"} }
	w.run(t0.Add(time.Minute))
	if len(w.resets) == 0 {
		t.Fatalf("no reset of a silent module within a minute; log:\n%s", strings.Join(w.log, "\n"))
	}
	first := w.resets[0].at.Sub(t0)
	t.Logf("hung module: first reset %v after the start, %d checks, %d pppd starts", first, len(w.checks), len(w.pppdStarts))
	if first > 30*time.Second || len(w.pppdStarts) != 0 {
		t.Errorf("first reset after %v with %d pppd starts, want within 30 s and none", first, len(w.pppdStarts))
	}
	if len(w.logs("the module does not answer (pre-dial check: no answer to AT), no pppd started: 3 of 3 failures: resetting the module (RESET_ON_FAIL=1) (class: module)")) != 1 {
		t.Errorf("no reset line naming the check; log:\n%s", strings.Join(w.log, "\n"))
	}
}

// No SIM: never a reset, never a dial; checked again at most every
// SIMRecheckMax; the link is up within a minute of the SIM coming back.
func TestSIMMissing(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	back := t0.Add(2 * time.Hour)
	w.check = func(at time.Time) Check {
		if at.Before(back) {
			return Check{Verdict: CheckSIM, Text: "SIM not inserted", Module: ModuleFacts{At: at, SIM: "not inserted"}}
		}
		return Check{Verdict: CheckReady, Text: "SIM ready"}
	}
	w.run(back)
	if len(w.resets) != 0 || len(w.pppdStarts) != 0 {
		t.Errorf("SIM not inserted for 2 h: %d resets, %d dials; want none", len(w.resets), len(w.pppdStarts))
	}
	if st := w.states[len(w.states)-1]; st.Class != "SIM" || st.SIM != "not inserted" {
		t.Errorf("state: class %q, sim %q; want SIM, not inserted", st.Class, st.SIM)
	}
	w.run(back.Add(time.Minute))
	if w.m.Phase() != PhaseUp || w.m.linkUpAt.Sub(back) > time.Minute {
		t.Errorf("SIM back at %v: phase %s, link up at %v; want up within a minute", back, w.m.Phase(), w.m.linkUpAt)
	}
	if got := w.logs("SIM not inserted (pre-dial check): no dial and no module reset"); len(got) == 0 {
		t.Errorf("no error line names the SIM state; log:\n%s", strings.Join(w.log[:min(5, len(w.log))], "\n"))
	}
}

// Registration denied is the network's verdict: no dial, no reset, a
// backoff; once granted, the link comes up.
func TestRegistrationDeniedThenGranted(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	granted := t0.Add(30 * time.Minute)
	w.check = func(at time.Time) Check {
		if at.Before(granted) {
			return Check{Verdict: CheckDenied, Text: "registration denied"}
		}
		return Check{Verdict: CheckReady}
	}
	w.run(granted.Add(11 * time.Minute))
	if len(w.resets) != 0 || countIn(w.pppdStarts, t0, granted) != 0 {
		t.Errorf("registration denied: %d resets, %d dials; want none", len(w.resets), countIn(w.pppdStarts, t0, granted))
	}
	if w.m.Phase() != PhaseUp {
		t.Errorf("after the grant: phase %s, want up; log:\n%s", w.m.Phase(), strings.Join(w.log, "\n"))
	}
}

// A module still searching is waited for, asked every RecheckEvery; then
// the dial follows its registration, or RegistrationWait at most.
func TestSearchingIsWaitedFor(t *testing.T) {
	for _, tc := range []struct {
		name       string
		registered time.Duration
		wantDial   time.Duration
	}{
		{"registers after 20 s", 20 * time.Second, 20 * time.Second},
		{"never registers", 24 * time.Hour, RegistrationWait},
	} {
		w := newWorld(t, diagnosisConfig(), t0)
		w.check = func(at time.Time) Check {
			if at.Sub(t0) < tc.registered {
				return Check{Verdict: CheckSearching, Text: "not registered (searching), signal -113 dBm"}
			}
			return Check{Verdict: CheckReady}
		}
		w.run(t0.Add(2 * time.Minute))
		if len(w.pppdStarts) == 0 {
			t.Fatalf("%s: no dial", tc.name)
		}
		d := w.pppdStarts[0].Sub(t0)
		if d < tc.wantDial || d > tc.wantDial+RecheckEvery+time.Second {
			t.Errorf("%s: first dial after %v, want about %v", tc.name, d, tc.wantDial)
		}
	}
}

// A reset after which the link comes up restores the budget; a restarted
// wrapper keeps the budget it had.
func TestResetBudget(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	cured := false
	w.pppd = func(time.Time) (int, time.Duration) {
		if cured {
			return -1, time.Second
		}
		return 8, time.Second
	}
	w.run(t0.Add(20 * time.Second))
	if len(w.resets) != 1 || w.m.unproven != 1 {
		t.Fatalf("after 3 chat failures: %d resets, %d unproven; want 1, 1", len(w.resets), w.m.unproven)
	}
	cured = true
	w.run(t0.Add(time.Minute))
	if w.m.Phase() != PhaseUp || w.m.unproven != 1 {
		t.Errorf("link up after the reset: phase %s, unproven %d; want up, the reset not yet proven", w.m.Phase(), w.m.unproven)
	}
	// Up for StableLink: the reset is proven, the budget whole.
	w.at(Event{Kind: EvLinkDead, At: t0.Add(StableLink + 2*time.Minute)})
	w.run(t0.Add(StableLink + 2*time.Minute + time.Second))
	if w.m.unproven != 0 || !w.m.resetPausedUntil().IsZero() {
		t.Errorf("after a link that lasted %v: unproven %d; want the budget whole", StableLink, w.m.unproven)
	}

	// A wrapper restarted while resets are paused keeps the pause.
	var st = w.states[len(w.states)-1]
	st.ResetsUnproven, st.LastReset, st.Class = 2, t0.Add(50*time.Second), "module"
	r := ResumeFrom(st, t0.Add(time.Minute))
	cfg := diagnosisConfig()
	cfg.Resume = r
	w2 := newWorld(t, cfg, t0.Add(time.Minute))
	w2.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
	w2.run(t0.Add(10 * time.Minute))
	if len(w2.resets) != 0 {
		t.Errorf("a restarted wrapper reset %d times within the pause of the one before (until %v)", len(w2.resets), w2.m.resetPausedUntil())
	}
	if len(w2.logs("carrying on from the wrapper before")) != 1 || len(w2.logs("resets paused until 12:10")) == 0 {
		t.Errorf("the restarted wrapper does not say what it took over; log:\n%s", strings.Join(w2.log, "\n"))
	}
}

// A SIM swap needs no editor: CONNECT_OK is cleared and the files
// regenerated once when another SIM is in, and written again with the new
// ICCID when the link comes up.
func TestSIMSwapClearsConnectOKOnce(t *testing.T) {
	cfg := diagnosisConfig()
	cfg.ConnectOK, cfg.ConnectOKICCID = true, "89811000221529677050"
	w := newWorld(t, cfg, t0)
	w.fixed = true // no regeneration for a new tty: only the swap's
	newSIM := "89430300001234567890"
	w.check = func(at time.Time) Check {
		return Check{Verdict: CheckReady, Module: ModuleFacts{At: at, SIM: "ready", ICCID: newSIM}}
	}
	w.pppd = func(time.Time) (int, time.Duration) { return -1, time.Second }
	w.run(t0.Add(time.Minute))
	w.at(Event{Kind: EvLinkDead, At: t0.Add(2 * time.Minute)})
	w.run(t0.Add(5 * time.Minute))
	if got := strings.Join(w.connectOK, ", "); got != "0, 1 "+newSIM {
		t.Errorf("CONNECT_OK writes = %q, want cleared once, then 1 with the new ICCID", got)
	}
	// Regenerated at the swap (the APN written once) and after the new
	// CONNECT_OK=1 (the dials after it leave the APN alone).
	if w.regenerate != 2 || len(w.logs("another SIM is in (ICCID "+newSIM+"; CONNECT_OK was written for 89811000221529677050)")) != 1 {
		t.Errorf("regenerations %d, log:\n%s\nwant two, with a line naming both SIMs", w.regenerate, strings.Join(w.log, "\n"))
	}
}

// Review findings, each a sequence that went wrong.

// RESET_ALWAYS resets after every disconnect, but never for a wrong
// password.
func TestResetAlwaysNeverForExit19(t *testing.T) {
	cfg := diagnosisConfig()
	cfg.ResetAlways = true
	w := newWorld(t, cfg, t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 19, 3 * time.Second }
	w.run(t0.Add(10 * time.Minute))
	if len(w.resets) != 0 || len(w.pppdStarts) > 10 {
		t.Errorf("RESET_ALWAYS with exit 19 for 10 min: %d resets, %d dials; want none and the auth backoff", len(w.resets), len(w.pppdStarts))
	}
}

// A wrapper restarted during authentication failures carries them on as
// such: not as module failures that reset at the next exit 8.
func TestResumeKeepsAuthFailuresApart(t *testing.T) {
	w := newWorld(t, diagnosisConfig(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 19, 3 * time.Second }
	w.run(t0.Add(30 * time.Minute))
	st := w.states[len(w.states)-1]
	cfg := diagnosisConfig()
	cfg.Resume = ResumeFrom(st, w.now)
	if cfg.Resume == nil || cfg.Resume.Failures != 0 || cfg.Resume.AuthStreak == 0 {
		t.Fatalf("resume from %d auth failures = %+v, want them as auth failures, no module failures", st.AuthFailures, cfg.Resume)
	}
	w2 := newWorld(t, cfg, w.now)
	w2.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
	w2.run(w.now.Add(3 * time.Second))
	if len(w2.resets) != 0 || len(w2.logs("1 of 3 failures")) != 1 {
		t.Errorf("first chat failure after the restart: %d resets, log:\n%s\nwant 1 of 3, no reset", len(w2.resets), strings.Join(w2.log, "\n"))
	}
}

// PERSIST=0: the first session's outcome ends the wrapper, also when the
// check kept pppd from starting.
func TestPersistZeroWithAFailedCheck(t *testing.T) {
	for _, v := range []CheckVerdict{CheckSilent, CheckSIM, CheckDenied} {
		cfg := diagnosisConfig()
		cfg.Persist = false
		w := newWorld(t, cfg, t0)
		w.check = func(time.Time) Check { return Check{Verdict: v, Text: "x"} }
		w.run(t0.Add(10 * time.Minute))
		if w.exit == nil || *w.exit != 0 || len(w.checks) != 1 || len(w.resets) != 0 {
			t.Errorf("PERSIST=0, check verdict %d: exit %v after %d checks, %d resets; want exit 0 after one, none", v, w.exit, len(w.checks), len(w.resets))
		}
	}
}

// RESET_AT with RESET_ALWAYS while a check holds the port: the reset
// follows the check, it is not lost for a day.
func TestResetAtDuringACheck(t *testing.T) {
	cfg := diagnosisConfig()
	cfg.ResetAlways, cfg.ResetAt = true, &TimeOfDay{12, 10}
	w := newWorld(t, cfg, t0)
	w.checkTime = 3 * time.Second
	w.pppd = func(time.Time) (int, time.Duration) { return -1, time.Second }
	w.at(Event{Kind: EvLinkDead, At: t0.Add(9*time.Minute + 53*time.Second)}) // ended 12:09:54, reset until :57, HOLDOFF, the check 12:09:58-12:10:01
	w.run(t0.Add(11 * time.Minute))
	var daily []time.Time
	for _, r := range w.resets {
		if strings.HasPrefix(r.why, "RESET_AT 12:10") {
			daily = append(daily, r.at)
		}
	}
	if len(daily) != 1 || daily[0].After(t0.Add(10*time.Minute+5*time.Second)) {
		t.Errorf("RESET_AT resets %v, want one right after the check that spanned 12:10; log:\n%s", daily, strings.Join(w.log, "\n"))
	}
}
