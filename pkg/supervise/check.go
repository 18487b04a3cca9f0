package supervise

import (
	"fmt"
	"time"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
)

// CheckVerdict is what the pre-dial check of the module found.
type CheckVerdict int

const (
	CheckReady     CheckVerdict = iota // answers, SIM ready, registered: dial
	CheckSkipped                       // could not look (the port is busy): dial anyway
	CheckSilent                        // no answer to AT: a module failure
	CheckSIM                           // no SIM, PIN or PUK required: no dial, no reset
	CheckDenied                        // registration denied: the network's verdict
	CheckSearching                     // not registered yet: wait, then dial anyway
)

// Check is the result of one pre-dial check.
type Check struct {
	Verdict CheckVerdict
	// Text is the module's state in words for the log ("SIM not
	// inserted", "not registered (searching), signal -113 dBm").
	Text string
	// Facts for state.json and --status.
	Module ModuleFacts
}

// ModuleFacts is what the last check learned of the module.
type ModuleFacts struct {
	At           time.Time
	Model        string // "u-blox LISA-U200", when the module says
	Firmware     string
	IMEI         string // the module's serial number, when it says
	SIM          string // "ready", "not inserted", "PIN required", …
	Registration string // "registered, home", "searching", "denied", …
	SignalDBm    *int
	Operator     string
	ICCID        string
}

// Searching: how long a module that is not yet registered is waited for
// before pppd is started anyway, and how often it is asked meanwhile.
const (
	RegistrationWait = time.Minute
	RecheckEvery     = 5 * time.Second
	// SIMRecheckMax caps the wait between checks while the SIM is not
	// ready: a check costs no air time, and the link should come up soon
	// after the SIM comes back.
	SIMRecheckMax = 30 * time.Second
)

// checkDone acts on the pre-dial check.
func (m *Machine) checkDone(ev Event, out *actions) {
	if m.phase != PhaseChecking {
		return
	}
	c := ev.Check
	m.module = c.Module
	m.simSwap(c.Module.ICCID, out)
	if m.resetAtDue {
		m.resetAtDue = false
		m.attemptEnded(ClassNone)
		*out = append(*out, Action{Kind: ActCancelWait})
		m.reset(ev.At, m.resetAtText()+" with RESET_ALWAYS=1 (the link was down)", out)
		return
	}
	if c.Verdict != CheckSearching {
		m.searchingSince = time.Time{}
	}
	switch c.Verdict {
	case CheckReady:
		m.launch(ev.At, out)
	case CheckSkipped:
		out.log(LevelInfo, fmt.Sprintf("session %d: no pre-dial check: %s; dialing", m.attempts, c.Text))
		m.launch(ev.At, out)
	case CheckSilent:
		m.attemptEnded(ClassModule)
		m.lastClass = ClassModule
		m.failures++
		head := fmt.Sprintf("session %d: the module does not answer (pre-dial check: %s), no pppd started", m.attempts, c.Text)
		if m.persistOff(ev.At, head, out) {
			return
		}
		m.countedFailure(ev.At, head, &m.failures, ClassModule, out)
	case CheckSIM:
		m.attemptEnded(ClassSIM)
		m.lastClass = ClassSIM
		m.simStreak++
		if m.persistOff(ev.At, fmt.Sprintf("session %d: %s (pre-dial check): no dial (class: SIM)", m.attempts, c.Text), out) {
			return
		}
		wait := min(backoff(m.cfg.Holdoff, m.simStreak), SIMRecheckMax)
		out.log(LevelError, fmt.Sprintf("session %d: %s (pre-dial check): no dial and no module reset: a reset cannot cure it and a PIN is never guessed; checking again in %v (class: SIM)",
			m.attempts, c.Text, wait))
		m.wait(PhaseBackoff, ev.At, wait, c.Text, out)
	case CheckDenied:
		m.attemptEnded(ClassNetwork)
		m.lastClass = ClassNetwork
		m.netStreak++
		if m.persistOff(ev.At, fmt.Sprintf("session %d: %s (pre-dial check): no dial (class: network)", m.attempts, c.Text), out) {
			return
		}
		wait := m.jitter(backoff(m.cfg.Holdoff, m.netStreak))
		out.log(LevelError, fmt.Sprintf("session %d: %s (pre-dial check): the network refuses the SIM (its plan, a barring, the operator); no dial and no module reset, %d in a row; checking again in %v (class: network)",
			m.attempts, c.Text, m.netStreak, wait))
		m.wait(PhaseBackoff, ev.At, wait, "registration denied", out)
	case CheckSearching:
		if m.searchingSince.IsZero() {
			m.searchingSince = ev.At
		}
		if ev.At.Sub(m.searchingSince) >= RegistrationWait {
			out.log(LevelWarning, fmt.Sprintf("session %d: %s after %v: dialing anyway", m.attempts, c.Text, RegistrationWait))
			m.searchingSince = time.Time{}
			m.launch(ev.At, out)
			return
		}
		if m.searchingSince.Equal(ev.At) {
			out.log(LevelInfo, fmt.Sprintf("session %d: %s (pre-dial check): waiting up to %v for registration", m.attempts, c.Text, RegistrationWait))
		}
		m.waitUntil = ev.At.Add(RecheckEvery)
		m.set(PhaseWaitNetwork, ev.At, c.Text)
		*out = append(*out, Action{Kind: ActWaitUntil, At: m.waitUntil})
	}
}

// recheck asks the module again while it searches for the network.
func (m *Machine) recheck(at time.Time, out *actions) {
	m.set(PhaseChecking, at, "")
	*out = append(*out, Action{Kind: ActCheck, TTY: m.tty})
}

// jitter spreads a backoff (Config.Jitter), so that a fleet that lost the
// network together does not redial together.
func (m *Machine) jitter(d time.Duration) time.Duration {
	if m.cfg.Jitter == nil {
		return d
	}
	return m.cfg.Jitter(d)
}

// simSwap: another SIM than the one CONNECT_OK was written for is in. The
// vendor's page has the operator delete CONNECT_OK=1 by hand after a SIM
// change (an AMTelecom module otherwise never gets the new APN); the
// wrapper does it: CONNECT_OK cleared and the chat script regenerated
// once, so the new SIM's APN is written to the module exactly once, then
// CONNECT_OK=1 again with the new ICCID when the link comes up.
func (m *Machine) simSwap(iccid string, out *actions) {
	if !m.connectOK || m.okICCID == "" || iccid == "" || iccid == m.okICCID {
		return
	}
	out.log(LevelInfo, fmt.Sprintf("another SIM is in (ICCID %s; CONNECT_OK was written for %s): clearing CONNECT_OK so that the chat script sets its APN once", iccid, m.okICCID))
	m.connectOK, m.okICCID = false, ""
	*out = append(*out, Action{Kind: ActClearConnectOK}, Action{Kind: ActRegenerate})
}

// persistOff: with PERSIST=0 the first session's outcome, whatever it is,
// ends the wrapper with exit 0 (see sessionEnded), also when the check
// kept pppd from starting.
func (m *Machine) persistOff(at time.Time, head string, out *actions) bool {
	if m.cfg.Persist {
		return false
	}
	m.set(PhaseDone, at, "")
	out.log(LevelInfo, head+": PERSIST=0: exiting")
	*out = append(*out, Action{Kind: ActExit, Code: exitcode.OK})
	return true
}
