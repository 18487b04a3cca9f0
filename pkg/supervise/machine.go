package supervise

import (
	"fmt"
	"time"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
)

// Config is what the supervisor's decisions depend on (from
// /etc/default/ppp).
type Config struct {
	Persist, ResetOnFail, ResetAlways bool
	ResetAt                           *TimeOfDay
	Holdoff                           time.Duration
	Retry                             int
	ResetWait                         time.Duration
	// ConnectOK: CONNECT_OK=1 is already in the file.
	ConnectOK bool
	// WaitDevice: the module's tty is known and is waited for before each
	// dial (generated files; not with a hand-written PROVIDER peer).
	WaitDevice bool
	// Device is DEVICE as configured, for the log.
	Device string
	Loc    *time.Location
}

// Phases of the supervisor, as state.json shows them.
const (
	PhaseWaitDevice = "waiting-for-device"
	PhaseConnecting = "connecting"
	PhaseUp         = "up"
	PhaseHoldoff    = "holdoff"
	PhaseBackoff    = "backoff"
	PhaseResetting  = "resetting"
	PhaseStopping   = "stopping"
	PhaseDone       = "done"
)

// EventKind says what happened.
type EventKind int

const (
	EvStart         EventKind = iota
	EvDeviceReady             // the module's tty is there
	EvDeviceTimeout           // the tty stayed away for the whole WaitDevice deadline
	EvSessionExited           // pppd exited with Code
	EvLinkUp                  // SIGUSR2 from the monitor
	EvLinkDead                // SIGUSR1 from the monitor
	EvWaitOver                // the WaitUntil time came
	EvDaily                   // the ArmDaily time came
	EvResetDone               // modem_reset exited with Code
	EvStop                    // SIGTERM/SIGINT
	// EvPPPDStartFailed: pppd could not be started at all (missing, not
	// executable, exec error); Text says why and what to fix.
	EvPPPDStartFailed
	// EvResetStartFailed: modem_reset could not be started; Text says why.
	EvResetStartFailed
	// EvClockSet: the system clock was set (a step, not NTP's slewing),
	// forward or back; At is the time on the new clock.
	EvClockSet
	// EvDeviceAbsent: the tty was not there when the wait began (the
	// driver goes on looking).
	EvDeviceAbsent
	// EvTermTimeout: the ActTerminatePPPD deadline came.
	EvTermTimeout
	// EvHangup: SIGHUP.
	EvHangup
)

// Event is one input of the machine.
type Event struct {
	Kind EventKind
	At   time.Time
	Code int
	Text string
	// With EvDeviceReady: the module's tty, and whether the configuration
	// fixes its name (the peer file already names it).
	TTY   string
	Fixed bool
}

// ActionKind says what the driver must do.
type ActionKind int

const (
	ActWaitDevice     ActionKind = iota // wait for the tty until At; then EvDeviceReady or EvDeviceTimeout
	ActStartPPPD                        // start pppd, with TTY on its command line when not empty
	ActTerminatePPPD                    // SIGTERM to pppd (Reason); EvTermTimeout at At
	ActKillPPPD                         // kill pppd's process group
	ActRegenerate                       // bring the generated files up to date (run gen_pppconfig)
	ActRunReset                         // run modem_reset (Reason); then EvResetDone
	ActCancelReset                      // stop a running modem_reset
	ActWaitUntil                        // one timer: EvWaitOver at At (replaces any earlier one)
	ActCancelWait                       // drop the WaitUntil timer
	ActArmDaily                         // the RESET_AT timer: EvDaily at At
	ActWriteConnectOK                   // write CONNECT_OK=1
	ActLog                              // log Text at Level
	ActExit                             // exit with Code
)

// Action is one output of the machine.
type Action struct {
	Kind   ActionKind
	At     time.Time
	Reason string
	Text   string
	Level  Level
	Code   int
	TTY    string
}

// Backoff limits: authentication failures and failed resets double the
// wait from max(HOLDOFF, BackoffMin) up to BackoffMax.
const (
	BackoffMin = 5 * time.Second
	BackoffMax = 10 * time.Minute
)

// ClockSlack is how late a RESET_AT event may come and still fire; later
// than that, the wall clock jumped.
const ClockSlack = 2 * time.Minute

// DeviceWaitMin is the shortest time a missing module is waited for before
// it is reset (with RESET_ON_FAIL); the wait is 2×RESET_WAIT when longer.
const DeviceWaitMin = time.Minute

// TermWait is how long pppd gets to end the link after SIGTERM (LCP
// TermReq, the ip-down hook) before it is killed. ppp.service's
// TimeoutStopSec is longer.
const TermWait = 20 * time.Second

// Machine is the supervisor's state. The zero value is not usable: New.
type Machine struct {
	cfg   Config
	phase string
	since time.Time
	// The current session.
	attempts    int
	linkUp      bool
	terminating ending    // why we ended the session ourselves
	killAt      time.Time // when pppd is killed if SIGTERM did not end it
	// The module's tty as last found, and whether the configuration fixes
	// its name ("" = the peer file's).
	tty      string
	ttyFixed bool
	// Counts across sessions.
	failures     int    // failures in a row (not counting auth failures)
	authStreak   int    // authentication failures in a row
	failedResets int    // modem_reset runs in a row that did not bring the module back
	resetsOff    string // why modem_reset cannot run ("" = it can): no more resets
	lastStart    time.Time
	resets       int
	connectOK    bool
	lastDaily    time.Time
	nextDaily    time.Time
	waitUntil    time.Time
	lastExit     *Exit
	lastExitAt   time.Time
	lastReset    time.Time
	lastResetWhy string
	lastResetRes string
	linkUpAt     time.Time
	detail       string
}

// New returns a machine for cfg; feed it EvStart first.
func New(cfg Config) *Machine {
	if cfg.Loc == nil {
		cfg.Loc = time.Local
	}
	if cfg.Retry < 1 {
		cfg.Retry = 1
	}
	return &Machine{cfg: cfg, connectOK: cfg.ConnectOK}
}

// Handle takes one event and returns what to do, in order.
func (m *Machine) Handle(ev Event) []Action {
	var out actions
	switch ev.Kind {
	case EvStart:
		m.armDaily(ev.At, &out)
		m.dial(ev.At, &out)
	case EvDeviceReady:
		m.deviceReady(ev, &out)
	case EvDeviceAbsent:
		if m.phase == PhaseWaitDevice {
			out.log(LevelInfo, fmt.Sprintf("waiting for the module's tty (DEVICE=%s); it may be re-enumerating", m.cfg.Device))
		}
	case EvTermTimeout:
		m.termTimeout(ev.At, &out)
	case EvHangup:
		out.log(LevelInfo, "SIGHUP ignored: restart the service to read a changed configuration")
	case EvDeviceTimeout:
		if m.phase != PhaseWaitDevice {
			break
		}
		if m.cfg.ResetOnFail && m.resetsOff == "" {
			m.reset(ev.At, fmt.Sprintf("the module's tty has been missing for %v", m.deviceWait()), &out)
		} else {
			why := "RESET_ON_FAIL=0"
			if m.cfg.ResetOnFail {
				why = "modem_reset cannot run"
			}
			out.log(LevelWarning, fmt.Sprintf("the module's tty is still missing after %v (%s: not resetting); still waiting", m.deviceWait(), why))
			out = append(out, Action{Kind: ActWaitDevice, At: ev.At.Add(m.deviceWait())})
		}
	case EvSessionExited:
		m.sessionEnded(ev, &out)
	case EvLinkUp:
		if m.phase != PhaseConnecting && m.phase != PhaseUp {
			break
		}
		m.linkUp, m.linkUpAt = true, ev.At
		m.failures, m.authStreak, m.failedResets = 0, 0, 0
		m.set(PhaseUp, ev.At, "")
		out.log(LevelInfo, fmt.Sprintf("session %d: link up", m.attempts))
		if !m.connectOK {
			m.connectOK = true
			out = append(out, Action{Kind: ActWriteConnectOK})
		}
	case EvLinkDead:
		if (m.phase == PhaseConnecting || m.phase == PhaseUp) && m.terminating == notEnding {
			m.terminating = endedDead
			out.log(LevelWarning, fmt.Sprintf("session %d: the monitor found the link dead: disconnecting", m.attempts))
			m.terminate(ev.At, "the monitor found the link dead", &out)
		}
	case EvWaitOver:
		if (m.phase == PhaseHoldoff || m.phase == PhaseBackoff) && !ev.At.Before(m.waitUntil) {
			m.dial(ev.At, &out)
		}
	case EvDaily:
		m.daily(ev.At, &out)
	case EvResetDone:
		if m.phase == PhaseResetting {
			m.resetDone(ev, &out)
		}
	case EvStop:
		m.stop(ev.At, &out)
	case EvPPPDStartFailed:
		m.pppdStartFailed(ev, &out)
	case EvResetStartFailed:
		if m.phase == PhaseResetting {
			m.resetStartFailed(ev, &out)
		}
	case EvClockSet:
		m.clockSet(ev.At, &out)
	}
	return out
}

type actions []Action

func (a *actions) log(level Level, text string) {
	*a = append(*a, Action{Kind: ActLog, Level: level, Text: text})
}

func (m *Machine) set(phase string, at time.Time, detail string) {
	m.phase, m.since, m.detail = phase, at, detail
}

func (m *Machine) deviceWait() time.Duration {
	if d := 2 * m.cfg.ResetWait; d > DeviceWaitMin {
		return d
	}
	return DeviceWaitMin
}

// dial waits for the device (when known) or starts pppd.
func (m *Machine) dial(at time.Time, out *actions) {
	if m.cfg.WaitDevice {
		m.set(PhaseWaitDevice, at, "")
		*out = append(*out, Action{Kind: ActWaitDevice, At: at.Add(m.deviceWait())})
		return
	}
	m.start(at, out)
}

func (m *Machine) start(at time.Time, out *actions) {
	m.attempts++
	m.linkUp, m.terminating, m.killAt = false, notEnding, time.Time{}
	m.lastStart = at
	m.set(PhaseConnecting, at, "")
	if m.tty == "" || m.ttyFixed {
		*out = append(*out, Action{Kind: ActStartPPPD})
		return
	}
	// The module's tty changes after a reset or replug: pppd gets the one
	// it has now (a device on the command line wins over the peer
	// file's), and the peer file is brought up to date first, since pppd
	// refuses one that names a tty which no longer exists (an option
	// error), even with another tty on its command line.
	*out = append(*out, Action{Kind: ActRegenerate}, Action{Kind: ActStartPPPD, TTY: m.tty})
}

// deviceReady: the tty the wait was for is there; pppd is given it.
func (m *Machine) deviceReady(ev Event, out *actions) {
	if m.phase != PhaseWaitDevice {
		return
	}
	if ev.TTY != m.tty && m.tty != "" {
		out.log(LevelInfo, fmt.Sprintf("the module's tty is now %s (was %s)", ev.TTY, m.tty))
	}
	m.tty, m.ttyFixed = ev.TTY, ev.Fixed
	m.start(ev.At, out)
}

// termTimeout: TermWait after SIGTERM, pppd is still there: kill it.
func (m *Machine) termTimeout(at time.Time, out *actions) {
	if m.terminating == notEnding || m.killAt.IsZero() || at.Before(m.killAt) {
		return
	}
	m.killAt = time.Time{}
	out.log(LevelWarning, fmt.Sprintf("pppd did not end within %v of SIGTERM: killing it", TermWait))
	*out = append(*out, Action{Kind: ActKillPPPD})
}

// terminate ends the running session: SIGTERM now, a kill after TermWait.
func (m *Machine) terminate(at time.Time, why string, out *actions) {
	m.killAt = at.Add(TermWait)
	*out = append(*out, Action{Kind: ActTerminatePPPD, Reason: why, At: m.killAt})
}

func (m *Machine) armDaily(now time.Time, out *actions) {
	if m.cfg.ResetAt == nil {
		return
	}
	next := NextDaily(now, *m.cfg.ResetAt, m.cfg.Loc, m.lastDaily)
	if !next.Equal(m.nextDaily) {
		out.log(LevelInfo, "next RESET_AT disconnect: "+next.In(m.cfg.Loc).Format("2006-01-02 15:04 MST"))
	}
	m.nextDaily = next
	*out = append(*out, Action{Kind: ActArmDaily, At: next})
}

func (m *Machine) resetAtText() string {
	return fmt.Sprintf("RESET_AT %02d:%02d", m.cfg.ResetAt.Hour, m.cfg.ResetAt.Minute)
}

func (m *Machine) daily(at time.Time, out *actions) {
	if m.cfg.ResetAt == nil || at.Before(m.nextDaily) {
		return
	}
	// Far past the time: the wall clock jumped (a router without a
	// battery-backed clock setting its time from NTP). That is no reason to
	// disconnect now.
	if at.Sub(m.nextDaily) > ClockSlack {
		out.log(LevelInfo, fmt.Sprintf("%s: the clock jumped past %s; next at the time of day", m.resetAtText(), m.nextDaily.In(m.cfg.Loc).Format("2006-01-02 15:04")))
		m.armDaily(at, out)
		return
	}
	m.lastDaily = Day(m.nextDaily, m.cfg.Loc)
	m.armDaily(at, out)
	switch m.phase {
	case PhaseConnecting, PhaseUp:
		if m.terminating == notEnding {
			m.terminating = endedResetAt
			out.log(LevelInfo, fmt.Sprintf("%s: forced disconnect", m.resetAtText()))
			m.terminate(at, m.resetAtText(), out)
		}
	case PhaseHoldoff, PhaseBackoff, PhaseWaitDevice:
		if m.cfg.ResetAlways && m.resetsOff == "" {
			*out = append(*out, Action{Kind: ActCancelWait})
			m.reset(at, m.resetAtText()+" with RESET_ALWAYS=1 (the link was down)", out)
		} else {
			out.log(LevelInfo, m.resetAtText()+": the link is down; nothing to disconnect")
		}
	}
}

// clockSet re-arms RESET_AT from the new wall clock: a router that booted
// with its clock a day ahead must not wait a day too long once NTP sets it
// back. Set past the armed time, the RESET_AT rules decide (a jump far
// past it only re-arms).
func (m *Machine) clockSet(at time.Time, out *actions) {
	if m.cfg.ResetAt == nil || m.phase == PhaseDone {
		return
	}
	if !at.Before(m.nextDaily) {
		m.daily(at, out)
		return
	}
	out.log(LevelInfo, fmt.Sprintf("%s: the system clock was set (now %s): counting from the new time",
		m.resetAtText(), at.In(m.cfg.Loc).Format("2006-01-02 15:04:05")))
	m.armDaily(at, out)
}

func (m *Machine) stop(at time.Time, out *actions) {
	switch m.phase {
	case PhaseConnecting, PhaseUp:
		m.terminating = endedByStop
		m.set(PhaseStopping, at, "")
		out.log(LevelInfo, "stopping: terminating pppd")
		m.terminate(at, "stop", out)
	case PhaseStopping:
	case PhaseResetting:
		m.set(PhaseDone, at, "")
		out.log(LevelInfo, "stopping during a module reset")
		*out = append(*out, Action{Kind: ActCancelReset}, Action{Kind: ActExit, Code: exitcode.OK})
	default:
		m.set(PhaseDone, at, "")
		out.log(LevelInfo, "stopping")
		*out = append(*out, Action{Kind: ActCancelWait}, Action{Kind: ActExit, Code: exitcode.OK})
	}
}

func (m *Machine) sessionEnded(ev Event, out *actions) {
	e := ExitMeaning(ev.Code)
	m.lastExit, m.lastExitAt = &e, ev.At
	head := fmt.Sprintf("session %d ended: %s (pppd exit %d)", m.attempts, e.Meaning, e.Code)
	why := m.terminating
	m.terminating, m.killAt = notEnding, time.Time{}
	if m.phase == PhaseStopping || why == endedByStop {
		m.set(PhaseDone, ev.At, "")
		out.log(LevelInfo, head+": stopped")
		*out = append(*out, Action{Kind: ActExit, Code: exitcode.OK})
		return
	}
	switch why {
	case endedResetAt:
		head = fmt.Sprintf("session %d ended: %s forced disconnect (pppd exit %d)", m.attempts, m.resetAtText(), e.Code)
		e.Kind = Idle // not a failure
	case endedDead:
		head = fmt.Sprintf("session %d ended: the monitor found the link dead (pppd exit %d)", m.attempts, e.Code)
		e.Kind = Failure
	}
	if e.Kind == Fatal {
		m.set(PhaseDone, ev.At, "")
		out.log(LevelError, head+": pppd cannot run here; exiting (systemd restarts the service)")
		*out = append(*out, Action{Kind: ActExit, Code: exitcode.Failure})
		return
	}
	if !m.cfg.Persist {
		// Exit 0 whatever the outcome (the log line tells it): a failure
		// status would have systemd restart the service, which is the
		// reconnect PERSIST=0 asks not to do.
		m.set(PhaseDone, ev.At, "")
		out.log(LevelInfo, head+": PERSIST=0: exiting")
		*out = append(*out, Action{Kind: ActExit, Code: exitcode.OK})
		return
	}
	switch e.Kind {
	case AuthFailure:
		m.authStreak++
		wait := backoff(m.cfg.Holdoff, m.authStreak)
		out.log(LevelError, fmt.Sprintf("%s: check ACCOUNT, PASSWORD and APN; a module reset cannot cure wrong settings; authentication failure %d in a row, retrying in %v",
			head, m.authStreak, wait))
		m.wait(PhaseBackoff, ev.At, wait, fmt.Sprintf("authentication failure %d in a row", m.authStreak), out)
		return
	case Failure:
		m.failures++
	}
	canReset := m.resetsOff == ""
	d, note := m.dialDelay(ev.At, m.cfg.Holdoff)
	switch {
	case m.cfg.ResetAlways && canReset && why == endedResetAt:
		out.log(LevelInfo, head+": resetting the module (RESET_ALWAYS=1)")
		m.reset(ev.At, m.resetAtText()+" with RESET_ALWAYS=1", out)
	case m.cfg.ResetAlways && canReset:
		out.log(LevelInfo, head+": resetting the module (RESET_ALWAYS=1)")
		m.reset(ev.At, "RESET_ALWAYS=1 after "+e.Meaning, out)
	case e.Kind == Failure && m.cfg.ResetOnFail && m.failures >= m.cfg.Retry && canReset:
		out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures: resetting the module (RESET_ON_FAIL=1)", head, m.failures, m.cfg.Retry))
		m.reset(ev.At, fmt.Sprintf("%d failed sessions in a row", m.failures), out)
	case e.Kind == Failure && m.cfg.ResetOnFail && m.failures >= m.cfg.Retry:
		out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures: not resetting the module (modem_reset cannot run); reconnecting in %v%s", head, m.failures, m.cfg.Retry, m.cfg.Holdoff, note))
		m.failures = 0
		m.wait(PhaseHoldoff, ev.At, d, "modem_reset cannot run: no module resets", out)
	case e.Kind == Failure:
		out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures, reconnecting in %v%s", head, m.failures, m.cfg.Retry, m.cfg.Holdoff, note))
		m.wait(PhaseHoldoff, ev.At, d, fmt.Sprintf("%d of %d failures", m.failures, m.cfg.Retry), out)
	default:
		out.log(LevelInfo, fmt.Sprintf("%s: reconnecting in %v%s", head, m.cfg.Holdoff, note))
		m.wait(PhaseHoldoff, ev.At, d, "", out)
	}
}

func (m *Machine) reset(at time.Time, why string, out *actions) {
	m.failures = 0
	m.resets++
	m.lastReset, m.lastResetWhy, m.lastResetRes = at, why, ""
	m.set(PhaseResetting, at, why)
	*out = append(*out, Action{Kind: ActRunReset, Reason: why})
}

func (m *Machine) resetDone(ev Event, out *actions) {
	res := resetResult(ev.Code)
	m.lastResetRes = res
	if ev.Code == exitcode.OK {
		m.failedResets = 0
		d, note := m.dialDelay(ev.At, m.cfg.Holdoff)
		out.log(LevelInfo, "modem_reset: "+res+fmt.Sprintf("; reconnecting in %v%s", m.cfg.Holdoff, note))
		m.wait(PhaseHoldoff, ev.At, d, "after a module reset", out)
		return
	}
	// A module that a reset does not cure is not reset in a tight loop:
	// the wait doubles with each failed reset in a row.
	m.failedResets++
	wait := backoff(m.cfg.Holdoff, m.failedResets)
	out.log(LevelWarning, fmt.Sprintf("modem_reset: %s (exit %d), %d failed reset(s) in a row; dialing again in %v", res, ev.Code, m.failedResets, wait))
	m.wait(PhaseBackoff, ev.At, wait, fmt.Sprintf("%d failed reset(s) in a row", m.failedResets), out)
}

// resetResult says what modem_reset's exit status means, for the log and
// state.json.
func resetResult(code int) string {
	switch code {
	case exitcode.OK:
		return "module back and ready"
	case exitcode.Failure:
		return "reset failed"
	case exitcode.NotReady:
		return "module not ready within RESET_WAIT"
	}
	return fmt.Sprintf("modem_reset exit status %d", code)
}

func (m *Machine) wait(phase string, at time.Time, d time.Duration, detail string, out *actions) {
	d, _ = m.dialDelay(at, d)
	if d <= 0 {
		m.dial(at, out)
		return
	}
	m.waitUntil = at.Add(d)
	m.set(phase, at, detail)
	*out = append(*out, Action{Kind: ActWaitUntil, At: m.waitUntil})
}

// backoff is max(holdoff, BackoffMin) doubled n-1 times, at most BackoffMax.
func backoff(holdoff time.Duration, n int) time.Duration {
	d := max(holdoff, BackoffMin)
	for i := 1; i < n && d < BackoffMax; i++ {
		d *= 2
	}
	return min(d, BackoffMax)
}
