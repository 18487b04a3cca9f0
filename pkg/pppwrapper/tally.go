package pppwrapper

import (
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// tally counts what state.json holds only the latest of: how the attempts
// ended, by class; the resets' results; the recoveries and how long they
// took; the bytes the sessions moved. It sees every state the machine
// saves (SaveState after each event), so it sees each change once. Its
// counts start with the wrapper: state.json carries none of them over.
type tally struct {
	started bool
	prev    runstate.State
	ends    map[string]int // attempts ended, by class
	resets  map[string]int // modem_reset runs ended, by result and step (resetKind)
	// Recoveries: the link up again after it had been up and went down.
	recoveries      int
	recoverySeconds float64
	wasUp           bool
	// resetAtStop: RESET_AT fired while pppd ran (the machine then ends
	// the session, for no fault).
	resetAtStop    bool
	pppdPID        int // the running pppd, as the state last showed it
	sent, received uint64
}

// sessionBytes reads what the ip-down hook left for pppd pid: the bytes it
// sent and received (sessionbytes.go).
type sessionBytes func(pid int) (sent, received uint64, ok bool)

const classNone = "none"

// observe takes the state the machine saved after an event.
func (t *tally) observe(st runstate.State, readBytes sessionBytes) {
	if !t.started {
		t.started, t.prev = true, st
		t.ends, t.resets = map[string]int{}, map[string]int{}
		t.pppdPID, t.wasUp = st.PPPDPID, st.Phase == supervise.PhaseUp
		return
	}
	prev := t.prev
	t.prev = st

	if running(prev.Phase) && !st.NextResetAt.Equal(prev.NextResetAt) {
		t.resetAtStop = true
	}
	// pppd ended: a new exit time (the next session may already have
	// begun in the same turn, with HOLDOFF=0).
	exited := !st.LastExitAt.IsZero() && !st.LastExitAt.Equal(prev.LastExitAt)
	if exited {
		t.ends[t.endClass(prev, st, true)]++
		if t.pppdPID != 0 && readBytes != nil {
			if s, r, ok := readBytes(t.pppdPID); ok {
				t.sent += s
				t.received += r
			}
		}
		t.pppdPID, t.resetAtStop = 0, false
	} else if checkedOut(prev.Phase, st.Phase) {
		// The pre-dial check ended the attempt: no pppd was started.
		t.ends[t.endClass(prev, st, false)]++
	}
	if st.PPPDPID != 0 {
		t.pppdPID = st.PPPDPID
	}

	// modem_reset ended: a result for the reset begun at LastReset.
	if r := st.LastResetResult; r != "" && (r != prev.LastResetResult || !st.LastReset.Equal(prev.LastReset)) {
		step := st.LastResetStep
		if step == "" {
			step = runstate.NoResetStep
		}
		t.resets[resetKind(resetResultLabel(r), step)]++
	}

	if st.Phase == supervise.PhaseUp && prev.Phase != supervise.PhaseUp {
		if t.wasUp && !prev.DownSince.IsZero() && st.LinkUpAt.After(prev.DownSince) {
			t.recoveries++
			t.recoverySeconds += st.LinkUpAt.Sub(prev.DownSince).Seconds()
		}
		t.wasUp = true
	}
}

// endClass is the class of the attempt that ended with st: the machine's
// own verdict, st.Class. The machine leaves Class as it was when an
// attempt ends for nobody's fault (RESET_AT, a stop, an idle hang-up), so
// a class such an end left unchanged is "none". A link up clears the
// class, so a session that was up is never in doubt; nor is one that
// failed otherwise than the attempt before. (A RESET_AT with RESET_ALWAYS
// during a pre-dial check is counted in the class before it.)
func (t *tally) endClass(prev, st runstate.State, pppdExit bool) string {
	c := st.Class
	switch {
	case c == "":
		return classNone
	case c != prev.Class:
		return c
	case st.Phase == supervise.PhaseDone:
		return classNone // stopped
	case pppdExit && (t.resetAtStop || c == supervise.ClassSIM.String()):
		// Only the check finds a SIM at fault, never a pppd exit.
		return classNone
	}
	return c
}

// running: pppd runs (dialing or up).
func running(phase string) bool {
	return phase == supervise.PhaseConnecting || phase == supervise.PhaseUp
}

// asking: the attempt is at its pre-dial check, or waits to check again
// for the network.
func asking(phase string) bool {
	return phase == supervise.PhaseChecking || phase == supervise.PhaseWaitNetwork
}

// checkedOut: the attempt left its check for anything but a dial.
func checkedOut(prev, now string) bool {
	return asking(prev) && !asking(now) && now != supervise.PhaseConnecting
}

// resetResultLabel names modem_reset's outcome as state.json words it
// (supervise's resetResult and resetStartFailed) for a label value.
func resetResultLabel(result string) string {
	switch result {
	case "module back and ready":
		return "ok"
	case "reset failed":
		return "failed"
	case "module not ready within RESET_WAIT":
		return "not_ready"
	case "modem_reset could not be started":
		return "not_started"
	}
	return "other" // "modem_reset exit status N"
}
