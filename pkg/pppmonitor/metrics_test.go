package pppmonitor

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/pppkeep/pppkeep/pkg/probe/probetest"
)

// withMetrics gives the harness's watcher a metrics file in a new
// directory, which it returns.
func withMetrics(h *harness) string {
	dir := h.t.TempDir()
	h.w.metrics = newMetricsFile(dir, "ppp0", h.w.log.Warnf, h.w.log.Infof)
	return dir
}

// families are the file's families and their types; last_rtt and
// last_timestamp once there was a reply, target_info once there is a
// target.
var families = map[string]dto.MetricType{
	"pppkeep_probe_monitor_running":        dto.MetricType_GAUGE,
	"pppkeep_probes_total":                 dto.MetricType_COUNTER,
	"pppkeep_probe_replies_total":          dto.MetricType_COUNTER,
	"pppkeep_probe_misses_total":           dto.MetricType_COUNTER,
	"pppkeep_probes_skipped_total":         dto.MetricType_COUNTER,
	"pppkeep_probe_rtt_seconds_total":      dto.MetricType_COUNTER,
	"pppkeep_probe_last_rtt_seconds":       dto.MetricType_GAUGE,
	"pppkeep_probe_consecutive_misses":     dto.MetricType_GAUGE,
	"pppkeep_probe_fail_limit":             dto.MetricType_GAUGE,
	"pppkeep_probe_target_info":            dto.MetricType_GAUGE,
	"pppkeep_probe_last_timestamp_seconds": dto.MetricType_GAUGE,
}

// TestMetricsAfterRepliesMissesAndASkip: two replies (40 ms each), a probe
// skipped for traffic, two misses; the file says so, every family typed
// and helped, every sample labelled with the interface.
func TestMetricsAfterRepliesMissesAndASkip(t *testing.T) {
	f := &rxFlow{}
	h := adaptiveHarness(t, far.String(), 3, f)
	dir := withMetrics(h)
	ctx := context.Background()
	if !h.w.start(ctx) || !h.probe(1) {
		t.Fatal("a probe of an answering target reported a dead link")
	}
	f.period, f.size = 100*time.Millisecond, 200 // traffic: tick 2 is skipped
	if !h.probe(2) {
		t.Fatal("a skipped probe reported a dead link")
	}
	f.period, f.cut = 0, h.clock.Now() // then the link is cut
	h.update(func(n *probetest.Net) { n.Cut = true })
	if !h.probe(3) || !h.probe(4) {
		t.Fatal("2 misses of MONITOR_FAIL=3 reported a dead link")
	}
	missAt := h.clock.Now()
	h.wantLog("ping to 10.200.9.9 succeeded.", "ping to 10.200.9.9 succeeded.", "probe skipped: ppp0 received",
		"ping to 10.200.9.9 failed (1 of 3)", "ping to 10.200.9.9 failed (2 of 3)")

	p := readProm(t, dir, "ppp0")
	for name, typ := range families {
		fam := p.File[name]
		if fam == nil || fam.GetType() != typ || fam.GetHelp() == "" {
			t.Errorf("%s: parsed as %v, want a %v with help", name, fam, typ)
			continue
		}
		for _, m := range fam.GetMetric() {
			if v, ok := labelValue(m, "iface"); !ok || v != "ppp0" {
				t.Errorf("%s: sample %v lacks iface=\"ppp0\"", name, m)
			}
		}
	}
	if len(p.File) != len(families) {
		t.Errorf("the file has families %v, want exactly the %d known", p.Names(), len(families))
	}
	for name, want := range map[string]float64{
		"pppkeep_probe_monitor_running":        1,
		"pppkeep_probes_total":                 4,
		"pppkeep_probe_replies_total":          2,
		"pppkeep_probe_misses_total":           2,
		"pppkeep_probes_skipped_total":         1,
		"pppkeep_probe_rtt_seconds_total":      0.08,
		"pppkeep_probe_last_rtt_seconds":       0.04,
		"pppkeep_probe_consecutive_misses":     2,
		"pppkeep_probe_fail_limit":             3,
		"pppkeep_probe_last_timestamp_seconds": float64(missAt.Unix()),
	} {
		if got := p.num(t, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if v, ok := p.Value("pppkeep_probe_target_info", "iface", "ppp0", "target", "10.200.9.9"); !ok || v != 1 {
		t.Errorf("pppkeep_probe_target_info{target=\"10.200.9.9\"} = %v, %v; want 1", v, ok)
	}

	// The monitor's exit: the same, running 0.
	h.w.metrics.close(h.w.probeState(), h.clock.Now())
	p = readProm(t, dir, "ppp0")
	if p.num(t, "pppkeep_probe_monitor_running") != 0 || p.num(t, "pppkeep_probe_misses_total") != 2 || p.num(t, "pppkeep_probe_consecutive_misses") != 2 {
		t.Errorf("after close: running %v, misses %v, in a row %v; want 0, 2, 2",
			p.num(t, "pppkeep_probe_monitor_running"), p.num(t, "pppkeep_probe_misses_total"), p.num(t, "pppkeep_probe_consecutive_misses"))
	}
	if fi, err := os.Stat(filepath.Join(dir, "pppkeep_monitor_ppp0.prom")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("metrics file: %v, %v; want mode 0644 (node_exporter runs as its own user)", fi, err)
	}
}

func labelValue(m *dto.Metric, name string) (string, bool) {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue(), true
		}
	}
	return "", false
}

// TestMetricsWritePolicy: with nothing changing, at most one write a
// minute; a change of the misses in a row at once, both ways; the exit
// whatever the minute says.
func TestMetricsWritePolicy(t *testing.T) {
	h := newHarness(t, far.String(), 3) // a probe every 30 s
	dir := withMetrics(h)
	probes := func() float64 { return readProm(t, dir, "ppp0").num(t, "pppkeep_probes_total") }
	h.w.start(context.Background()) // the first probe, written at +0.04 s
	for _, step := range []struct {
		k     int
		cut   bool
		wrote float64 // probes_total in the file after probe k
		why   string
	}{
		{1, false, 1, "30 s after the first write, nothing changed"},
		{2, false, 3, "a minute after it"},
		{3, false, 3, "30 s after that write"},
		{4, true, 5, "the first miss, 30 s after the last write"},
		{5, true, 6, "the second miss in a row"},
		{6, false, 7, "a reply after misses: 0 in a row"},
		{7, false, 7, "30 s after that write"},
	} {
		h.update(func(n *probetest.Net) { n.Cut = step.cut })
		h.probe(step.k)
		if got := probes(); got != step.wrote {
			t.Errorf("after probe %d (%s): the file says %v probes, want %v", step.k, step.why, got, step.wrote)
		}
	}
	h.w.metrics.close(h.w.probeState(), h.clock.Now())
	if p := readProm(t, dir, "ppp0"); p.num(t, "pppkeep_probes_total") != 8 || p.num(t, "pppkeep_probe_monitor_running") != 0 {
		t.Errorf("after the exit: %v probes, running %v; want 8, 0 (the exit is always written)",
			p.num(t, "pppkeep_probes_total"), p.num(t, "pppkeep_probe_monitor_running"))
	}
}

// TestMetricsTargetChangeWrittenAtOnce: hop 2, the automatic target, stops
// answering and hop 3 takes over in the same round (MONITOR_FAIL=1): no
// miss in a row changes, the target does, and the file shows it at once,
// with hop 3's round trip as the last reply's.
func TestMetricsTargetChangeWrittenAtOnce(t *testing.T) {
	h := newHarness(t, "", 1)
	h.update(func(n *probetest.Net) { n.Route[0].IgnoreEcho = true })
	dir := withMetrics(h)
	h.w.start(context.Background())
	p := readProm(t, dir, "ppp0")
	if v, ok := p.Value("pppkeep_probe_target_info", "iface", "ppp0", "target", "10.200.2.2"); !ok || v != 1 {
		t.Fatalf("target_info after the route search: %v", p.File["pppkeep_probe_target_info"])
	}
	h.update(func(n *probetest.Net) { n.Route[1].IgnoreEcho = true })
	if !h.probe(1) {
		t.Fatal("the link was declared dead although hop 3 answers")
	}
	p = readProm(t, dir, "ppp0")
	if m := p.File["pppkeep_probe_target_info"].GetMetric(); len(m) != 1 {
		t.Fatalf("target_info has %d samples, want the current target only: %v", len(m), m)
	}
	if v, ok := p.Value("pppkeep_probe_target_info", "iface", "ppp0", "target", "10.200.3.2"); !ok || v != 1 {
		t.Errorf("30 s after the first write, target_info = %v; want target=\"10.200.3.2\" written at once", p.File["pppkeep_probe_target_info"])
	}
	if got := p.num(t, "pppkeep_probe_last_rtt_seconds"); got != 0.003 {
		t.Errorf("last_rtt = %v, want 0.003 (hop 3's reply)", got)
	}
	if p.num(t, "pppkeep_probe_replies_total") != 2 || p.num(t, "pppkeep_probe_misses_total") != 0 {
		t.Errorf("replies %v, misses %v; want 2, 0 (another host's answer is the link's)", p.num(t, "pppkeep_probe_replies_total"), p.num(t, "pppkeep_probe_misses_total"))
	}
}

// TestMetricsNothingSentIsNoProbe: NXDOMAIN without a raw socket counts as
// an answer, but no echo request went out: no probe, no reply.
func TestMetricsNothingSentIsNoProbe(t *testing.T) {
	h := newHarness(t, "gone.example", 2)
	h.w.resolve = nxdomain("gone.example")
	dir := withMetrics(h)
	h.probe(0)
	p := readProm(t, dir, "ppp0")
	if p.num(t, "pppkeep_probes_total") != 0 || p.num(t, "pppkeep_probe_replies_total") != 0 || p.num(t, "pppkeep_probe_consecutive_misses") != 0 {
		t.Errorf("after an NXDOMAIN answer: probes %v, replies %v, in a row %v; want 0, 0, 0",
			p.num(t, "pppkeep_probes_total"), p.num(t, "pppkeep_probe_replies_total"), p.num(t, "pppkeep_probe_consecutive_misses"))
	}
	if _, ok := p.Value("pppkeep_probe_last_rtt_seconds", "iface", "ppp0"); ok {
		t.Error("last_rtt present without any reply")
	}
}

// TestMetricsWriteFailure: METRICS_DIR that cannot be written is said
// once, naming the file, and never stops the watch; the file is written
// again once it can be.
func TestMetricsWriteFailure(t *testing.T) {
	h := newHarness(t, far.String(), 3)
	dir := filepath.Join(t.TempDir(), "node-exporter")
	h.w.metrics = newMetricsFile(dir, "ppp0", h.w.log.Warnf, h.w.log.Infof)
	h.w.start(context.Background())
	h.update(func(n *probetest.Net) { n.Cut = true })
	if !h.probe(1) || !h.probe(2) { // two more writes tried: misses 1, 2
		t.Fatal("a failed write (or 2 misses of 3) stopped the watch")
	}
	log := h.log.String()
	want := "ppp_monitor: warning: metrics: atomicfile: replace " + filepath.Join(dir, "pppkeep_monitor_ppp0.prom")
	if strings.Count(log, "METRICS_DIR must be a directory ppp_monitor can write") != 1 || !strings.Contains(log, want) {
		t.Errorf("log:\n%s\nwant one warning starting %q and saying METRICS_DIR must be writable", log, want)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.update(func(n *probetest.Net) { n.Cut = false })
	h.probe(3) // 0 in a row: written
	h.wantLog("ppp_monitor: metrics: " + filepath.Join(dir, "pppkeep_monitor_ppp0.prom") + " written again")
	if p := readProm(t, dir, "ppp0"); p.num(t, "pppkeep_probes_total") != 4 {
		t.Errorf("the file written again says %v probes, want 4", p.num(t, "pppkeep_probes_total"))
	}
}

// TestMetricsNamesAreNotTheWrappers: both tools' files land in the one
// directory node_exporter reads; a family in both would be one metric
// with two meanings. ppp_wrapper's names are in its metrics.go.
func TestMetricsNamesAreNotTheWrappers(t *testing.T) {
	b, err := os.ReadFile("../pppwrapper/metrics.go")
	if err != nil {
		t.Skipf("ppp_wrapper's metrics.go: %v", err)
	}
	theirs := map[string]bool{}
	for _, m := range regexp.MustCompile(`"(pppkeep_[a-z_]+)"`).FindAllStringSubmatch(string(b), -1) {
		theirs[m[1]] = true
	}
	if len(theirs) < 10 {
		t.Fatalf("found only %d names in ppp_wrapper's metrics.go: %v", len(theirs), theirs)
	}
	for name := range families {
		if theirs[name] {
			t.Errorf("%s is a family of ppp_wrapper's too", name)
		}
	}
}
