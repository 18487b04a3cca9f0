package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// watchCost is what watching the link cost one side.
type watchCost struct {
	wakeups ctxt
	probes  int
	threads int // the monitor's, at the end
	fresh   int // threads that appeared within the window
	misses  int
	mem     memory // the monitor's; for the loop, bash's
	// For the loop: the largest child's peak RSS (KiB) and which.
	childPeak int64
	childName string
}

func (c watchCost) perProbe() float64 { return float64(c.wakeups.total()) / float64(c.probes) }

// monitorCost runs ppp_monitor on ppp0 of p's near namespace, probing the
// far end once a second, and counts its wake-ups over the window. extra
// are more lines of its configuration.
func monitorCost(bin, dir string, p *pair, o options, extra ...string) (watchCost, error) {
	cfg := filepath.Join(dir, "ppp")
	// The file is checked whole: the default AUTH=CHAP would want an
	// ACCOUNT the monitor never uses. MONITOR_FAIL=100: a lost reply does
	// not end the run (misses are counted instead).
	text := strings.Join([]string{"AUTH=NOAUTH", "MONITOR=yes", "PERSIST=1", "DEMAND=0", "MONITOR_TARGET=" + p.target,
		"MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=1", "MONITOR_FAIL=100", "MONITOR_LOG=no"}, "\n") + "\n"
	for _, l := range extra {
		text += l + "\n"
	}
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return watchCost{}, err
	}
	logPath := filepath.Join(dir, "ppp_monitor.stderr")
	logf, err := os.Create(logPath)
	if err != nil {
		return watchCost{}, err
	}
	defer logf.Close()
	cmd := p.command(bin, "--root", dir, "--config", cfg, "--foreground", "ppp0")
	cmd.Stdout, cmd.Stderr = logf, logf
	m, err := startChild(cmd)
	if err != nil {
		return watchCost{}, err
	}
	defer m.stop()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(tail(logPath), "probing out of") {
		if !m.running() || time.Now().After(deadline) {
			return watchCost{}, fmt.Errorf("ppp_monitor did not start probing: %s", tail(logPath))
		}
		time.Sleep(50 * time.Millisecond)
	}
	r, err := countIdle(m.pid(), o.settle, o.window)
	if err != nil {
		return watchCost{}, err
	}
	c := watchCost{wakeups: r.wakeups, threads: r.threads, fresh: r.newThreads,
		probes: int(math.Round(r.window.Seconds())), misses: strings.Count(tail(logPath), " failed (")}
	if c.mem, err = memoryOf(m.pid()); err != nil {
		return c, err
	}
	if !m.running() {
		return c, fmt.Errorf("ppp_monitor ended within the window: %s", tail(logPath))
	}
	return c, nil
}

// probeLoop is the vendor's monitor: ping once, sleep a second, for ever;
// here $1 times, so that it ends and wait4 reports what it and its
// children used.
const probeLoop = `i=0; while [ $i -lt "$1" ]; do ping -c1 -W1 -I ppp0 "$2" >/dev/null || echo miss; sleep 1; i=$((i+1)); done`

// loopCost runs the bash loop in p's near namespace for probes probes;
// the cheapest of three runs of zero probes is bash's own start, taken
// off.
func loopCost(dir string, p *pair, probes int) (watchCost, error) {
	var empty ctxt
	for i := range 3 {
		e, _, err := runLoop(p, 0)
		if err != nil {
			return watchCost{}, err
		}
		if i == 0 || e.total() < empty.total() {
			empty = e
		}
	}
	full, c, err := runLoop(p, probes)
	if err != nil {
		return watchCost{}, err
	}
	c.wakeups, c.probes = full.minus(empty), probes
	for _, argv := range [][]string{{"ping", "-c1", "-W1", "-I", "ppp0", p.target}, {"sleep", "0"}} {
		kib, err := peakRSS(dir, p, argv)
		if errors.Is(err, errNoGNUTime) {
			c.childName = "not measured: no GNU time, Debian package time"
			break
		}
		if err != nil {
			return c, err
		}
		if kib > c.childPeak {
			c.childPeak, c.childName = kib, argv[0]
		}
	}
	return c, nil
}

// runLoop runs probeLoop n times: its context switches and those of every
// child it waited for (wait4's rusage), and bash's memory halfway.
func runLoop(p *pair, n int) (ctxt, watchCost, error) {
	var out strings.Builder
	cmd := exec.Command("bash", "-c", probeLoop, "bash", strconv.Itoa(n), p.target)
	cmd.Stdout = &out
	b, err := p.startInside(cmd)
	if err != nil {
		return ctxt{}, watchCost{}, err
	}
	defer b.stop()
	var c watchCost
	if n > 0 {
		time.Sleep(time.Duration(n) * time.Second / 2)
		if c.mem, err = memoryOf(b.pid()); err != nil {
			return ctxt{}, c, fmt.Errorf("bash loop: %w", err)
		}
		c.threads = 1
	}
	if !b.wait(time.Duration(n)*3*time.Second + 10*time.Second) {
		return ctxt{}, c, fmt.Errorf("the bash loop of %d probes did not end", n)
	}
	if b.err != nil {
		return ctxt{}, c, fmt.Errorf("bash loop: %v", b.err)
	}
	c.misses = strings.Count(out.String(), "miss")
	ru := b.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return ctxt{ru.Nvcsw, ru.Nivcsw}, c, nil
}

var errNoGNUTime = errors.New("no GNU time (/usr/bin/time)")

// peakRSS is argv's peak RSS in KiB, run once in the near namespace under
// GNU time, which forks: a child of this harness (Go starts children with
// vfork) would be charged the harness's own memory.
func peakRSS(dir string, p *pair, argv []string) (int64, error) {
	gnuTime, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return 0, errNoGNUTime
	}
	file := filepath.Join(dir, "maxrss-"+argv[0])
	cmd := p.command(gnuTime, append([]string{"-f", "%M", "-o", file}, argv...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
}

// idleMemory is the memory of the hello-world once it runs and sleeps.
func idleMemory(hello string) (memory, error) {
	cmd := exec.Command(hello, "idle")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return memory{}, err
	}
	h, err := startChild(cmd)
	if err != nil {
		return memory{}, err
	}
	defer h.stop()
	line := make([]byte, 64)
	if _, err := out.Read(line); err != nil {
		return memory{}, fmt.Errorf("hello-world: %w", err)
	}
	time.Sleep(200 * time.Millisecond)
	return memoryOf(h.pid())
}
