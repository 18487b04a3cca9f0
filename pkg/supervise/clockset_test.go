package supervise

import (
	"strings"
	"testing"
	"time"
)

func resetAtConfig() Config {
	cfg := base()
	cfg.ResetAt = &TimeOfDay{4, 0}
	return cfg
}

func day(d, h, min int) time.Time { return time.Date(2026, 3, d, h, min, 0, 0, time.UTC) }

// A router boots with its clock a day ahead (RTC wrong) and arms RESET_AT
// for the next 04:00 of that clock; NTP then sets the clock back a day.
// The disconnect comes at today's 04:00 of the corrected clock, not a day
// late.
func TestClockSetBackRearmsResetAt(t *testing.T) {
	w := newWorld(t, resetAtConfig(), day(11, 2, 0)) // really 03-10 02:00
	w.run(day(11, 2, 10))
	if !w.m.nextDaily.Equal(day(11, 4, 0)) {
		t.Fatalf("armed at %v with the clock a day ahead, want 03-11 04:00", w.m.nextDaily)
	}
	w.setClock(day(10, 2, 10))
	w.run(day(10, 5, 0))
	got := w.logs("RESET_AT 04:00: forced disconnect")
	if len(got) != 1 || !strings.HasPrefix(got[0], "03-10 04:00:00 ") {
		t.Errorf("forced disconnects after the clock was set back a day = %q, want one at 03-10 04:00:00; log:\n%s", got, strings.Join(w.log, "\n"))
	}
	if !w.m.nextDaily.Equal(day(11, 4, 0)) {
		t.Errorf("next RESET_AT = %v, want 03-11 04:00", w.m.nextDaily)
	}
}

// Set forward far past the time: no disconnect now (the existing rule for
// a jump), the next 04:00 from the new clock.
func TestClockSetForwardPastResetAtRearms(t *testing.T) {
	w := newWorld(t, resetAtConfig(), day(10, 2, 0))
	w.run(day(10, 2, 10))
	w.setClock(day(10, 9, 0))
	w.run(day(10, 10, 0))
	if n := w.count(ActTerminatePPPD); n != 0 {
		t.Errorf("clock set forward from 02:10 to 09:00: %d disconnects, want 0; log:\n%s", n, strings.Join(w.log, "\n"))
	}
	if !w.m.nextDaily.Equal(day(11, 4, 0)) {
		t.Errorf("next RESET_AT after the clock was set forward = %v, want 03-11 04:00", w.m.nextDaily)
	}
}

// Set forward to just past the time (within ClockSlack): it is the time.
func TestClockSetJustPastResetAtFires(t *testing.T) {
	w := newWorld(t, resetAtConfig(), day(10, 3, 50))
	w.run(day(10, 3, 55))
	w.setClock(day(10, 4, 1))
	w.run(day(10, 4, 30))
	if got := w.logs("RESET_AT 04:00: forced disconnect"); len(got) != 1 || !strings.HasPrefix(got[0], "03-10 04:01:00 ") {
		t.Errorf("clock set from 03:55 to 04:01: disconnects %q, want one at 04:01", got)
	}
}

// Fired at 04:00 of a clock an hour ahead, then set back an hour: not a
// second disconnect the same day.
func TestClockSetBackAfterFiringDoesNotFireTwice(t *testing.T) {
	w := newWorld(t, resetAtConfig(), day(10, 3, 30))
	w.run(day(10, 4, 30))
	w.setClock(day(10, 3, 30))
	w.run(day(10, 23, 0))
	if got := w.logs("RESET_AT 04:00: forced disconnect"); len(got) != 1 {
		t.Errorf("disconnects on 03-10 with the clock set back after 04:00 = %q, want 1", got)
	}
	if !w.m.nextDaily.Equal(day(11, 4, 0)) {
		t.Errorf("next RESET_AT = %v, want 03-11 04:00", w.m.nextDaily)
	}
}

// Without RESET_AT a clock set changes nothing.
func TestClockSetWithoutResetAt(t *testing.T) {
	m := New(base())
	m.Handle(Event{Kind: EvStart, At: t0})
	if acts := m.Handle(Event{Kind: EvClockSet, At: t0.Add(-24 * time.Hour)}); len(acts) != 0 {
		t.Errorf("clock set without RESET_AT = %v, want nothing", acts)
	}
}
