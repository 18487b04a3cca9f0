package supervise

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The driver's own tests: what it does between the machine and the world,
// with the world's fakes and manual clock.

func deviceConfig() Config {
	cfg := base()
	cfg.WaitDevice, cfg.Device = true, "/dev/serial/by-id/usb-Example_Modem-if02"
	return cfg
}

// A pppd that does not end on SIGTERM is killed TermWait later, not
// before; the kill ends the session like any exit.
func TestDriverKillsPPPDThatIgnoresSIGTERM(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.ignoreTerm = true
	w.run(t0.Add(5 * time.Second)) // up at 2 s
	w.at(Event{Kind: EvStop, At: t0.Add(10 * time.Second)})
	w.run(t0.Add(10*time.Second + TermWait - time.Millisecond))
	if w.exit != nil || fmt.Sprint(w.session.signals) != "[TERM]" {
		t.Fatalf("just before TermWait after SIGTERM: exit %v, signals %v; want pppd still running, only SIGTERM sent", w.exit, w.session.signals)
	}
	w.run(t0.Add(time.Hour))
	if fmt.Sprint(w.session.signals) != "[TERM KILL]" || w.exit == nil || *w.exit != 0 {
		t.Errorf("after TermWait: signals %v, exit %v; want SIGKILL then exit 0", w.session.signals, w.exit)
	}
	kills := w.logs("pppd did not end within 20s of SIGTERM: killing it")
	if len(kills) != 1 || !strings.HasPrefix(kills[0], "03-10 12:00:30 ") {
		t.Errorf("kill lines = %q, want one at 12:00:30; log:\n%s", kills, strings.Join(w.log, "\n"))
	}
}

// A pppd that ends on SIGTERM is never killed, even when the wrapper goes
// on (a dead link, then a redial that also ends).
func TestDriverKillTimerEndsWithTheSession(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.at(Event{Kind: EvLinkDead, At: t0.Add(5 * time.Second)})
	w.run(t0.Add(2 * time.Minute))
	for _, l := range w.log {
		if strings.Contains(l, "killing it") {
			t.Fatalf("a pppd that ended 1 s after SIGTERM was killed: %s\n%s", l, strings.Join(w.log, "\n"))
		}
	}
	if w.count(ActStartPPPD) != 2 {
		t.Errorf("sessions = %d, want 2 (the redial after the dead link)", w.count(ActStartPPPD))
	}
}

// The tty is looked for every DevicePoll while it is away; the wait is
// said once; pppd starts within a poll of its coming, with it on the
// command line and the files regenerated first.
func TestDriverWaitsForTheTTY(t *testing.T) {
	w := newWorld(t, deviceConfig(), t0)
	w.tty = ""
	w.at(Event{Kind: evPollTTY, Code: -99, At: t0}) // a stray poll of no wait: ignored
	w.run(t0.Add(3200 * time.Millisecond))
	if w.count(ActStartPPPD) != 0 {
		t.Fatalf("pppd started with no tty")
	}
	if len(w.lookups) != 7 { // at 0, 0.5 … 3 s
		t.Errorf("looked for the tty %d times in 3.2 s, want 7 (once, then every %v): %v", len(w.lookups), DevicePoll, w.lookups)
	}
	if n := len(w.logs("waiting for the module's tty (DEVICE=/dev/serial/by-id/usb-Example_Modem-if02); it may be re-enumerating")); n != 1 {
		t.Errorf("waiting lines = %d, want 1; log:\n%s", n, strings.Join(w.log, "\n"))
	}
	w.tty = "/dev/ttyUSB3"
	w.run(t0.Add(10 * time.Second))
	if len(w.pppdTTYs) != 1 || w.pppdTTYs[0] != "/dev/ttyUSB3" || w.regenerate != 1 {
		t.Fatalf("pppd given %q after %d regenerations, want [/dev/ttyUSB3] after 1", w.pppdTTYs, w.regenerate)
	}
	if got := w.states[len(w.states)-1]; got.Device != "/dev/ttyUSB3" || got.PPPDPID != w.session.pid {
		t.Errorf("state.json device %q, pppd_pid %d; want /dev/ttyUSB3, %d", got.Device, got.PPPDPID, w.session.pid)
	}
	// The module comes back under another name after a dead link.
	w.at(Event{Kind: EvLinkDead, At: t0.Add(11 * time.Second)})
	w.run(t0.Add(12 * time.Second)) // pppd ended at 12 s
	w.tty = "/dev/ttyUSB4"
	w.run(t0.Add(30 * time.Second))
	if fmt.Sprint(w.pppdTTYs) != "[/dev/ttyUSB3 /dev/ttyUSB4]" || w.regenerate != 2 {
		t.Errorf("pppd given %q after %d regenerations, want [/dev/ttyUSB3 /dev/ttyUSB4] after 2", w.pppdTTYs, w.regenerate)
	}
	if len(w.logs("the module's tty is now /dev/ttyUSB4 (was /dev/ttyUSB3)")) != 1 {
		t.Errorf("no line for the new tty; log:\n%s", strings.Join(w.log, "\n"))
	}
}

// The first look already finds it: no waiting line, no poll.
func TestDriverTTYThereAtOnce(t *testing.T) {
	w := newWorld(t, deviceConfig(), t0)
	w.fixed = true
	w.run(t0.Add(time.Second))
	if len(w.logs("waiting for the module's tty")) != 0 || fmt.Sprint(w.pppdTTYs) != "[]" || w.regenerate != 0 {
		t.Errorf("tty fixed and present: waiting lines %q, pppd ttys %q, regenerations %d; want none, one pppd with the peer file's tty, none",
			w.logs("waiting"), w.pppdTTYs, w.regenerate)
	}
}

// A tty that never comes is timed out at the machine's deadline (a poll
// does not overshoot it), and a reset follows.
func TestDriverTimesOutTheTTYWait(t *testing.T) {
	w := newWorld(t, deviceConfig(), t0)
	w.tty = ""
	w.run(t0.Add(2 * time.Minute))
	if len(w.resets) == 0 || !w.resets[0].at.Equal(t0.Add(DeviceWaitMin)) {
		t.Fatalf("resets %v, want the first at +%v", w.resets, DeviceWaitMin)
	}
	if w.count(ActStartPPPD) != 0 {
		t.Errorf("pppd started %d times with no tty, want 0", w.count(ActStartPPPD))
	}
}

// A stop while the tty is awaited ends the polling: nothing starts after
// the exit.
func TestDriverStopEndsTheTTYWait(t *testing.T) {
	w := newWorld(t, deviceConfig(), t0)
	w.tty = ""
	w.at(Event{Kind: EvStop, At: t0.Add(2 * time.Second)})
	w.run(t0.Add(3 * time.Second))
	w.tty = "/dev/ttyUSB2"
	if w.exit == nil || *w.exit != 0 {
		t.Fatalf("stop while waiting for the tty: exit %v, want 0", w.exit)
	}
	for _, tm := range w.clock.timers {
		if !tm.stopped {
			t.Errorf("a timer is left at %v after the exit", tm.at)
		}
	}
}

// At the exit nothing of ours is left: a running modem_reset is stopped,
// the monitors are ended, the last line says so.
func TestDriverFinishStopsTheReset(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
	w.run(t0.Add(13 * time.Second)) // the third failure at 13 s: resetting
	if w.m.Phase() != PhaseResetting {
		t.Fatalf("setup: phase %s, want resetting", w.m.Phase())
	}
	w.at(Event{Kind: EvStop, At: t0.Add(14 * time.Second)})
	w.run(t0.Add(15 * time.Second))
	if w.lastReset == nil || w.lastReset.running || w.monitorsStopped != 1 {
		t.Errorf("after a stop during a reset: reset running %v, monitors stopped %d times; want ended, once", w.lastReset != nil && w.lastReset.running, w.monitorsStopped)
	}
	if last := w.log[len(w.log)-1]; !strings.HasSuffix(last, " stopped") {
		t.Errorf("last line %q, want \"stopped\"", last)
	}
}

// SIGHUP changes nothing but says why.
func TestDriverHangupIsOnlyALine(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.run(t0.Add(5 * time.Second))
	n := len(w.acts)
	w.at(Event{Kind: EvHangup, At: t0.Add(6 * time.Second)})
	w.run(t0.Add(7 * time.Second))
	if got := w.acts[n:]; len(got) != 1 || got[0].Kind != ActLog || !strings.Contains(got[0].Text, "SIGHUP ignored") || w.m.Phase() != PhaseUp {
		t.Errorf("SIGHUP: actions %v, phase %s; want one line and still up", got, w.m.Phase())
	}
}

// While the module is being reset, and in the HOLDOFF after, the tty is
// not looked for: a RESET_AT reset during the wait ends the polling.
func TestDriverNoPollingDuringAReset(t *testing.T) {
	cfg := deviceConfig()
	cfg.ResetAlways, cfg.ResetAt = true, &TimeOfDay{12, 1}
	cfg.ResetWait = time.Minute // the tty is waited for 2 min: RESET_AT comes first
	w := newWorld(t, cfg, t0)
	w.tty = ""
	w.run(t0.Add(2 * time.Minute))
	if len(w.resets) == 0 || !w.resets[0].at.Equal(t0.Add(time.Minute)) {
		t.Fatalf("resets %v, want one at RESET_AT 12:01", w.resets)
	}
	redial := t0.Add(time.Minute + 3*time.Second + cfg.Holdoff) // reset 3 s, then HOLDOFF
	for _, at := range w.lookups {
		if at.After(t0.Add(time.Minute)) && at.Before(redial) {
			t.Fatalf("looked for the tty at %v, during the reset or its HOLDOFF (%v to %v)", at.Format("15:04:05.000"), t0.Add(time.Minute).Format("15:04:05"), redial.Format("15:04:05"))
		}
	}
}
