package supervise

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// world plays everything around the real Driver in simulated time: pppd,
// the monitor, modem_reset, the module's tty, the clock and its timers.
// Timers fire in time order (ties in the order they were set); after each,
// the driver handles what was posted, and the actions it takes set more.
type world struct {
	t     *testing.T
	d     *Driver
	m     *Machine
	clock *manualClock
	now   time.Time
	log   []string
	acts  []Action
	exit  *int
	// What pppd does when started at a time: exit with a code after a
	// delay, or come up (code < 0) and stay up until terminated.
	pppd func(at time.Time) (code int, after time.Duration)
	// resetCode is modem_reset's exit status.
	resetCode int
	// resetStep is the last step modem_reset reports (default at).
	resetStep string
	// pppdStartErr and resetStartErr, when set, are why pppd or
	// modem_reset cannot be started at all (missing, not executable).
	pppdStartErr, resetStartErr string
	// tty is where the module's tty is ("" = not there); fixed: the
	// configuration names it.
	tty     string
	fixed   bool
	lookups []time.Time
	// The pppd currently running (at most one), and what was asked of it.
	session    *fakeProcess
	pppdTTYs   []string
	pppdStarts []time.Time
	regenerate int
	resets     []struct {
		at  time.Time
		why string
	}
	// check is what the pre-dial check finds at a time (nil: ready), and
	// checkTime how long it takes.
	check     func(at time.Time) Check
	checkTime time.Duration
	checks    []time.Time
	daily     *manualTimer
	// connectOK is what was written: "1 ICCID" or "0".
	connectOK []string
	states    []runstate.State
	// upFirst: the link comes up 1 s after each start, whatever pppd
	// does later.
	upFirst bool
	// ignoreTerm: pppd does not end on SIGTERM.
	ignoreTerm      bool
	lastReset       *fakeProcess
	monitorsStopped int
	ready           int
	watchdogs       []time.Time
}

func newWorld(t *testing.T, cfg Config, start time.Time) *world {
	w := &world{t: t, clock: &manualClock{now: start}, now: start, tty: "/dev/ttyUSB2"}
	w.d = NewDriver(cfg, (*worldEffects)(w), w.clock)
	w.m = w.d.m
	w.d.trace = func(a Action) { w.acts = append(w.acts, a) }
	w.pppd = func(time.Time) (int, time.Duration) { return -1, 2 * time.Second }
	w.clock.set(start, false, w.d.begin) // EvStart, once the test has set the world up
	return w
}

// at has ev happen at ev.At (a signal from the monitor, say).
func (w *world) at(ev Event) {
	w.clock.set(ev.At, false, func() { w.d.Post(ev) })
}

// run fires timers in time order until until, or until the wrapper exits.
func (w *world) run(until time.Time) {
	for w.exit == nil {
		next := w.clock.next(until)
		if next == nil {
			return
		}
		w.clock.now, w.now = next.at, next.at
		next.f()
		w.d.drain()
		w.checkExit()
	}
}

func (w *world) checkExit() {
	if w.d.done && w.exit == nil {
		c := w.d.finish()
		w.exit = &c
	}
}

// setClock steps the wall clock to to, as NTP or an operator does while
// the world runs: what waits for a duration (pppd, modem_reset, HOLDOFF
// timers) moves with the step; the RESET_AT alarm is a wall-clock time
// and fires at once if the step went past it. The alarm reports the step
// (EvClockSet) before it fires.
func (w *world) setClock(to time.Time) {
	c := w.clock
	step := to.Sub(c.now)
	c.now, w.now = to, to
	old := c.timers
	c.timers = nil
	c.set(to, false, func() { w.d.Post(Event{Kind: EvClockSet}) })
	for _, t := range old {
		if t.wall {
			if t.at.Before(to) {
				t.at = to
			}
		} else {
			t.at = t.at.Add(step)
		}
		c.seq++
		t.seq = c.seq
		c.timers = append(c.timers, t)
	}
}

func (w *world) count(k ActionKind) int {
	n := 0
	for _, a := range w.acts {
		if a.Kind == k {
			n++
		}
	}
	return n
}

func (w *world) logs(substr string) []string {
	var out []string
	for _, l := range w.log {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return out
}

// drain handles every event already posted (tests: a manual clock fires
// timers, then the loop catches up).
func (d *Driver) drain() {
	for !d.done {
		ev, ok := d.take()
		if !ok {
			return
		}
		d.step(ev)
	}
}

// Phase is the machine's current phase.
func (m *Machine) Phase() string { return m.phase }

// worldEffects is the world as the driver's Effects.
type worldEffects world

func (e *worldEffects) w() *world { return (*world)(e) }

func (e *worldEffects) StartPPPD(tty string, exited func(int)) (Process, error) {
	w := e.w()
	if w.session != nil && w.session.running {
		w.t.Fatalf("%v: pppd started twice", w.now)
	}
	if w.pppdStartErr != "" {
		return nil, errorText(w.pppdStartErr)
	}
	w.pppdTTYs = append(w.pppdTTYs, tty)
	w.pppdStarts = append(w.pppdStarts, w.now)
	p := &fakeProcess{w: w, pid: 1000 + len(w.pppdTTYs), running: true, exited: exited}
	w.session = p
	code, after := w.pppd(w.now)
	if code < 0 {
		w.clock.set(w.now.Add(after), false, func() {
			if p.running {
				w.d.Post(Event{Kind: EvLinkUp})
			}
		})
	} else {
		if w.upFirst {
			w.clock.set(w.now.Add(time.Second), false, func() {
				if p.running {
					w.d.Post(Event{Kind: EvLinkUp})
				}
			})
		}
		w.clock.set(w.now.Add(after), false, func() { p.exit(code) })
	}
	return p, nil
}

func (e *worldEffects) StartReset(why string, exited func(int, string)) (Process, error) {
	w := e.w()
	w.resets = append(w.resets, struct {
		at  time.Time
		why string
	}{w.now, why})
	if w.session != nil && w.session.running {
		w.t.Fatalf("%v: module reset while pppd runs", w.now)
	}
	if w.resetStartErr != "" {
		return nil, errorText(w.resetStartErr)
	}
	step := w.resetStep
	if step == "" {
		step = "at"
	}
	p := &fakeProcess{w: w, pid: 2000 + len(w.resets), running: true, exited: func(code int) { exited(code, step) }}
	w.lastReset = p
	w.clock.set(w.now.Add(3*time.Second), false, func() { p.exit(w.resetCode) })
	return p, nil
}

func (e *worldEffects) LookUpTTY() (string, bool, bool) {
	w := e.w()
	w.lookups = append(w.lookups, w.now)
	return w.tty, w.fixed, w.tty != ""
}

func (e *worldEffects) Regenerate() { e.w().regenerate++ }

func (e *worldEffects) Check(tty string, done func(Check)) {
	w := e.w()
	w.checks = append(w.checks, w.now)
	c := Check{Verdict: CheckReady, Text: "SIM ready, registered, home"}
	if w.check != nil {
		c = w.check(w.now)
	}
	d := w.checkTime
	if d == 0 {
		d = 200 * time.Millisecond
	}
	w.clock.set(w.now.Add(d), false, func() { done(c) })
}

func (e *worldEffects) WriteConnectOK(iccid string) {
	e.w().connectOK = append(e.w().connectOK, "1 "+iccid)
}

func (e *worldEffects) ClearConnectOK() { e.w().connectOK = append(e.w().connectOK, "0") }

func (e *worldEffects) ArmDaily(at time.Time) {
	w := e.w()
	if w.daily != nil {
		w.daily.Stop()
	}
	w.daily = w.clock.set(at, true, func() { w.d.Post(Event{Kind: EvDaily}) })
}

func (e *worldEffects) SaveState(s runstate.State) { e.w().states = append(e.w().states, s) }

func (e *worldEffects) Log(_ Level, text string) {
	w := e.w()
	w.log = append(w.log, w.now.Format("01-02 15:04:05 ")+text)
}

func (e *worldEffects) StopMonitors() { e.w().monitorsStopped++ }

func (e *worldEffects) Ready() { e.w().ready++ }

func (e *worldEffects) Watchdog() { e.w().watchdogs = append(e.w().watchdogs, e.w().now) }

type errorText string

func (e errorText) Error() string { return string(e) }

// fakeProcess is pppd or modem_reset in the world: SIGTERM ends it a
// second later (pppd's LCP terminate, exit 5), a kill at once.
type fakeProcess struct {
	w       *world
	pid     int
	running bool
	exited  func(int)
	signals []string
}

func (p *fakeProcess) exit(code int) {
	if p.running {
		p.running = false
		p.exited(code)
	}
}

func (p *fakeProcess) Pid() int      { return p.pid }
func (p *fakeProcess) Running() bool { return p.running }
func (p *fakeProcess) Terminate() {
	p.signals = append(p.signals, "TERM")
	if p.w.ignoreTerm {
		return
	}
	p.w.clock.set(p.w.now.Add(time.Second), false, func() { p.exit(5) })
}
func (p *fakeProcess) Kill() {
	p.signals = append(p.signals, "KILL")
	p.exit(-1)
}
func (p *fakeProcess) Stop(time.Duration) bool { p.Terminate(); p.exit(0); return false }
func (p *fakeProcess) Wait(time.Duration) bool { return !p.running }

// manualClock is a Clock that moves only when the test says.
type manualClock struct {
	now    time.Time
	seq    int
	timers []*manualTimer
}

type manualTimer struct {
	at      time.Time
	seq     int
	wall    bool // a wall-clock alarm: does not move with a clock step
	f       func()
	stopped bool
}

func (t *manualTimer) Stop() bool {
	was := !t.stopped
	t.stopped = true
	return was
}

func (c *manualClock) Now() time.Time { return c.now }

func (c *manualClock) AfterFunc(d time.Duration, f func()) Timer {
	return c.set(c.now.Add(d), false, f)
}

func (c *manualClock) set(at time.Time, wall bool, f func()) *manualTimer {
	c.seq++
	t := &manualTimer{at: at, seq: c.seq, wall: wall, f: f}
	c.timers = append(c.timers, t)
	return t
}

// next removes and returns the first timer due by until (nil: none).
func (c *manualClock) next(until time.Time) *manualTimer {
	live := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped {
			live = append(live, t)
		}
	}
	c.timers = live
	if len(c.timers) == 0 {
		return nil
	}
	sort.SliceStable(c.timers, func(i, j int) bool {
		a, b := c.timers[i], c.timers[j]
		if !a.at.Equal(b.at) {
			return a.at.Before(b.at)
		}
		return a.seq < b.seq
	})
	first := c.timers[0]
	if first.at.After(until) {
		return nil
	}
	c.timers = c.timers[1:]
	first.stopped = true
	return first
}
