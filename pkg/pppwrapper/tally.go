package pppwrapper

import (
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// tally counts what state.json holds only the latest of: how the attempts
// ended, by class (from the machine's own count and class of the ends);
// the resets' results and steps; the recoveries and how long they took;
// the bytes the sessions moved. It sees every state the machine
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
	pppdPID         int // the running pppd, as the state last showed it
	sent, received  uint64
	// The last session the ip-down hook counted, when one has been.
	lastSent, lastReceived uint64
	haveLast               bool
}

// sessionBytes reads what the ip-down hook left for pppd pid: the bytes it
// sent and received (sessionbytes.go).
type sessionBytes func(pid int) (sent, received uint64, ok bool)

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

	// An attempt ended: the machine says how many and the last one's class.
	if n := st.Ends - prev.Ends; n > 0 && st.LastEndClass != "" {
		t.ends[st.LastEndClass] += n
	}
	// pppd ended: a new exit time (the next session may already have
	// begun in the same turn, with HOLDOFF=0); the ip-down hook left its
	// byte counts.
	if !st.LastExitAt.IsZero() && !st.LastExitAt.Equal(prev.LastExitAt) {
		if t.pppdPID != 0 && readBytes != nil {
			if s, r, ok := readBytes(t.pppdPID); ok {
				t.sent += s
				t.received += r
				t.lastSent, t.lastReceived, t.haveLast = s, r, true
			}
		}
		t.pppdPID = 0
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
