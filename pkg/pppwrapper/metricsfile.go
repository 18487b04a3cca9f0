package pppwrapper

import (
	"bytes"
	"path/filepath"
	"sync"
	"time"

	"github.com/pppkeep/pppkeep/pkg/metrics"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

const (
	// metricsName is the wrapper's file in METRICS_DIR.
	metricsName = "pppkeep.prom"
	// metricsEvery is the shortest time between two writes: a flapping
	// link must not write the router's flash many times a second.
	metricsEvery = 5 * time.Second
)

// metricsFile keeps METRICS_DIR/pppkeep.prom up to date with the state:
// written when what it says changes, at most once every metricsEvery. A
// change inside that window is written when the window ends (one timer,
// only then); with nothing changed, no timer runs.
type metricsFile struct {
	dir          string
	clock        supervise.Clock
	bytes        sessionBytes
	warnf, infof func(format string, args ...any)

	mu      sync.Mutex
	tally   tally
	written []byte // what the file holds
	pending []byte // newer content, for when the window ends
	lastTry time.Time
	timer   supervise.Timer
	gen     int // which timer is current, so that a stopped one does nothing
	broken  bool
}

// newMetricsFile writes into dir (METRICS_DIR under root); sessions' byte
// counts come from the ip-down hook's file under root.
func newMetricsFile(root, dir string, clock supervise.Clock, warnf, infof func(string, ...any)) *metricsFile {
	return &metricsFile{
		dir: filepath.Join(root, dir), clock: clock, warnf: warnf, infof: infof,
		bytes: func(pid int) (uint64, uint64, bool) { return takeSessionBytes(root, pid) },
	}
}

// save takes each state the machine saves (SaveState).
func (f *metricsFile) save(st runstate.State) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tally.observe(st, f.bytes)
	data, err := metricsSet(st, &f.tally).Bytes()
	if err != nil {
		f.warnf("metrics: %v (a bug: please report it)", err)
		return
	}
	if bytes.Equal(data, f.written) {
		f.pending = nil
		f.stopTimer()
		return
	}
	now := f.clock.Now()
	// The last state is written at once: the wrapper exits after it.
	if st.Phase == supervise.PhaseDone || f.lastTry.IsZero() || now.Sub(f.lastTry) >= metricsEvery {
		f.pending = nil
		f.stopTimer()
		f.write(data, now)
		return
	}
	f.pending = data
	if f.timer == nil {
		gen := f.gen
		f.timer = f.clock.AfterFunc(f.lastTry.Add(metricsEvery).Sub(now), func() { f.flush(gen) })
	}
}

// flush writes the content that waited for the window's end.
func (f *metricsFile) flush(gen int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen != f.gen {
		return
	}
	f.timer = nil
	f.gen++
	if f.pending == nil {
		return
	}
	data := f.pending
	f.pending = nil
	f.write(data, f.clock.Now())
}

func (f *metricsFile) stopTimer() {
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	f.gen++
}

// write replaces the file. A failure is said once, and the file is tried
// again at the next change.
func (f *metricsFile) write(data []byte, now time.Time) {
	f.lastTry = now
	if err := metrics.WriteFile(f.dir, metricsName, data); err != nil {
		if !f.broken {
			f.broken = true
			f.warnf("metrics: %v: METRICS_DIR must be a directory ppp_wrapper can write (node_exporter's textfile directory); no metrics until then, tried again at each change", err)
		}
		return
	}
	if f.broken {
		f.broken = false
		f.infof("metrics: %s written again", filepath.Join(f.dir, metricsName))
	}
	f.written = data
}
