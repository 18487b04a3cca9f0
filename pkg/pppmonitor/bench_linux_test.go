package pppmonitor

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// benchProbes is how many probes each side makes.
const benchProbes = 2000

// cost is what one side used: CPU (user + system) and peak RSS, from the
// rusage wait4 returns, which for a shell includes every child it waited
// for (ping, sleep); its maxrss is that of the largest single process.
type cost struct {
	cpu    time.Duration
	maxRSS int64 // KiB
	wall   time.Duration
	misses int
}

// measured runs name with args under GNU time when it is there, for the
// peak RSS: Go starts children with vfork, and the kernel then counts the
// parent's (this test's) memory in the child's maxrss; GNU time forks.
// The CPU comes from wait4 either way (GNU time's own share is tiny).
func measured(dir, name string, args ...string) (*exec.Cmd, func(testing.TB, time.Time) cost) {
	gnuTime, err := exec.LookPath("/usr/bin/time")
	rssFile := filepath.Join(dir, "maxrss-"+filepath.Base(name))
	cmd := exec.Command(name, args...)
	if err == nil {
		cmd = exec.Command(gnuTime, append([]string{"-f", "%M", "-o", rssFile, name}, args...)...)
	}
	return cmd, func(t testing.TB, start time.Time) cost {
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			t.Fatal("no rusage")
		}
		c := cost{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), maxRSS: int64(ru.Maxrss), wall: time.Since(start)}
		if b, err := os.ReadFile(rssFile); err == nil {
			c.maxRSS, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		} else {
			t.Logf("no GNU time (Debian package time): %s's peak RSS includes this test's own", filepath.Base(name))
		}
		return c
	}
}

// BenchmarkProbeCost measures what watching a link costs.
//
// CPU: ppp_monitor (this test binary run as ppp_monitor, its interval cut
// to 2 ms through PPPMONITOR_TEST_INTERVAL and stopped after
// PPPMONITOR_TEST_PROBES probes — seams only the test binary reads) beside
// the vendor's way, a bash loop of `ping -c1` and `sleep`, doing the same
// job in the same run: 2000 probes of 127.0.0.2 out of lo, 2 ms apart
// (127.0.0.1, lo's own address, is refused as a target).
//
// Wake-ups and memory: ppp_monitor as it ships (built static and
// stripped) watches ppp0 of a network namespace whose far end answers 5 ms
// late, as a link does (probes 2 s apart, 1 s timeout); wakeups/probe are
// the context switches of all its threads per probe, rss-KiB and vm-KiB
// its VmRSS and VmSize.
// shell-rss-KiB is what the bash loop holds while ping runs: bash's own
// peak RSS plus ping's.
//
//	go test -run '^$' -bench ProbeCost ./pkg/pppmonitor/
func BenchmarkProbeCost(b *testing.B) {
	if os.Geteuid() != 0 {
		b.Skip("skipping: ppp_monitor needs a raw or ping socket on lo; run as root")
	}
	dir := b.TempDir()
	cfg := configFile(b, dir, "MONITOR_TARGET=127.0.0.2", "MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=1",
		"MONITOR_FAIL=100", "MONITOR_LOG=no")
	prog := program(b, dir, tool)
	ping, pingErr := exec.LookPath("ping")
	for range b.N {
		cmd, costOf := measured(dir, prog, "--foreground", "--root", dir, "--config", cfg, "lo")
		cmd.Env = append(os.Environ(), "PPPMONITOR_TEST_INTERVAL=2ms", fmt.Sprintf("PPPMONITOR_TEST_PROBES=%d", benchProbes))
		var errb bytes.Buffer
		cmd.Stderr = &errb
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("ppp_monitor: %v: %s", err, errb.String())
		}
		mon := costOf(b, start)
		mon.misses = strings.Count(errb.String(), " failed (")
		b.ReportMetric(float64(mon.cpu.Nanoseconds())/benchProbes, "monitor-cpu-ns/probe")
		b.ReportMetric(float64(mon.maxRSS), "monitor-maxrss-KiB")
		report(b, "ppp_monitor", mon)

		if pingErr != nil {
			b.Log("the shell side is skipped: no ping command (Debian package iputils-ping)")
			continue
		}
		loop := `i=0; while [ $i -lt "$1" ]; do "$2" -c1 -W1 -I lo 127.0.0.2 >/dev/null || echo miss; sleep 0.002; i=$((i+1)); done`
		sh, costOf := measured(dir, "bash", "-c", loop, "sh", fmt.Sprint(benchProbes), ping)
		var out bytes.Buffer
		sh.Stdout = &out
		start = time.Now()
		if err := sh.Run(); err != nil {
			b.Fatalf("shell loop: %v", err)
		}
		shell := costOf(b, start)
		shell.misses = strings.Count(out.String(), "miss")
		b.ReportMetric(float64(shell.cpu.Nanoseconds())/benchProbes, "shell-cpu-ns/probe")
		b.ReportMetric(float64(shell.maxRSS), "shell-maxrss-KiB")
		report(b, "sh + ping -c1 + sleep", shell)
		b.Logf("CPU per probe: shell loop / ppp_monitor = %.0f×", float64(shell.cpu)/float64(mon.cpu))
		shellRSS := peakRSS(b, dir, "bash", "-c", `i=0; while [ $i -lt 100 ]; do i=$((i+1)); done`) +
			peakRSS(b, dir, ping, "-c1", "-W1", "-I", "lo", "127.0.0.2")
		b.ReportMetric(float64(shellRSS), "shell-rss-KiB")
	}
	linkCost(b, dir)
}

// linkCost runs ppp_monitor as it ships on ppp0 of a network namespace
// whose far end answers 5 ms late, probes 2 s apart with a 1 s timeout,
// and reports its wake-ups per probe (between the 3rd and the 9th
// request) and its memory.
func linkCost(b *testing.B, dir string) {
	exe := buildMonitor(b, dir)
	c := netnstest.New(b, 1)
	const from, to = 3, 9
	type snapshot struct {
		c   procCost
		err error
	}
	var pid atomic.Int64
	snaps := make(chan snapshot, 2)
	slowEcho(b, c, 5*time.Millisecond, func(n int) {
		if n == from || n == to {
			c, err := readProcCost(int(pid.Load()))
			snaps <- snapshot{c, err}
		}
	})
	cfg := configFile(b, dir, "MONITOR_TARGET="+c.Hops[0].Addr.String(), "MONITOR_INTERVAL=2", "MONITOR_TIMEOUT=1",
		"MONITOR_FAIL=100", "MONITOR_LOG=no")
	for range b.N {
		cmd := c.Command(c.Router, exe, "--foreground", "--root", dir, "--config", cfg, c.Iface)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		pid.Store(int64(cmd.Process.Pid))
		var got [2]snapshot
		for i := range got {
			select {
			case got[i] = <-snaps:
			case <-time.After(2*(to-from)*time.Second + 10*time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				b.Fatalf("ppp_monitor sent fewer than %d requests: %s", to, errb.String())
			}
		}
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if got[0].err != nil || got[1].err != nil {
			b.Fatalf("reading ppp_monitor's /proc: %v, %v", got[0].err, got[1].err)
		}
		if misses := strings.Count(errb.String(), " failed ("); misses > 0 {
			b.Errorf("probes of a link that answers failed: %s", errb.String())
		}
		switches := got[1].c.switches - got[0].c.switches
		perProbe := float64(switches) / (to - from)
		b.ReportMetric(perProbe, "wakeups/probe")
		b.ReportMetric(float64(got[1].c.rssKiB), "rss-KiB")
		b.ReportMetric(float64(got[1].c.vmKiB), "vm-KiB")
		b.Logf("ppp_monitor (static build) on a link answering in 5 ms: %.1f wake-ups per probe (%d context switches over %d probes), VmRSS %d KiB, VmSize %d KiB",
			perProbe, switches, to-from, got[1].c.rssKiB, got[1].c.vmKiB)
	}
}

// peakRSS is the peak RSS of one run of name, in KiB, by GNU time (0
// without it).
func peakRSS(b *testing.B, dir, name string, args ...string) int64 {
	cmd, costOf := measured(dir, name, args...)
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return costOf(b, time.Now()).maxRSS
}

func report(b *testing.B, what string, c cost) {
	b.Logf("%-22s %d probes in %v: CPU %v (%.1f µs per probe), peak RSS %d KiB, %d misses",
		what, benchProbes, c.wall.Round(time.Millisecond), c.cpu.Round(time.Millisecond),
		float64(c.cpu.Nanoseconds())/benchProbes/1e3, c.maxRSS, c.misses)
}
