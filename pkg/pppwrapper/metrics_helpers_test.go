package pppwrapper

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/metrics/metricstest"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// readProm parses dir/pppkeep.prom with Prometheus's own text parser.
func readProm(t *testing.T, dir string) metricstest.File {
	t.Helper()
	return metricstest.Read(t, filepath.Join(dir, metricsName))
}

// fakeClock is the metrics file's clock in the tests: time moves when the
// test says, and timers fire then.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at             time.Time
	f              func()
	stopped, fired bool
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) supervise.Timer {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	was := !t.stopped && !t.fired
	t.stopped = true
	return was
}

// advance moves the clock on by d, firing the timers that come due.
func (c *fakeClock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.stopped && !t.fired && !t.at.After(c.now) {
			t.fired = true
			t.f()
		}
	}
}

// armed is the timers that will still fire.
func (c *fakeClock) armed() []time.Time {
	var at []time.Time
	for _, t := range c.timers {
		if !t.stopped && !t.fired {
			at = append(at, t.at)
		}
	}
	return at
}
