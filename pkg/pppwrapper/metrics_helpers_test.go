package pppwrapper

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// promFile is pppkeep.prom as Prometheus's own text parser reads it.
type promFile map[string]*dto.MetricFamily

func readProm(t *testing.T, dir string) promFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, metricsName))
	if err != nil {
		t.Fatalf("metrics file: %v", err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the Prometheus text parser refuses %s: %v\n%s", metricsName, err, b)
	}
	return fams
}

// value is the sample of name with exactly labels (name, value pairs),
// and whether there is one.
func (p promFile) value(name string, labels ...string) (float64, bool) {
	f := p[name]
	for _, m := range f.GetMetric() {
		if len(m.GetLabel())*2 != len(labels) {
			continue
		}
		match := true
		for _, l := range m.GetLabel() {
			found := false
			for i := 0; i < len(labels); i += 2 {
				if labels[i] == l.GetName() && labels[i+1] == l.GetValue() {
					found = true
				}
			}
			match = match && found
		}
		if !match {
			continue
		}
		switch f.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// fakeClock is the metrics file's clock in the tests: time moves when the
// test says, and timers fire then.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at             time.Time
	f              func()
	stopped, fired bool
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) AfterFunc(d time.Duration, f func()) supervise.Timer {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	was := !t.stopped && !t.fired
	t.stopped = true
	return was
}

// advance moves the clock on by d, firing the timers that come due.
func (c *fakeClock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.stopped && !t.fired && !t.at.After(c.now) {
			t.fired = true
			t.f()
		}
	}
}

// armed is the timers that will still fire.
func (c *fakeClock) armed() []time.Time {
	var at []time.Time
	for _, t := range c.timers {
		if !t.stopped && !t.fired {
			at = append(at, t.at)
		}
	}
	return at
}
