package pppmonitor

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// promFile is a monitor's metrics file as Prometheus's own text parser
// reads it.
type promFile map[string]*dto.MetricFamily

// readProm parses dir/pppkeep_monitor_IFACE.prom under both name rules:
// the legacy one that node_exporter and older servers apply, and UTF-8.
func readProm(t testing.TB, dir, iface string) promFile {
	t.Helper()
	name := metricsName(iface)
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("metrics file: %v", err)
	}
	var fams map[string]*dto.MetricFamily
	for _, scheme := range []model.ValidationScheme{model.LegacyValidation, model.UTF8Validation} {
		p := expfmt.NewTextParser(scheme)
		fams, err = p.TextToMetricFamilies(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the Prometheus text parser (%v) refuses %s: %v\n%s", scheme, name, err, b)
		}
	}
	return fams
}

// value is the sample of name with exactly labels (name, value pairs),
// and whether there is one.
func (p promFile) value(name string, labels ...string) (float64, bool) {
	f := p[name]
	want := pairs(labels...)
	for _, m := range f.GetMetric() {
		var got []string
		for _, l := range m.GetLabel() {
			got = append(got, l.GetName()+"="+l.GetValue())
		}
		slices.Sort(got)
		if strings.Join(got, ",") != want {
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

// num is the sample of name labelled iface="ppp0" only; absent is a
// failure.
func (p promFile) num(t testing.TB, name string) float64 {
	t.Helper()
	v, ok := p.value(name, "iface", "ppp0")
	if !ok {
		t.Fatalf("no %s{iface=\"ppp0\"} in the file; families: %v", name, p.names())
	}
	return v
}

func (p promFile) names() []string {
	var n []string
	for k := range p {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

func pairs(labels ...string) string {
	var l []string
	for i := 0; i+1 < len(labels); i += 2 {
		l = append(l, labels[i]+"="+labels[i+1])
	}
	slices.Sort(l)
	return strings.Join(l, ",")
}
