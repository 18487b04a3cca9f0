package wallclock

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// fakeTimer plays the kernel: the test says when the instant passes or
// the clock is set.
type fakeTimer struct {
	wake   chan bool // true: the clock was set
	closed chan struct{}
	mu     sync.Mutex
	armed  []time.Time
}

func newFake() *fakeTimer {
	return &fakeTimer{wake: make(chan bool), closed: make(chan struct{})}
}

func (f *fakeTimer) wait() (bool, error) {
	select {
	case set := <-f.wake:
		return set, nil
	case <-f.closed:
		return false, errors.New("closed")
	}
}

func (f *fakeTimer) arm(at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed = append(f.armed, at)
	return nil
}

func (f *fakeTimer) close() error { close(f.closed); return nil }

func (f *fakeTimer) arms() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.armed...)
}

func receive(t *testing.T, a *Alarm) Fired {
	t.Helper()
	select {
	case f, ok := <-a.C():
		if !ok {
			t.Fatalf("C() closed, want a wake-up")
		}
		return f
	case <-time.After(5 * time.Second):
		t.Fatalf("no wake-up within 5 s")
	}
	return Fired{}
}

// A clock set is reported as such, and the timer is armed again for the
// same instant (the kernel reports a set until it is), so that the alarm
// still comes and the next set is reported too.
func TestClockSetIsReportedAndRearmed(t *testing.T) {
	ft := newFake()
	a := newAlarm(ft)
	defer a.Close()
	at := time.Date(2026, 3, 10, 4, 0, 0, 0, time.UTC)
	if err := a.Set(at); err != nil {
		t.Fatal(err)
	}
	ft.wake <- true
	if f := receive(t, a); !f.ClockSet {
		t.Errorf("after a clock set: Fired = %+v, want ClockSet", f)
	}
	if got := ft.arms(); len(got) != 2 || !got[1].Equal(at) {
		t.Errorf("arms after a clock set = %v, want [%v %v] (armed again for the same instant)", got, at, at)
	}
	ft.wake <- false
	if f := receive(t, a); f.ClockSet {
		t.Errorf("the instant passed: Fired = %+v, want ClockSet false", f)
	}
	ft.wake <- true
	if f := receive(t, a); !f.ClockSet {
		t.Errorf("second clock set: Fired = %+v, want ClockSet", f)
	}
}

// Close ends the goroutine and closes C, even while a wake-up waits to be
// taken.
func TestCloseClosesC(t *testing.T) {
	ft := newFake()
	a := newAlarm(ft)
	ft.wake <- false
	ft.wake <- false // the loop now blocks sending the second one
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a.Close() // twice is harmless
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-a.C():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatalf("C() not closed within 5 s of Close")
		}
	}
}
