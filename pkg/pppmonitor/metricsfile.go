package pppmonitor

import (
	"path/filepath"
	"time"

	"github.com/pppkeep/pppkeep/pkg/metrics"
)

// metricsEvery is the longest a probe outcome waits to be written when
// nothing an operator alerts on changed: a router's flash must not be
// written at every probe.
const metricsEvery = 60 * time.Second

// metricsName is the monitor's file in METRICS_DIR; one per interface, so
// that ppp0's and ppp1's monitors never write the same file, and none is
// ppp_wrapper's pppkeep.prom.
func metricsName(iface string) string { return "pppkeep_monitor_" + iface + ".prom" }

// metricsFile keeps METRICS_DIR/pppkeep_monitor_IFACE.prom. It is written
// only by the watch's own goroutine, right after a probe's outcome or a
// skip (update) and when the monitor exits (close): no timer, no
// goroutine, so the monitor wakes up no more often than it probes. An
// update is written at once when the misses in a row or the target
// changed since the last write, otherwise once f.every has passed since
// then (metricsEvery).
type metricsFile struct {
	dir, name    string
	every        time.Duration // metricsEvery
	warnf, infof func(format string, args ...any)

	lastTry time.Time  // the last write tried; zero before the first
	said    probeState // what the last write tried said
	broken  bool       // the last write failed (and was said to)
}

// newMetricsFile writes into dir (METRICS_DIR, under --root).
func newMetricsFile(dir, iface string, warnf, infof func(string, ...any)) *metricsFile {
	return &metricsFile{dir: dir, name: metricsName(iface), every: metricsEvery, warnf: warnf, infof: infof}
}

// update takes the state after a probe's outcome or a skip.
func (f *metricsFile) update(st probeState, now time.Time) {
	if f == nil {
		return
	}
	if !f.lastTry.IsZero() && st.misses == f.said.misses && st.target == f.said.target &&
		now.Sub(f.lastTry) < f.every {
		return
	}
	f.write(st, now)
}

// close writes the last state, running 0, whatever the throttle says.
func (f *metricsFile) close(st probeState, now time.Time) {
	if f == nil {
		return
	}
	st.running = false
	f.write(st, now)
}

// write replaces the file. A failure is said once and never stops the
// monitor; the next write tries again.
func (f *metricsFile) write(st probeState, now time.Time) {
	f.lastTry, f.said = now, st
	data, err := metricsSet(st).Bytes()
	if err == nil {
		err = metrics.WriteFile(f.dir, f.name, data)
	}
	if err != nil {
		if !f.broken {
			f.broken = true
			f.warnf("metrics: %v: METRICS_DIR must be a directory ppp_monitor can write (node_exporter's textfile directory); no metrics until then, tried again at the next write", err)
		}
		return
	}
	if f.broken {
		f.broken = false
		f.infof("metrics: %s written again", filepath.Join(f.dir, f.name))
	}
}
