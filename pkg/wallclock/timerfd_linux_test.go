package wallclock

import (
	"testing"
	"time"
)

// The real timerfd fires at an absolute wall-clock instant, not before.
// (A clock set cannot be tested here without stepping the host's clock,
// which CLOCK_REALTIME shares with every namespace: the fake timer tests
// how a set is handled; this test shows the kernel accepts
// TFD_TIMER_ABSTIME|TFD_TIMER_CANCEL_ON_SET.)
func TestIntegrationAlarmFiresAtWallClockInstant(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Skipf("skipping: no timerfd here: %v", err)
	}
	defer a.Close()
	at := time.Now().Add(200 * time.Millisecond)
	if err := a.Set(at.Add(time.Hour)); err != nil {
		t.Fatalf("Set(+1h) = %v, want nil", err)
	}
	if err := a.Set(at); err != nil { // replaces the hour
		t.Fatalf("Set(+200ms) = %v, want nil", err)
	}
	f := receive(t, a)
	if f.ClockSet || f.At.Round(0).Before(at) {
		t.Errorf("Fired = %+v, want the alarm (ClockSet false) at or after %v", f, at)
	}
}

// An instant already past fires at once; the zero time disarms.
func TestIntegrationAlarmPastAndDisarm(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Skipf("skipping: no timerfd here: %v", err)
	}
	defer a.Close()
	if err := a.Set(time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if f := receive(t, a); f.ClockSet {
		t.Errorf("Set(-1m): Fired = %+v, want the alarm", f)
	}
	// Disarmed, then armed for later: the first wake-up is the later one.
	a.Set(time.Now().Add(100 * time.Millisecond))
	a.Set(time.Time{})
	later := time.Now().Add(300 * time.Millisecond)
	a.Set(later)
	if f := receive(t, a); f.At.Round(0).Before(later) {
		t.Errorf("after a disarm and Set(+300ms): Fired at %v, want at or after %v", f.At, later)
	}
}

// Close unblocks the goroutine waiting in the kernel.
func TestIntegrationCloseUnblocks(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Skipf("skipping: no timerfd here: %v", err)
	}
	a.Set(time.Now().Add(time.Hour))
	a.Close()
	select {
	case _, ok := <-a.C():
		if ok {
			t.Errorf("C() after Close delivered a wake-up, want it closed")
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("C() not closed within 5 s of Close: the reader is still blocked")
	}
}
