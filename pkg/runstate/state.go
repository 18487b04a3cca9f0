package runstate

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
)

// State is the wrapper's current state, for `ppp_wrapper --status` and for
// operators' scripts. It is rewritten whenever it changes. Its file is
// written and read by stateFields (statefields.go), which every field must
// be in too; the json tags say the same for the tests, which hold the
// file to encoding/json's format.
type State struct {
	PID   int       `json:"pid"`
	Phase string    `json:"phase"` // "waiting-for-device", "connecting", "up", "holdoff", "backoff", "resetting", "stopping" or "done" (pkg/supervise)
	Since time.Time `json:"since"`
	// Why the current wait or phase, in words ("3 of 3 failures").
	Detail string `json:"detail,omitempty"`
	Peer   string `json:"peer"`
	Device string `json:"device,omitempty"`
	// PPPDPID is the pid of the pppd this wrapper started and still runs
	// (0 when none): ppp_monitor compares it with the PPPD_PID that pppd
	// gives its hooks, so that only the wrapper's own link signals it.
	PPPDPID  int `json:"pppd_pid,omitempty"`
	Attempts int `json:"attempts"` // sessions started since the wrapper started
	Failures int `json:"failures"` // failures in a row
	// The last pppd exit and what it means.
	LastExit        *int      `json:"last_exit,omitempty"`
	LastExitMeaning string    `json:"last_exit_meaning,omitempty"`
	LastExitAt      time.Time `json:"last_exit_at,omitzero"`
	LastReset       time.Time `json:"last_reset,omitzero"`
	LastResetWhy    string    `json:"last_reset_why,omitempty"`
	LastResetResult string    `json:"last_reset_result,omitempty"`
	// LastResetStep: the last step that reset carried out (ResetSteps, or
	// NoResetStep), once it has ended.
	LastResetStep string    `json:"last_reset_step,omitempty"`
	Resets        int       `json:"resets"`
	LinkUpAt      time.Time `json:"link_up_at,omitzero"`
	MonitorTarget string    `json:"monitor_target,omitempty"`
	NextResetAt   time.Time `json:"next_reset_at,omitzero"`
	// The diagnosis: the class of the last failure ("module", "SIM",
	// "network", "link"; empty while up), the counts by class, the reset
	// budget and the next dial.
	Class string `json:"class,omitempty"`
	// Ends counts this wrapper's attempts that have ended (a pppd exit, or
	// a pre-dial check that started none); LastEndClass is the last one's
	// class ("none" for no fault: RESET_AT, a stop, an idle hang-up).
	Ends              int       `json:"ends,omitempty"`
	LastEndClass      string    `json:"last_end_class,omitempty"`
	DownSince         time.Time `json:"down_since,omitzero"`
	LinkFailures      int       `json:"link_failures,omitempty"`
	AuthFailures      int       `json:"auth_failures,omitempty"` // pppd exit 19 in a row (also in failures while those last)
	NetworkRefusals   int       `json:"network_refusals,omitempty"`
	ResetsUnproven    int       `json:"resets_unproven,omitempty"` // failure-driven resets since the link was last up
	ResetsPausedUntil time.Time `json:"resets_paused_until,omitzero"`
	NextDialAt        time.Time `json:"next_dial_at,omitzero"`
	// What the last pre-dial check learned of the module.
	CheckedAt    time.Time `json:"checked_at,omitzero"`
	Model        string    `json:"model,omitempty"`
	Firmware     string    `json:"firmware,omitempty"`
	IMEI         string    `json:"imei,omitempty"`
	SIM          string    `json:"sim,omitempty"`
	Registration string    `json:"registration,omitempty"`
	SignalDBm    *int      `json:"signal_dbm,omitempty"`
	Operator     string    `json:"operator,omitempty"`
	ICCID        string    `json:"iccid,omitempty"`
}

// StateFile is the path of state.json under root.
func StateFile(root string) string {
	return filepath.Join(root, Dir, "state.json")
}

// WriteState replaces state.json atomically.
func WriteState(root string, s State) error {
	b, err := Encode(s)
	if err != nil {
		return err
	}
	p := StateFile(root)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("runstate: %w", err)
	}
	return atomicfile.Write(p, append(b, '\n'), 0o644)
}

// ReadState reads state.json.
func ReadState(root string) (State, error) {
	b, err := os.ReadFile(StateFile(root))
	if err != nil {
		return State{}, fmt.Errorf("runstate: %w", err)
	}
	s, err := decodeState(b)
	if err != nil {
		return State{}, fmt.Errorf("runstate: %s:%w", StateFile(root), err)
	}
	return s, nil
}
