package metricstest

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

// File is a metrics file as the parser reads it: its families by name.
type File map[string]*dto.MetricFamily

// Parse reads data under both name rules, the legacy one that
// node_exporter and older servers apply and UTF-8, and fails t when
// either refuses it; name is for the message.
func Parse(t testing.TB, name string, data []byte) File {
	t.Helper()
	var fams map[string]*dto.MetricFamily
	for _, scheme := range []model.ValidationScheme{model.LegacyValidation, model.UTF8Validation} {
		p := expfmt.NewTextParser(scheme)
		got, err := p.TextToMetricFamilies(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("the Prometheus text parser (%v) refuses %s: %v\n%s", scheme, name, err, data)
		}
		fams = got
	}
	return fams
}

// Read parses the file at path (Parse).
func Read(t testing.TB, path string) File {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("metrics file: %v", err)
	}
	return Parse(t, filepath.Base(path), b)
}

// Value is the sample of name with exactly labels (name, value pairs, in
// any order), and whether there is one.
func (f File) Value(name string, labels ...string) (float64, bool) {
	fam := f[name]
	want := Labels(labels...)
	for _, m := range fam.GetMetric() {
		if SampleLabels(m) != want {
			continue
		}
		switch fam.GetType() {
		case dto.MetricType_COUNTER:
			return m.GetCounter().GetValue(), true
		case dto.MetricType_GAUGE:
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}

// Names are the families' names, sorted.
func (f File) Names() []string {
	n := make([]string, 0, len(f))
	for k := range f {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// Labels writes name, value pairs as SampleLabels does: name=value,
// sorted, joined by commas.
func Labels(pairs ...string) string {
	var l []string
	for i := 0; i+1 < len(pairs); i += 2 {
		l = append(l, pairs[i]+"="+pairs[i+1])
	}
	slices.Sort(l)
	return strings.Join(l, ",")
}

// SampleLabels is a sample's labels as name=value, sorted, joined by
// commas.
func SampleLabels(m *dto.Metric) string {
	var l []string
	for _, p := range m.GetLabel() {
		l = append(l, p.GetName()+"="+p.GetValue())
	}
	slices.Sort(l)
	return strings.Join(l, ",")
}
