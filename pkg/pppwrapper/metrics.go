package pppwrapper

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/metrics"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// The phases and classes every file lists, 1 for the current one and 0
// for the others, so that a query for one that is not current finds 0
// rather than nothing.
var (
	phases = []string{
		supervise.PhaseWaitDevice, supervise.PhaseChecking, supervise.PhaseWaitNetwork,
		supervise.PhaseConnecting, supervise.PhaseUp, supervise.PhaseHoldoff, supervise.PhaseBackoff,
		supervise.PhaseResetting, supervise.PhaseStopping, supervise.PhaseDone,
	}
	classes = []string{
		supervise.ClassNone.String(), supervise.ClassModule.String(), supervise.ClassSIM.String(),
		supervise.ClassNetwork.String(), supervise.ClassLink.String(),
	}
	// resetKinds are the result and step pairs (resetKind) listed from the
	// start: what each step can end with, and the ends with no step
	// carried out.
	resetKinds = func() []string {
		var k []string
		for _, r := range []string{"ok", "not_ready", "failed"} {
			for _, s := range runstate.ResetSteps {
				k = append(k, resetKind(r, s))
			}
		}
		return append(k, resetKind("failed", runstate.NoResetStep), resetKind("not_started", runstate.NoResetStep))
	}()
)

// resetKind is a tally key for a reset's result and its last step.
func resetKind(result, step string) string { return result + " " + step }

// metricsSet is what pppkeep.prom says of st and the tally. Nothing in
// it depends on the time it is made: the file changes only when the state
// does, and the wrapper has no reason to wake up for it.
func metricsSet(st runstate.State, t *tally) *metrics.Set {
	var s metrics.Set
	up := st.Phase == supervise.PhaseUp
	s.Gauge("pppkeep_link_up", "1 while the PPP link is up (ppp_monitor said so), else 0.").Add(metrics.Bool(up))
	oneOf(s.Gauge("pppkeep_phase", "1 for ppp_wrapper's current phase (as ppp_wrapper --status shows it), 0 for the others."), "phase", phases, st.Phase)
	class := st.Class
	if class == "" {
		class = supervise.ClassNone.String()
	}
	oneOf(s.Gauge("pppkeep_verdict_class", "1 for the class of the last failure (none while the link is up or nothing failed; module, SIM, network, link), 0 for the others."), "class", classes, class)
	if !st.Since.IsZero() {
		s.Gauge("pppkeep_last_change_timestamp_seconds", "Unix time of ppp_wrapper's last change of phase.").Add(unixTime(st.Since))
	}
	if up && !st.LinkUpAt.IsZero() {
		s.Gauge("pppkeep_up_since_seconds", "Unix time the link came up; present while it is up.").Add(unixTime(st.LinkUpAt))
	}
	if !up && !st.DownSince.IsZero() {
		s.Gauge("pppkeep_down_since_seconds", "Unix time of the first failure of the current outage (or of the wrapper's start); present while the link is down after a failure.").Add(unixTime(st.DownSince))
	}

	s.Counter("pppkeep_sessions_total", "Sessions (dial attempts, pre-dial check included) started since ppp_wrapper started.").Add(float64(st.Attempts))
	ends := s.Counter("pppkeep_session_ends_total", "Sessions ended since ppp_wrapper started, by class: pppd's exit, or the pre-dial check's when no pppd was started (none: no fault, such as RESET_AT, a stop or an idle hang-up).")
	for _, c := range mergedKeys(classes, t.ends) {
		ends.Add(float64(t.ends[c]), "class", c)
	}
	s.Counter("pppkeep_resets_started_total", "Module resets (modem_reset runs) started, carried over from the wrapper before when systemd restarts ppp_wrapper (state.json).").Add(float64(st.Resets))
	resets := s.Counter("pppkeep_resets_total", "Module resets (modem_reset runs) ended since ppp_wrapper started, by result: ok (module back and ready), failed, not_ready (not within RESET_WAIT), not_started, other; and by step, the last one modem_reset carried out: at, usb, power, or none.")
	for _, k := range mergedKeys(resetKinds, t.resets) {
		result, step, _ := strings.Cut(k, " ")
		resets.Add(float64(t.resets[k]), "result", result, "step", step)
	}
	s.Counter("pppkeep_recoveries_total", "Times the link came up again after it had been up and went down, since ppp_wrapper started.").Add(float64(t.recoveries))
	s.Counter("pppkeep_recovery_seconds_total", "Seconds from the first failure to the link up again, summed over the recoveries since ppp_wrapper started.").Add(math.Round(t.recoverySeconds*1000) / 1000)
	s.Counter("pppkeep_session_bytes_sent_total", "Bytes sent over the link by the sessions that ended since ppp_wrapper started (pppd's BYTES_SENT, from the ip-down hook).").Add(float64(t.sent))
	s.Counter("pppkeep_session_bytes_received_total", "Bytes received over the link by the sessions that ended since ppp_wrapper started (pppd's BYTES_RCVD, from the ip-down hook).").Add(float64(t.received))
	if t.haveLast {
		s.Gauge("pppkeep_last_session_bytes_sent", "Bytes sent by the last session that ended with the ip-down hook run (pppd's BYTES_SENT).").Add(float64(t.lastSent))
		s.Gauge("pppkeep_last_session_bytes_received", "Bytes received by the last session that ended with the ip-down hook run (pppd's BYTES_RCVD).").Add(float64(t.lastReceived))
	}

	// What the last pre-dial check learned of the module.
	if !st.CheckedAt.IsZero() {
		s.Gauge("pppkeep_module_checked_timestamp_seconds", "Unix time of the last pre-dial check of the module, which the signal and registration are from.").Add(unixTime(st.CheckedAt))
	}
	if st.SignalDBm != nil {
		s.Gauge("pppkeep_signal_dbm", "Signal strength in dBm at the last pre-dial check.").Add(float64(*st.SignalDBm))
	}
	if st.Registration != "" {
		s.Gauge("pppkeep_registration", "1, with the module's network registration at the last pre-dial check as the state label.").Add(1, "state", st.Registration)
	}
	// An empty label is no label to Prometheus: only those known.
	var id []string
	for _, l := range [][2]string{{"model", st.Model}, {"firmware", st.Firmware}, {"imei", st.IMEI}, {"iccid", st.ICCID}} {
		if l[1] != "" {
			id = append(id, l[0], l[1])
		}
	}
	if len(id) > 0 {
		s.Gauge("pppkeep_module_info", "1, with the module's model, firmware and IMEI and the SIM's ICCID as the module said them at the pre-dial check (each when known).").Add(1, id...)
	}
	return &s
}

// oneOf adds 1 for current and 0 for each other of values; a current one
// the list does not know is added too.
func oneOf(f *metrics.Family, label string, values []string, current string) {
	if !slices.Contains(values, current) {
		values = append(slices.Clip(values), current)
	}
	for _, v := range values {
		f.Add(metrics.Bool(v == current), label, v)
	}
}

// mergedKeys is known, then the other keys of counts in order: every
// label value known in advance is there from the start at 0, so that a
// rate() sees its first increase.
func mergedKeys(known []string, counts map[string]int) []string {
	out := slices.Clone(known)
	var more []string
	for k := range counts {
		if !slices.Contains(known, k) {
			more = append(more, k)
		}
	}
	slices.Sort(more)
	return append(out, more...)
}

func unixTime(t time.Time) float64 { return float64(t.Unix()) }
