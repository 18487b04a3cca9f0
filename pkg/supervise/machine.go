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
	// ConnectOK: CONNECT_OK=1 is already in the file; ConnectOKICCID: for
	// the SIM with this ICCID ("" when not known).
	ConnectOK      bool
	ConnectOKICCID string
	// WaitDevice: the module's tty is known and is waited for before each
	// dial (generated files; not with a hand-written PROVIDER peer).
	WaitDevice bool
	// Device is DEVICE as configured, for the log.
	Device string
	Loc    *time.Location
	// Check: ask the module (ActCheck) before each dial; the AT port is
	// the tty waited for. Off with a hand-written PROVIDER peer.
	Check bool
	// Jitter spreads a network backoff (nil: none); the wrapper adds up
	// to ±10 %.
	Jitter func(time.Duration) time.Duration
	// The reset budget (budget.go); zero: the defaults.
	ResetPause, ResetPauseMax time.Duration
	// Resume carries the counts and the budget over from the wrapper that
	// ran before (state.json), so a restart does not refill the budget.
	Resume *Resume
}

// Resume is what a wrapper restarted by systemd takes over from the one
// before it.
type Resume struct {
	Failures, LinkFailures, NetStreak, AuthStreak int
	Unproven, Resets                              int
	LastReset                                     time.Time
}

// StableLink is how long a link must have been up for the link-failure
// count to start again: a link that flaps every few minutes is reset after
// RETRY deaths, one that lasted is not.
const StableLink = 10 * time.Minute

// Phases of the supervisor, as state.json shows them.
const (
	PhaseWaitDevice = "waiting-for-device"
	PhaseChecking   = "checking"
	// PhaseWaitNetwork: the module searches for the network; asked again
	// every RecheckEvery, for up to RegistrationWait.
	PhaseWaitNetwork = "waiting-for-network"
	PhaseConnecting  = "connecting"
	PhaseUp          = "up"
	PhaseHoldoff     = "holdoff"
	PhaseBackoff     = "backoff"
	PhaseResetting   = "resetting"
	PhaseStopping    = "stopping"
	PhaseDone        = "done"
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
	// EvCheckDone: the pre-dial check (ActCheck) finished with Check.
	EvCheckDone
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
	// With EvCheckDone.
	Check Check
	// With EvResetDone: the last reset step modem_reset carried out
	// (at, usb, power; none).
	Step string
}

// ActionKind says what the driver must do.
type ActionKind int

const (
	ActWaitDevice     ActionKind = iota // wait for the tty until At; then EvDeviceReady or EvDeviceTimeout
	ActStartPPPD                        // start pppd, with TTY on its command line when not empty
	ActTerminatePPPD                    // SIGTERM to pppd (Reason); EvTermTimeout at At
	ActKillPPPD                         // kill pppd's process group
	ActRegenerate                       // bring the generated files up to date (run gen_pppconfig)
	ActCheck                            // ask the module on TTY before a dial; then EvCheckDone
	ActRunReset                         // run modem_reset (Reason); then EvResetDone
	ActCancelReset                      // stop a running modem_reset
	ActWaitUntil                        // one timer: EvWaitOver at At (replaces any earlier one)
	ActCancelWait                       // drop the WaitUntil timer
	ActArmDaily                         // the RESET_AT timer: EvDaily at At
	ActWriteConnectOK                   // write CONNECT_OK=1 and CONNECT_OK_ICCID=ICCID
	ActClearConnectOK                   // write CONNECT_OK=0 and an empty CONNECT_OK_ICCID (another SIM)
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
	ICCID  string
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
	failures     int   // module failures in a row (the RETRY count)
	linkFailures int   // links that died in a row, cleared by a StableLink
	netStreak    int   // network refusals in a row (not exit 19)
	simStreak    int   // checks in a row that found the SIM not ready
	authStreak   int   // authentication failures in a row
	unproven     int   // failure-driven resets since the link was last up
	lastClass    Class // the class of the last failure (ClassNone after link up)
	// ends counts the attempts that have ended (a pppd exit, or a pre-dial
	// check that started none), endClass is the last one's class
	// (ClassNone for no fault: RESET_AT, a stop, an idle hang-up).
	ends      int
	endClass  Class
	downSince time.Time
	module    ModuleFacts
	// searchingSince: when the checks began to find the module searching.
	searchingSince time.Time
	// resetAtDue: RESET_AT came (with RESET_ALWAYS) while a check held
	// the port; the reset follows the check.
	resetAtDue   bool
	failedResets int    // modem_reset runs in a row that did not bring the module back
	resetsOff    string // why modem_reset cannot run ("" = it can): no more resets
	lastStart    time.Time
	resets       int
	connectOK    bool
	okICCID      string // the SIM CONNECT_OK was written for
	lastDaily    time.Time
	nextDaily    time.Time
	waitUntil    time.Time
	lastExit     *Exit
	lastExitAt   time.Time
	lastReset    time.Time
	lastResetWhy string
	lastResetRes string
	// lastResetStep: the last step the reset carried out (at, usb, power,
	// none), once it has ended.
	lastResetStep string
	linkUpAt      time.Time
	detail        string
}

// New returns a machine for cfg; feed it EvStart first.
func New(cfg Config) *Machine {
	if cfg.Loc == nil {
		cfg.Loc = time.Local
	}
	if cfg.Retry < 1 {
		cfg.Retry = 1
	}
	if cfg.ResetPause <= 0 {
		cfg.ResetPause = DefaultResetPause
	}
	if cfg.ResetPauseMax <= 0 {
		cfg.ResetPauseMax = max(DefaultResetPauseMax, cfg.ResetPause)
	}
	cfg.ResetPauseMax = max(cfg.ResetPauseMax, cfg.ResetPause)
	m := &Machine{cfg: cfg, connectOK: cfg.ConnectOK, okICCID: cfg.ConnectOKICCID}
	if r := cfg.Resume; r != nil {
		m.failures, m.linkFailures, m.netStreak, m.authStreak = r.Failures, r.LinkFailures, r.NetStreak, r.AuthStreak
		m.unproven, m.resets, m.lastReset = r.Unproven, r.Resets, r.LastReset
	}
	return m
}

// Handle takes one event and returns what to do, in order.
func (m *Machine) Handle(ev Event) []Action {
	var out actions
	m.settle(ev.At)
	switch ev.Kind {
	case EvStart:
		m.downSince = ev.At
		m.armDaily(ev.At, &out)
		m.resumed(&out)
		m.dial(ev.At, &out)
	case EvCheckDone:
		m.checkDone(ev, &out)
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
		if why := m.resetBlocked(ev.At); why == "" {
			m.lastClass = ClassModule
			m.failureReset(ev.At, fmt.Sprintf("the module's tty has been missing for %v", m.deviceWait()), &out)
		} else {
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
		// The module answered, the network took the call: every count
		// but the link's starts again. The link's count and the reset
		// budget wait for the link to last (settle).
		m.failures, m.authStreak, m.failedResets, m.netStreak, m.simStreak = 0, 0, 0, 0, 0
		m.lastClass, m.downSince = ClassNone, time.Time{}
		m.set(PhaseUp, ev.At, "")
		out.log(LevelInfo, fmt.Sprintf("session %d: link up", m.attempts))
		// Once, and again when the SIM it is for was not known yet.
		if iccid := m.module.ICCID; !m.connectOK || m.okICCID == "" && iccid != "" {
			m.connectOK, m.okICCID = true, iccid
			out = append(out, Action{Kind: ActWriteConnectOK, ICCID: iccid})
			if m.cfg.WaitDevice && m.ttyFixed {
				// The next dial's chat script must know CONNECT_OK=1;
				// with a tty that moves, every dial regenerates anyway.
				out = append(out, Action{Kind: ActRegenerate})
			}
		}
	case EvLinkDead:
		if (m.phase == PhaseConnecting || m.phase == PhaseUp) && m.terminating == notEnding {
			m.terminating = endedDead
			out.log(LevelWarning, fmt.Sprintf("session %d: the monitor found the link dead: disconnecting", m.attempts))
			m.terminate(ev.At, "the monitor found the link dead", &out)
		}
	case EvWaitOver:
		if ev.At.Before(m.waitUntil) {
			break
		}
		switch m.phase {
		case PhaseHoldoff, PhaseBackoff:
			m.dial(ev.At, &out)
		case PhaseWaitNetwork:
			m.recheck(ev.At, &out)
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

// start begins a session: the pre-dial check when there is an AT port to
// ask, else pppd at once.
func (m *Machine) start(at time.Time, out *actions) {
	m.attempts++
	if m.cfg.Check && m.tty != "" {
		m.recheck(at, out)
		return
	}
	m.launch(at, out)
}

// launch starts pppd.
func (m *Machine) launch(at time.Time, out *actions) {
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
	case PhaseChecking:
		// The check holds the module's port for a few seconds more: the
		// RESET_AT reset waits for its end (checkDone).
		if m.cfg.ResetAlways && m.resetsOff == "" {
			m.resetAtDue = true
		} else {
			out.log(LevelInfo, m.resetAtText()+": the link is down; nothing to disconnect")
		}
	case PhaseHoldoff, PhaseBackoff, PhaseWaitDevice, PhaseWaitNetwork:
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
		if m.phase == PhaseChecking || m.phase == PhaseWaitNetwork {
			m.attemptEnded(ClassNone) // the attempt, at its pre-dial check
		}
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
		m.attemptEnded(ClassNone)
		m.set(PhaseDone, ev.At, "")
		out.log(LevelInfo, head+": stopped")
		*out = append(*out, Action{Kind: ActExit, Code: exitcode.OK})
		return
	}
	switch why {
	case endedResetAt:
		head = fmt.Sprintf("session %d ended: %s forced disconnect (pppd exit %d)", m.attempts, m.resetAtText(), e.Code)
	case endedDead:
		head = fmt.Sprintf("session %d ended: the monitor found the link dead (pppd exit %d)", m.attempts, e.Code)
	}
	if e.Kind == Fatal && why == notEnding {
		m.attemptEnded(classOf(e, m.linkUp, why))
		m.set(PhaseDone, ev.At, "")
		out.log(LevelError, head+": pppd cannot run here; exiting (systemd restarts the service)")
		*out = append(*out, Action{Kind: ActExit, Code: exitcode.Failure})
		return
	}
	class := classOf(e, m.linkUp, why)
	m.attemptEnded(class)
	if class != ClassNone {
		m.lastClass = class
		if m.downSince.IsZero() || m.linkUp {
			m.downSince = ev.At
		}
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
	// RESET_ALWAYS resets after every disconnect, as the vendor's did, but
	// never for a wrong password (exit 19): no reset cures that.
	if m.cfg.ResetAlways && m.resetsOff == "" && e.Kind != AuthFailure {
		out.log(LevelInfo, head+": resetting the module (RESET_ALWAYS=1)")
		if why == endedResetAt {
			m.reset(ev.At, m.resetAtText()+" with RESET_ALWAYS=1", out)
		} else {
			m.reset(ev.At, "RESET_ALWAYS=1 after "+e.Meaning, out)
		}
		return
	}
	switch class {
	case ClassNetwork:
		m.networkEnded(ev.At, head, e, out)
	case ClassLink:
		m.linkFailures++
		m.countedFailure(ev.At, head, &m.linkFailures, class, out)
	case ClassModule:
		m.failures++
		m.countedFailure(ev.At, head, &m.failures, class, out)
	default:
		d, note := m.dialDelay(ev.At, m.cfg.Holdoff)
		out.log(LevelInfo, fmt.Sprintf("%s: reconnecting in %v%s", head, m.cfg.Holdoff, note))
		m.wait(PhaseHoldoff, ev.At, d, "", out)
	}
}

// attemptEnded counts an attempt that ended, in class c (for the metrics'
// ends by class: the machine knows why, nothing after it has to guess).
func (m *Machine) attemptEnded(c Class) {
	m.ends++
	m.endClass = c
}

// settle: a link up for StableLink has proven the module and the link;
// the link-failure count starts again and the reset budget is whole. A
// link that flaps (up a minute or two, then dead) proves neither, so its
// resets stay within the budget.
func (m *Machine) settle(at time.Time) {
	if m.linkUp && (m.phase == PhaseUp || m.phase == PhaseConnecting) && at.Sub(m.linkUpAt) >= StableLink {
		m.linkFailures, m.unproven = 0, 0
	}
}

// countedFailure: a failure that counts toward RETRY (the count in
// *counter, already counted): a reset once RETRY are reached and resets
// may run, else a redial after HOLDOFF.
func (m *Machine) countedFailure(at time.Time, head string, counter *int, class Class, out *actions) {
	count := *counter
	tag := fmt.Sprintf(" (class: %s)", class)
	d, note := m.dialDelay(at, m.cfg.Holdoff)
	if !m.cfg.ResetOnFail || count < m.cfg.Retry {
		out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures, reconnecting in %v%s%s", head, count, m.cfg.Retry, m.cfg.Holdoff, note, tag))
		m.wait(PhaseHoldoff, at, d, fmt.Sprintf("%d of %d failures", count, m.cfg.Retry), out)
		return
	}
	*counter = 0
	if why := m.resetBlocked(at); why != "" {
		out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures: not resetting the module (%s); reconnecting in %v%s%s", head, count, m.cfg.Retry, why, m.cfg.Holdoff, note, tag))
		if m.resetsOff != "" {
			why += ": no module resets"
		}
		m.wait(PhaseHoldoff, at, d, why, out)
		return
	}
	out.log(LevelWarning, fmt.Sprintf("%s: %d of %d failures: resetting the module (RESET_ON_FAIL=1)%s", head, count, m.cfg.Retry, tag))
	m.failureReset(at, fmt.Sprintf("%d failed sessions in a row", count), out)
}

// networkEnded: the module dialed and the network ended the call before
// the link came up. Back off; never a reset for exit 19 (a reset cannot
// cure wrong settings); for the others one as a last resort after RETRY
// in a row, within the budget.
func (m *Machine) networkEnded(at time.Time, head string, e Exit, out *actions) {
	if e.Kind == AuthFailure {
		m.authStreak++
		wait := backoff(m.cfg.Holdoff, m.authStreak)
		out.log(LevelError, fmt.Sprintf("%s: check ACCOUNT, PASSWORD and APN; a module reset cannot cure wrong settings; authentication failure %d in a row, retrying in %v (class: network)",
			head, m.authStreak, wait))
		m.wait(PhaseBackoff, at, wait, fmt.Sprintf("authentication failure %d in a row", m.authStreak), out)
		return
	}
	m.netStreak++
	wait := m.jitter(backoff(m.cfg.Holdoff, m.netStreak))
	causes := "check APN, ACCOUNT, PASSWORD, the SIM's data plan and the coverage"
	ok, paused := m.budgetAllows(at)
	if ok && m.cfg.ResetOnFail && m.resetsOff == "" && m.netStreak >= m.cfg.Retry {
		out.log(LevelWarning, fmt.Sprintf("%s before the link came up: the network ended the call, %d in a row: %s; resetting the module once as a last resort (class: network)",
			head, m.netStreak, causes))
		m.failureReset(at, fmt.Sprintf("the network ended %d calls in a row (last resort)", m.netStreak), out)
		return
	}
	cure := "no module reset (a reset cannot cure the network's refusal)"
	if paused != "" {
		cure = "no module reset (" + paused + ")"
	}
	out.log(LevelWarning, fmt.Sprintf("%s before the link came up: the network ended the call, %d in a row: %s; %s; retrying in %v (class: network)",
		head, m.netStreak, causes, cure, wait.Round(100*time.Millisecond)))
	m.wait(PhaseBackoff, at, wait, fmt.Sprintf("the network ended %d calls in a row", m.netStreak), out)
}

// failureReset is a reset a failure asked for: it spends the budget until
// the link comes up again.
func (m *Machine) failureReset(at time.Time, why string, out *actions) {
	m.unproven++
	m.reset(at, why, out)
}

// resumed says what a restarted wrapper took over.
func (m *Machine) resumed(out *actions) {
	if m.cfg.Resume == nil {
		return
	}
	if m.unproven > 0 || m.failures > 0 || m.linkFailures > 0 || m.netStreak > 0 || m.authStreak > 0 {
		out.log(LevelInfo, fmt.Sprintf("carrying on from the wrapper before: %d module and %d link failure(s) in a row, %d network refusal(s), %d reset(s) without the link coming up",
			m.failures, m.linkFailures, m.netStreak+m.authStreak, m.unproven))
	}
}

func (m *Machine) reset(at time.Time, why string, out *actions) {
	m.failures, m.searchingSince, m.resetAtDue = 0, time.Time{}, false
	m.resets++
	m.lastReset, m.lastResetWhy, m.lastResetRes, m.lastResetStep = at, why, "", ""
	m.set(PhaseResetting, at, why)
	*out = append(*out, Action{Kind: ActRunReset, Reason: why})
}

func (m *Machine) resetDone(ev Event, out *actions) {
	res := resetResult(ev.Code)
	m.lastResetRes, m.lastResetStep = res, ev.Step
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
