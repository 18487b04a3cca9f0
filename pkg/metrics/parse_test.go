package metrics

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/pppkeep/pppkeep/pkg/metrics/metricstest"
)

// The real parser reads back what was written: the families, their types
// and help, every label value as it was given (a quote, a backslash and a
// newline included), and invalid UTF-8 as U+FFFD.
func TestThePrometheusParserReadsItBack(t *testing.T) {
	var s Set
	s.Gauge("pppkeep_link_up", "1 while up.\nA second line with a \\.").Add(1)
	info := s.Gauge("pppkeep_module_info", "Identity.")
	tricky := "say \"hi\" \\ back\nnext line"
	info.Add(1, "model", tricky, "firmware", "fw\xff1", "iccid", "8981")
	ends := s.Counter("pppkeep_session_ends_total", "Ends.")
	for i, c := range []string{"none", "module", "SIM", "network", "link"} {
		ends.Add(float64(i), "class", c)
	}
	s.Gauge("pppkeep_signal_dbm", "dBm.").Add(-71)
	s.Gauge("pppkeep_up_since_seconds", "Unix time.").Add(1764640800)
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	fams := metricstest.Parse(t, "the file", b)
	if len(fams) != 5 {
		t.Errorf("the parser found %d families, want 5: %v", len(fams), slices.Sorted(maps.Keys(fams)))
	}
	types := map[string]dto.MetricType{
		"pppkeep_link_up": dto.MetricType_GAUGE, "pppkeep_module_info": dto.MetricType_GAUGE,
		"pppkeep_session_ends_total": dto.MetricType_COUNTER, "pppkeep_signal_dbm": dto.MetricType_GAUGE,
		"pppkeep_up_since_seconds": dto.MetricType_GAUGE,
	}
	for name, typ := range types {
		if f := fams[name]; f == nil || f.GetType() != typ {
			t.Errorf("%s: parsed as %v, want a %v", name, f, typ)
		}
	}
	if h := fams["pppkeep_link_up"].GetHelp(); h != "1 while up.\nA second line with a \\." {
		t.Errorf("help read back as %q", h)
	}
	m := fams["pppkeep_module_info"].GetMetric()
	if len(m) != 1 || metricstest.SampleLabels(m[0]) != "firmware=fw\uFFFD1,iccid=8981,model="+tricky {
		t.Errorf("module_info read back as %v, want model=%q, firmware with U+FFFD", m, tricky)
	}
	var got []string
	for _, m := range fams["pppkeep_session_ends_total"].GetMetric() {
		got = append(got, fmt.Sprintf("%s %v", metricstest.SampleLabels(m), m.GetCounter().GetValue()))
	}
	if want := []string{"class=none 0", "class=module 1", "class=SIM 2", "class=network 3", "class=link 4"}; !slices.Equal(got, want) {
		t.Errorf("session_ends_total read back as %q, want %q", got, want)
	}
	if v := fams["pppkeep_signal_dbm"].GetMetric()[0].GetGauge().GetValue(); v != -71 {
		t.Errorf("signal_dbm read back as %v", v)
	}
	if v := fams["pppkeep_up_since_seconds"].GetMetric()[0].GetGauge().GetValue(); v != 1764640800 {
		t.Errorf("up_since read back as %v", v)
	}
}

// bigSet is a file of about 1 MB whose last family (by name) says which
// generation it is, so a reader can tell a whole file from a cut one.
func bigSet(gen int) *Set {
	var s Set
	pad := s.Gauge("aaa_padding", "Padding.")
	for i := range 10000 {
		pad.Add(float64(gen), "n", fmt.Sprintf("%05d-%s", i, strings.Repeat("x", 60)))
	}
	s.Gauge("zzz_generation", "Which write this is.").Add(float64(gen))
	return &s
}

// While the file is rewritten over and over, a reader (the collector at
// each scrape) only ever finds whole files that parse, with every sample:
// the old content or the new one.
func TestReadersNeverSeeHalfAFile(t *testing.T) {
	dir := t.TempDir()
	if err := bigSet(0).WriteFile(dir, "pppkeep.prom"); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	writes := 0
	go func() {
		defer wg.Done()
		for gen := 1; !stop.Load(); gen++ {
			if err := bigSet(gen).WriteFile(dir, "pppkeep.prom"); err != nil {
				t.Error(err)
				return
			}
			writes = gen
		}
	}()
	defer func() { stop.Store(true); wg.Wait() }()
	deadline := time.Now().Add(2 * time.Second)
	reads := 0
	for time.Now().Before(deadline) && !t.Failed() {
		b, err := os.ReadFile(filepath.Join(dir, "pppkeep.prom"))
		if err != nil {
			t.Fatalf("read while rewriting: %v", err)
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("read %d: the file does not parse (%v): half a file was visible (%d bytes)", reads, err, len(b))
		}
		if n := len(fams["aaa_padding"].GetMetric()); n != 10000 || fams["zzz_generation"] == nil {
			t.Fatalf("read %d: %d of 10000 padding samples, generation %v: half a file was visible", reads, n, fams["zzz_generation"])
		}
		reads++
	}
	stop.Store(true)
	wg.Wait()
	if writes < 3 || reads < 3 {
		t.Errorf("only %d writes and %d reads overlapped: the test proved little", writes, reads)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%s holds %d entries after the writes, want only pppkeep.prom (no temporary file left)", dir, len(entries))
	}
}
