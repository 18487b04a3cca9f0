package pppmonitor

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// promDir is METRICS_DIR in the integration tests, under --root.
const promDir = "/var/lib/prometheus/node-exporter"

// startMetricsMonitor starts a monitor of ppp0 with METRICS_DIR under dir
// (made) and the file's minute cut to 2 s, so that a test sees more than
// the first write while the monitor runs.
func startMetricsMonitor(t *testing.T, c *netnstest.Chain, dir, target string) (*mon, string) {
	t.Helper()
	out := filepath.Join(dir, promDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := monitorConfig(t, dir, c, target, "METRICS_DIR="+promDir)
	return startMonitorEnv(t, c, dir, cfg, c.Iface, "PPPMONITOR_TEST_METRICS_EVERY=2s"), out
}

// waitProm waits up to d for the file in dir to satisfy ok and returns it.
func waitProm(t *testing.T, m *mon, dir string, d time.Duration, what string, ok func(promFile) bool) promFile {
	t.Helper()
	end := time.Now().Add(d)
	for {
		if _, err := os.Stat(filepath.Join(dir, metricsName("ppp0"))); err == nil {
			if p := readProm(t, dir, "ppp0"); ok(p) {
				return p
			}
		}
		if time.Now().After(end) {
			b, _ := os.ReadFile(filepath.Join(dir, metricsName("ppp0")))
			t.Fatalf("no metrics file with %s within %v; file:\n%s\nlog:\n%s", what, d, b, m.log.buf)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func has(p promFile, name string, want func(float64) bool) bool {
	v, ok := p.Value(name, "iface", "ppp0")
	return ok && want(v)
}

// TestIntegrationMetrics: a monitor with METRICS_DIR keeps
// pppkeep_monitor_ppp0.prom, which Prometheus's parser reads; while the
// target answers it says running 1 and no misses; when the link dies its
// last write says running 0 and the misses that killed the link. It says
// running 0 too after a stop and after the end of the interface. Without
// METRICS_DIR no file is written.
func TestIntegrationMetrics(t *testing.T) {
	t.Run("reachable, then dead", func(t *testing.T) {
		c := netnstest.New(t, 3)
		dir := t.TempDir()
		w := wrapper(t, dir)
		m, out := startMetricsMonitor(t, c, dir, "10.200.3.2")
		m.log.want(t, "ppp_monitor: metrics: keeping "+out+"/pppkeep_monitor_ppp0.prom (after a probe: at once when the misses in a row or the target change, else at most every 2s)", 5*time.Second)
		p := waitProm(t, m, out, 8*time.Second, "replies_total >= 2", func(p promFile) bool {
			return has(p, "pppkeep_probe_replies_total", func(v float64) bool { return v >= 2 })
		})
		for name, want := range map[string]float64{
			"pppkeep_probe_monitor_running": 1, "pppkeep_probe_misses_total": 0,
			"pppkeep_probe_consecutive_misses": 0, "pppkeep_probe_fail_limit": maxFail,
		} {
			if got := p.num(t, name); got != want {
				t.Errorf("while the target answers: %s = %v, want %v", name, got, want)
			}
		}
		if v, ok := p.Value("pppkeep_probe_target_info", "iface", "ppp0", "target", "10.200.3.2"); !ok || v != 1 {
			t.Errorf("target_info = %v, want 1 with target=\"10.200.3.2\"", p.File["pppkeep_probe_target_info"])
		}
		if rtt := p.num(t, "pppkeep_probe_last_rtt_seconds"); !(rtt > 0 && rtt < 1) {
			t.Errorf("last_rtt = %v s, want a round trip within MONITOR_TIMEOUT", rtt)
		}
		if at := time.Unix(int64(p.num(t, "pppkeep_probe_last_timestamp_seconds")), 0); time.Since(at) > 5*time.Second {
			t.Errorf("last_timestamp = %v, %v ago", at, time.Since(at))
		}
		if fi, err := os.Stat(filepath.Join(out, "pppkeep_monitor_ppp0.prom")); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("metrics file: %v, %v; want mode 0644", fi, err)
		}

		c.IP(t, c.Hops[0].NS, "route", "add", "blackhole", c.Local.String()+"/32")
		w.signalAt(t, "USR1", bound+2*time.Second)
		if code := m.exit(t, 2*time.Second); code != 1 {
			t.Fatalf("monitor of a dead link exited %d, want 1", code)
		}
		p = readProm(t, out, "ppp0")
		if got := p.num(t, "pppkeep_probe_monitor_running"); got != 0 {
			t.Errorf("after the link died: running = %v, want 0", got)
		}
		if got := p.num(t, "pppkeep_probe_misses_total"); got < maxFail {
			t.Errorf("after the link died: misses_total = %v, want >= MONITOR_FAIL (%d)", got, maxFail)
		}
		if got := p.num(t, "pppkeep_probe_consecutive_misses"); got != maxFail {
			t.Errorf("after the link died: consecutive_misses = %v, want MONITOR_FAIL (%d)", got, maxFail)
		}
		if probes, r, mi := p.num(t, "pppkeep_probes_total"), p.num(t, "pppkeep_probe_replies_total"), p.num(t, "pppkeep_probe_misses_total"); probes != r+mi || r < 2 {
			t.Errorf("after the link died: probes %v, replies %v, misses %v; want probes = replies + misses, replies >= 2", probes, r, mi)
		}
		b, _ := os.ReadFile(filepath.Join(out, "pppkeep_monitor_ppp0.prom"))
		t.Logf("the last file:\n%s", b)
	})

	for _, end := range []struct {
		name string
		code int
		end  func(t *testing.T, c *netnstest.Chain, dir string)
	}{
		{"stopped", 0, func(t *testing.T, c *netnstest.Chain, dir string) {
			if code, _, stderr := runTool(t, c, dir, "--stop", "--root", dir, "--foreground", "ppp0"); code != 0 {
				t.Fatalf("--stop = exit %d, %s", code, stderr)
			}
		}},
		{"interface gone", 0, func(t *testing.T, c *netnstest.Chain, dir string) {
			c.IP(t, c.Router, "link", "del", "ppp0")
		}},
	} {
		t.Run(end.name, func(t *testing.T) {
			c := netnstest.New(t, 1)
			dir := t.TempDir()
			m, out := startMetricsMonitor(t, c, dir, "10.200.1.2")
			waitProm(t, m, out, 5*time.Second, "running 1", func(p promFile) bool {
				return has(p, "pppkeep_probe_monitor_running", func(v float64) bool { return v == 1 })
			})
			end.end(t, c, dir)
			if code := m.exit(t, interval+timeout+time.Second); code != end.code {
				t.Errorf("monitor exited %d, want %d", code, end.code)
			}
			p := readProm(t, out, "ppp0")
			if got := p.num(t, "pppkeep_probe_monitor_running"); got != 0 {
				t.Errorf("after the monitor ended (%s): running = %v, want 0", end.name, got)
			}
			if got := p.num(t, "pppkeep_probe_replies_total"); got < 1 {
				t.Errorf("after the monitor ended (%s): replies_total = %v, want >= 1", end.name, got)
			}
		})
	}

	t.Run("no METRICS_DIR", func(t *testing.T) {
		c := netnstest.New(t, 1)
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, promDir), 0o755)
		cfg := monitorConfig(t, dir, c, "10.200.1.2", "METRICS_DIR=")
		m := startMonitorEnv(t, c, dir, cfg, c.Iface, "PPPMONITOR_TEST_METRICS_EVERY=1ms")
		m.log.want(t, "ppp_monitor: ping to 10.200.1.2 succeeded.", 5*time.Second)
		m.log.want(t, "ppp_monitor: ping to 10.200.1.2 succeeded.", 3*time.Second)
		if code, _, stderr := runTool(t, c, dir, "--stop", "--root", dir, "--foreground", "ppp0"); code != 0 {
			t.Fatalf("--stop = exit %d, %s", code, stderr)
		}
		if code := m.exit(t, time.Second); code != 0 {
			t.Errorf("monitor stopped by --stop exited %d, want 0", code)
		}
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && strings.Contains(d.Name(), ".prom") {
				t.Errorf("with METRICS_DIR empty the monitor wrote %s", path)
			}
			return nil
		})
		if strings.Contains(m.log.buf.String(), "metrics") {
			t.Errorf("with METRICS_DIR empty the log speaks of metrics:\n%s", m.log.buf)
		}
	})
}
