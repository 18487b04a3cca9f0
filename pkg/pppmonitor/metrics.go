package pppmonitor

import (
	"time"

	"github.com/pppkeep/pppkeep/pkg/metrics"
)

// probeStats are the watch's counts since this monitor started, for the
// metrics file. Every probe counted is a reply or a miss: one stopped
// halfway (SIGTERM) or cut short by the end of the interface counts as
// neither, and neither does a round that sent nothing and still counts as
// an answer (NXDOMAIN or the link's own address, without a raw socket).
type probeStats struct {
	replies, missed, skipped uint64
	rttTotal                 time.Duration // summed over the replies
	lastRTT                  time.Duration
	hasRTT                   bool      // lastRTT is a reply's
	last                     time.Time // the last reply, miss or skip
}

// reply counts a probe answered within MONITOR_TIMEOUT in rtt.
func (s *probeStats) reply(rtt time.Duration, at time.Time) {
	s.replies++
	s.rttTotal += rtt
	s.lastRTT, s.hasRTT = rtt, true
	s.last = at
}

// miss counts a probe without a reply.
func (s *probeStats) miss(at time.Time) {
	s.missed++
	s.last = at
}

// skip counts a probe that traffic made needless (MONITOR_ADAPTIVE).
func (s *probeStats) skip(at time.Time) {
	s.skipped++
	s.last = at
}

// probeState is what the metrics file says: the counts and the watch's
// state when it is written.
type probeState struct {
	stats   probeStats
	iface   string
	target  string // the target's address once known, else its name; "" for none yet
	misses  int    // in a row
	maxFail int
	running bool
}

// metricsSet is what pppkeep_monitor_IFACE.prom says of st. Every sample
// carries iface, so that the files of two monitors (ppp0, ppp1) make
// distinct series; the help texts are the same in every file, as
// node_exporter wants of one family read from several. The names are
// pppkeep_probe*, which ppp_wrapper's file (pppkeep.prom) does not use.
func metricsSet(st probeState) *metrics.Set {
	c := st.stats
	var s metrics.Set
	l := []string{"iface", st.iface}
	s.Gauge("pppkeep_probe_monitor_running", "1 while ppp_monitor watches the link; 0 in the file's last write, when it exits (stopped, link gone or link dead).").Add(metrics.Bool(st.running), l...)
	s.Counter("pppkeep_probes_total", "Probes answered or missed since this ppp_monitor started (replies_total + misses_total; skipped ones not included). A probe is one echo request to the target; with the automatic target, the first search and the last chance before a drop are each a round of requests along the route.").Add(float64(c.replies+c.missed), l...)
	s.Counter("pppkeep_probe_replies_total", "Probes answered within MONITOR_TIMEOUT since this ppp_monitor started (for the automatic target: by the target, or by another host on the route, which then became the target).").Add(float64(c.replies), l...)
	s.Counter("pppkeep_probe_misses_total", "Probes without a reply within MONITOR_TIMEOUT since this ppp_monitor started, including those that could not be sent (send error, failed name lookup, no answering host on the route).").Add(float64(c.missed), l...)
	s.Counter("pppkeep_probes_skipped_total", "Probes skipped since this ppp_monitor started because the link received traffic after they were due (MONITOR_ADAPTIVE=yes).").Add(float64(c.skipped), l...)
	s.Counter("pppkeep_probe_rtt_seconds_total", "Round-trip times of the replies counted in pppkeep_probe_replies_total, summed, in seconds: rate of this over rate of that is the mean RTT.").Add(c.rttTotal.Seconds(), l...)
	if c.hasRTT {
		s.Gauge("pppkeep_probe_last_rtt_seconds", "Round-trip time of the last reply, in seconds; absent before the first one.").Add(c.lastRTT.Seconds(), l...)
	}
	s.Gauge("pppkeep_probe_consecutive_misses", "Probes missed in a row now; the link is dropped when this reaches pppkeep_probe_fail_limit.").Add(float64(st.misses), l...)
	s.Gauge("pppkeep_probe_fail_limit", "MONITOR_FAIL: the misses in a row that make the link dead.").Add(float64(st.maxFail), l...)
	if st.target != "" {
		s.Gauge("pppkeep_probe_target_info", "1, with the current target as the target label (its address once known; the automatic target may change, and only the current one is shown).").Add(1, "iface", st.iface, "target", st.target)
	}
	if !c.last.IsZero() {
		s.Gauge("pppkeep_probe_last_timestamp_seconds", "Unix time of the last probe's outcome (reply or miss) or skip.").Add(float64(c.last.Unix()), l...)
	}
	return &s
}

// probeState is the watcher's state for the metrics file.
func (w *watcher) probeState() probeState {
	target := w.target
	if w.addr.IsValid() {
		target = w.addr.String()
	}
	return probeState{stats: w.stats, iface: w.iface, target: target, misses: w.misses, maxFail: w.maxFail, running: true}
}
