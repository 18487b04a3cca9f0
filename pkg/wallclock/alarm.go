package wallclock

import (
	"sync"
	"time"
)

// Fired is one wake-up of an Alarm.
type Fired struct {
	// At is the wall-clock time when the Alarm woke.
	At time.Time
	// ClockSet: the system clock was set; the armed instant may or may
	// not have come (the Alarm stays armed for it).
	ClockSet bool
}

// timer is what an Alarm needs from the kernel (timerfd on Linux; a fake
// in tests).
type timer interface {
	// wait blocks until the armed instant passes (false) or the clock is
	// set (true); an error means the timer was closed.
	wait() (clockSet bool, err error)
	// arm sets the instant (zero: disarmed) and asks again to be told of
	// a clock set.
	arm(at time.Time) error
	close() error
}

// Alarm wakes at a wall-clock instant and when the system clock is set.
// Its methods are safe for concurrent use.
type Alarm struct {
	t    timer
	c    chan Fired
	done chan struct{}
	mu   sync.Mutex
	at   time.Time
	once sync.Once
}

func newAlarm(t timer) *Alarm {
	a := &Alarm{t: t, c: make(chan Fired, 1), done: make(chan struct{})}
	go a.loop()
	return a
}

// C delivers the wake-ups; it is closed after Close.
func (a *Alarm) C() <-chan Fired { return a.c }

// Set arms the alarm for at, replacing any earlier instant; an instant in
// the past fires at once, the zero time disarms it (clock sets are still
// reported).
func (a *Alarm) Set(at time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.at = at
	return a.t.arm(at)
}

// Close stops the alarm and ends its goroutine.
func (a *Alarm) Close() error {
	var err error
	a.once.Do(func() {
		close(a.done)
		err = a.t.close()
	})
	return err
}

func (a *Alarm) loop() {
	defer close(a.c)
	for {
		clockSet, err := a.t.wait()
		if err != nil {
			return
		}
		if clockSet {
			// The kernel reports a clock set until the timer is armed
			// again: arm it for the same instant (already past after a
			// step forward over it: it fires at once, after this report).
			a.mu.Lock()
			err = a.t.arm(a.at)
			a.mu.Unlock()
			if err != nil {
				return
			}
		}
		select {
		case a.c <- Fired{At: time.Now(), ClockSet: clockSet}:
		case <-a.done:
			return
		}
	}
}
