package supervise

import (
	"strings"
	"testing"
	"time"
)

// A pppd that cannot be started (missing, not executable) is a broken
// installation: dialing again or resetting the module cannot help.
func TestPPPDThatCannotStartExitsWithoutReset(t *testing.T) {
	for _, persist := range []bool{true, false} {
		cfg := base()
		cfg.Persist = persist
		w := newWorld(t, cfg, t0)
		w.pppdStartErr = "cannot start pppd (/usr/sbin/pppd): no such file: install ppp or fix --pppd"
		w.run(t0.Add(time.Minute))
		if w.exit == nil || *w.exit != 1 {
			t.Errorf("PERSIST=%v, pppd cannot start: wrapper exit = %v, want 1; log:\n%s", persist, w.exit, strings.Join(w.log, "\n"))
		}
		if n := w.count(ActStartPPPD); n != 1 {
			t.Errorf("PERSIST=%v, pppd cannot start: %d start attempts, want 1", persist, n)
		}
		if n := w.count(ActRunReset); n != 0 {
			t.Errorf("PERSIST=%v, pppd cannot start: %d module resets, want 0", persist, n)
		}
		if got := w.logs("cannot start pppd (/usr/sbin/pppd): no such file: install ppp or fix --pppd"); len(got) != 1 {
			t.Errorf("PERSIST=%v, pppd cannot start: log %q, want one line naming the cause", persist, w.log)
		}
	}
}

// A modem_reset that cannot be started is tried once; then the wrapper
// keeps dialing without resets (as RESET_ON_FAIL=0), never in a loop of
// failed reset attempts.
func TestModemResetThatCannotStartTurnsResetsOff(t *testing.T) {
	for _, always := range []bool{false, true} {
		cfg := base()
		cfg.ResetAlways = always
		w := newWorld(t, cfg, t0)
		w.resetStartErr = "cannot start modem_reset (/usr/local/sbin/modem_reset): no such file: reinstall pppkeep or fix --modem-reset"
		w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
		w.run(t0.Add(30 * time.Minute))
		if w.exit != nil {
			t.Errorf("RESET_ALWAYS=%v, modem_reset cannot start: wrapper exited %d, want it to keep dialing", always, *w.exit)
		}
		if n := w.count(ActRunReset); n != 1 {
			t.Errorf("RESET_ALWAYS=%v, modem_reset cannot start: %d reset attempts in 30 min, want 1; log:\n%s", always, n, strings.Join(w.log, "\n"))
		}
		if n := w.count(ActStartPPPD); n < 100 {
			t.Errorf("RESET_ALWAYS=%v, modem_reset cannot start: %d sessions in 30 min, want dialing every HOLDOFF (over 100)", always, n)
		}
		if got := w.logs("module resets are off until ppp_wrapper restarts"); len(got) != 1 {
			t.Errorf("RESET_ALWAYS=%v: log lines saying resets are off = %q, want 1", always, got)
		}
	}
}

// With resets off, a module whose tty stays missing is waited for, not
// reset.
func TestResetsOffDeviceTimeoutKeepsWaiting(t *testing.T) {
	cfg := base()
	cfg.WaitDevice = true
	m := New(cfg)
	m.Handle(Event{Kind: EvStart, At: t0})
	m.Handle(Event{Kind: EvDeviceTimeout, At: t0.Add(time.Minute)})
	acts := m.Handle(Event{Kind: EvResetStartFailed, At: t0.Add(time.Minute), Text: "cannot start modem_reset (x): no such file"})
	at := t0.Add(time.Minute)
	for _, a := range acts {
		if a.Kind == ActWaitUntil {
			at = a.At
		}
	}
	m.Handle(Event{Kind: EvWaitOver, At: at})
	acts = m.Handle(Event{Kind: EvDeviceTimeout, At: at.Add(time.Minute)})
	for _, a := range acts {
		if a.Kind == ActRunReset {
			t.Fatalf("tty missing with resets off = %v, want no reset", acts)
		}
	}
	if len(acts) != 2 || acts[1].Kind != ActWaitDevice {
		t.Errorf("tty missing with resets off = %v, want a log line and another wait", acts)
	}
}
