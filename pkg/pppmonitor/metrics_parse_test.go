package pppmonitor

import (
	"path/filepath"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/metrics/metricstest"
)

// promFile is a monitor's metrics file as Prometheus's own text parser
// reads it.
type promFile struct{ metricstest.File }

// readProm parses dir/pppkeep_monitor_IFACE.prom (metricstest.Read).
func readProm(t testing.TB, dir, iface string) promFile {
	t.Helper()
	return promFile{metricstest.Read(t, filepath.Join(dir, metricsName(iface)))}
}

// num is the sample of name labelled iface="ppp0" only; absent is a
// failure.
func (p promFile) num(t testing.TB, name string) float64 {
	t.Helper()
	v, ok := p.Value(name, "iface", "ppp0")
	if !ok {
		t.Fatalf("no %s{iface=\"ppp0\"} in the file; families: %v", name, p.Names())
	}
	return v
}
