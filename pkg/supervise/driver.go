package supervise

import (
	"fmt"
	"sync"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// ResetGrace is how long modem_reset gets to end after SIGTERM when the
// wrapper stops, before its process group is killed; a pppd killed at the
// stop is waited for as long.
const ResetGrace = 5 * time.Second

// DevicePoll is how often the module's tty is looked for while it is away
// (re-enumerating after a reset, or unplugged).
const DevicePoll = 500 * time.Millisecond

// Driver is ppp_wrapper's event loop: it feeds events to the Machine and
// turns the actions it returns into effects, and the effects' results
// (process exits, timers, the tty found) back into events. It decides
// nothing the operator could notice; that is the machine's.
type Driver struct {
	m     *Machine
	fx    Effects
	clock Clock

	mu    sync.Mutex
	inbox []Event
	wake  chan struct{}

	session, reset Process
	wait, kill     Timer
	// The device wait: a poll timer, the deadline, and a generation that
	// makes the polls of an earlier wait count for nothing.
	poll      Timer
	pollUntil time.Time
	pollGen   int
	exitCode  int
	done      bool
	// watchdog is how often the loop says it is alive (0: never).
	watchdog time.Duration
	trace    func(Action) // tests: every action, in order
}

// The driver's own events, which the machine never sees: evPollTTY looks
// for the tty again (Code is the wait's generation); evWatchdog is the
// loop's turn to say it is alive.
const (
	evPollTTY  EventKind = -1
	evWatchdog EventKind = -2
)

// Watchdog has the loop call Effects.Watchdog every every (systemd's
// WatchdogSec= halved), from its own turn: if the loop stops handling
// events, the calls stop and systemd restarts the service.
func (d *Driver) Watchdog(every time.Duration) { d.watchdog = every }

// NewDriver returns a driver for a machine with cfg.
func NewDriver(cfg Config, fx Effects, clock Clock) *Driver {
	return &Driver{m: New(cfg), fx: fx, clock: clock, wake: make(chan struct{}, 1)}
}

// Post hands an event to the loop; safe from any goroutine, never blocks.
// Its time is the clock's when the loop takes it.
func (d *Driver) Post(ev Event) {
	d.mu.Lock()
	d.inbox = append(d.inbox, ev)
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *Driver) take() (Event, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.inbox) == 0 {
		return Event{}, false
	}
	ev := d.inbox[0]
	d.inbox = d.inbox[1:]
	return ev, true
}

// Run starts the machine and handles events until it exits, then leaves
// nothing behind (no pppd, no modem_reset, no monitor). It returns the
// exit status.
func (d *Driver) Run() int {
	d.begin()
	for !d.done {
		ev, ok := d.take()
		if !ok {
			<-d.wake
			continue
		}
		d.step(ev)
	}
	return d.finish()
}

func (d *Driver) begin() {
	d.step(Event{Kind: EvStart})
	d.fx.Ready()
	if d.watchdog > 0 {
		d.step(Event{Kind: evWatchdog})
	}
}

func (d *Driver) step(ev Event) {
	ev.At = d.clock.Now()
	switch ev.Kind {
	case evPollTTY:
		d.pollTTY(ev)
		return
	case evWatchdog:
		d.fx.Watchdog()
		d.after(d.watchdog, Event{Kind: evWatchdog})
		return
	case EvSessionExited:
		d.session = nil
		stop(&d.kill)
	case EvResetDone, EvResetStartFailed:
		d.reset = nil
	}
	for _, a := range d.m.Handle(ev) {
		if d.trace != nil {
			d.trace(a)
		}
		d.do(a)
	}
	d.saveState()
}

func (d *Driver) do(a Action) {
	now := d.clock.Now()
	switch a.Kind {
	case ActLog:
		d.fx.Log(a.Level, a.Text)
	case ActWaitDevice:
		d.waitDevice(a.At)
	case ActRegenerate:
		d.fx.Regenerate()
	case ActCheck:
		d.fx.Check(a.TTY, func(c Check) { d.Post(Event{Kind: EvCheckDone, Check: c}) })
	case ActStartPPPD:
		d.session = d.start(EvSessionExited, EvPPPDStartFailed, func(exited func(int)) (Process, error) {
			return d.fx.StartPPPD(a.TTY, exited)
		})
	case ActTerminatePPPD:
		if d.session != nil {
			d.session.Terminate()
			stop(&d.kill)
			d.kill = d.after(a.At.Sub(now), Event{Kind: EvTermTimeout})
		}
	case ActKillPPPD:
		if d.session != nil {
			d.session.Kill()
		}
	case ActRunReset:
		p, err := d.fx.StartReset(a.Reason, func(code int, step string) {
			d.Post(Event{Kind: EvResetDone, Code: code, Step: step})
		})
		d.reset = p
		if err != nil {
			d.reset = nil
			d.Post(Event{Kind: EvResetStartFailed, Text: err.Error()})
		}
	case ActCancelReset:
		if d.reset != nil {
			d.reset.Terminate()
		}
	case ActWaitUntil:
		stop(&d.wait)
		d.wait = d.after(a.At.Sub(now), Event{Kind: EvWaitOver})
	case ActCancelWait:
		stop(&d.wait)
		d.stopPolling()
	case ActArmDaily:
		d.fx.ArmDaily(a.At)
	case ActWriteConnectOK:
		d.fx.WriteConnectOK(a.ICCID)
	case ActClearConnectOK:
		d.fx.ClearConnectOK()
	case ActExit:
		d.exitCode, d.done = a.Code, true
	}
}

// start starts a child with run; its exit comes back as an exitKind event
// with its status. When it cannot be started, a failKind event says why
// and start returns nil: the machine decides what follows, after this
// round of actions.
func (d *Driver) start(exitKind, failKind EventKind, run func(exited func(int)) (Process, error)) Process {
	p, err := run(func(code int) { d.Post(Event{Kind: exitKind, Code: code}) })
	if err != nil {
		d.Post(Event{Kind: failKind, Text: err.Error()})
		return nil
	}
	return p
}

func (d *Driver) after(wait time.Duration, ev Event) Timer {
	return d.clock.AfterFunc(wait, func() { d.Post(ev) })
}

func stop(t *Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}

// waitDevice looks for the tty now and then every DevicePoll until it is
// there (EvDeviceReady) or until passes (EvDeviceTimeout); when it is not
// there at once, the machine hears so (EvDeviceAbsent).
func (d *Driver) waitDevice(until time.Time) {
	d.stopPolling()
	d.pollUntil = until
	if d.lookUp() {
		return
	}
	d.Post(Event{Kind: EvDeviceAbsent})
	d.schedulePoll()
}

func (d *Driver) pollTTY(ev Event) {
	if ev.Code != d.pollGen || d.poll == nil {
		return
	}
	d.poll = nil
	if d.lookUp() {
		return
	}
	if !ev.At.Before(d.pollUntil) {
		d.step(Event{Kind: EvDeviceTimeout})
		return
	}
	d.schedulePoll()
}

// lookUp posts EvDeviceReady when the tty is there.
func (d *Driver) lookUp() bool {
	tty, fixed, present := d.fx.LookUpTTY()
	if present {
		d.Post(Event{Kind: EvDeviceReady, TTY: tty, Fixed: fixed})
	}
	return present
}

func (d *Driver) schedulePoll() {
	wait := min(DevicePoll, d.pollUntil.Sub(d.clock.Now()))
	d.poll = d.after(wait, Event{Kind: evPollTTY, Code: d.pollGen})
}

func (d *Driver) stopPolling() {
	d.pollGen++
	stop(&d.poll)
}

func (d *Driver) saveState() {
	var s runstate.State
	d.m.Fill(&s)
	if d.session != nil && d.session.Running() {
		s.PPPDPID = d.session.Pid()
	}
	d.fx.SaveState(s)
}

// finish leaves nothing behind: no pppd, no reset, no monitor.
func (d *Driver) finish() int {
	d.stopPolling()
	stop(&d.wait)
	stop(&d.kill)
	if d.session != nil && d.session.Running() {
		d.session.Kill()
		d.session.Wait(ResetGrace)
	}
	if d.reset != nil && d.reset.Running() && d.reset.Stop(ResetGrace) {
		d.fx.Log(LevelWarning, fmt.Sprintf("modem_reset (pid %d) did not end within %v of SIGTERM: killed it", d.reset.Pid(), ResetGrace))
	}
	d.fx.StopMonitors()
	d.fx.Log(LevelInfo, "stopped")
	return d.exitCode
}
