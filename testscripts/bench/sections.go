package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// wrapperSection: ppp_wrapper at rest with the link up, without and with
// RESET_AT, beside the vendor's bash loop blocked in wait(2).
func wrapperSection(tmp, hostDir string, o options) section {
	s := section{title: fmt.Sprintf("ppp_wrapper at rest, link up (stand-in pppd sleeps; %v window)", o.window)}
	dir := filepath.Join(tmp, "wrapper")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.err = err
		return s
	}
	fake, err := writeFakePPPD(dir)
	if err != nil {
		s.err = err
		return s
	}
	bin := filepath.Join(hostDir, "ppp_wrapper")
	var plain, daily, bash idle
	var errs [3]error
	var wg sync.WaitGroup
	wg.Go(func() { plain, errs[0] = wrapperIdle(bin, filepath.Join(dir, "plain"), fake, "", o) })
	wg.Go(func() { daily, errs[1] = wrapperIdle(bin, filepath.Join(dir, "reset-at"), fake, "03:00", o) })
	wg.Go(func() { bash, errs[2] = bashWrapperIdle(fake, o) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			s.err = err
			return s
		}
	}
	s.rows = append(s.rows,
		figure("ppp_wrapper wake-ups/s, no RESET_AT (baseline: bash loop in wait)", plain.perSecond(), bash.perSecond(), "%.2f"),
		figure("ppp_wrapper wake-ups/s, RESET_AT=03:00", daily.perSecond(), bash.perSecond(), "%.2f"),
		row{what: "threads at the end of the window (no RESET_AT / RESET_AT / bash)",
			ours: fmt.Sprintf("%d / %d", plain.threads, daily.threads), base: fmt.Sprint(bash.threads), ratio: "—"},
	)
	for _, x := range []struct {
		name string
		i    idle
	}{{"ppp_wrapper, no RESET_AT", plain}, {"ppp_wrapper, RESET_AT=03:00", daily}, {"bash loop", bash}} {
		s.notes = append(s.notes, fmt.Sprintf("%s: %s in %.1f s over %d threads (%d new within the window)",
			x.name, x.i.wakeups, x.i.window.Seconds(), x.i.threads, x.i.newThreads))
	}
	return s
}

// monitorSection: ppp_monitor probing once a second beside the vendor's
// loop of ping -c1 and sleep 1, each in a namespace pair of its own.
func monitorSection(tmp, hostDir, hello string, o options) section {
	s := section{title: fmt.Sprintf("ppp_monitor, one probe a second of a namespace neighbour (%v window)", o.window)}
	if why := needNetns(); why != "" {
		s.skipped = "the ppp_monitor rows (wake-ups per probe, RSS, VmSize, largest mapping): " + why
		return s
	}
	dir := filepath.Join(tmp, "monitor")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.err = err
		return s
	}
	ours, err := newPair(1)
	if err != nil {
		s.err = err
		return s
	}
	theirs, err := newPair(2)
	if err != nil {
		s.err = err
		return s
	}
	probes := int(o.window.Seconds())
	var mon, loop watchCost
	var idleGo memory
	var errs [3]error
	var wg sync.WaitGroup
	wg.Go(func() { mon, errs[0] = monitorCost(filepath.Join(hostDir, "ppp_monitor"), dir, ours, o) })
	wg.Go(func() { loop, errs[1] = loopCost(dir, theirs, probes) })
	wg.Go(func() { idleGo, errs[2] = idleMemory(hello) })
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			s.err = err
			return s
		}
	}
	// The same with its metrics file (METRICS_DIR), after the others: one
	// monitor per ppp0.
	mdir := filepath.Join(tmp, "monitor-metrics")
	if err := os.MkdirAll(filepath.Join(mdir, "metrics"), 0o755); err != nil {
		s.err = err
		return s
	}
	withMetrics, err := monitorCost(filepath.Join(hostDir, "ppp_monitor"), mdir, ours, o, "METRICS_DIR=/metrics")
	if err != nil {
		s.err = err
		return s
	}
	s.rows = append(s.rows,
		figure(fmt.Sprintf("ppp_monitor wake-ups per probe (%d probes; baseline: bash + ping + sleep)", mon.probes), mon.perProbe(), loop.perProbe(), "%.1f"),
		figure("  with METRICS_DIR (baseline: without, the row above)", withMetrics.perProbe(), mon.perProbe(), "%.1f"),
		figure("  of which voluntary (blocked, then woken; the rest: preempted)", float64(mon.wakeups.vol)/float64(mon.probes), float64(loop.wakeups.vol)/float64(loop.probes), "%.1f"),
		figure(fmt.Sprintf("resident KiB: ppp_monitor VmRSS; bash VmRSS + largest child (%s)", loop.childName), float64(mon.mem.rss), float64(loop.mem.rss+loop.childPeak), "%.0f"),
		figure("VmSize KiB (baseline: an idle Go hello-world)", float64(mon.mem.size), float64(idleGo.size), "%.0f"),
		figure("largest mapping KiB (any; baseline: idle hello-world)", float64(mon.mem.largest), float64(idleGo.largest), "%.0f"),
		figure("own .data + .bss mapping KiB (baseline: idle hello-world)", float64(mon.mem.static), float64(idleGo.static), "%.0f"),
	)
	s.notes = append(s.notes,
		fmt.Sprintf("ppp_monitor: %s over %d probes, %d threads (%d new within the window), %d missed probes; largest mapping %s",
			mon.wakeups, mon.probes, mon.threads, mon.fresh, mon.misses, mon.mem.largestName),
		fmt.Sprintf("bash loop: %s over %d probes (bash and every ping and sleep, from wait4; the start of bash taken off), %d missed; bash VmRSS %d KiB, VmSize %d KiB, largest child peak %d KiB (%s, under GNU time, which forks: its own copy is a floor)",
			loop.wakeups, loop.probes, loop.misses, loop.mem.rss, loop.mem.size, loop.childPeak, loop.childName),
		fmt.Sprintf("idle hello-world: largest mapping %s; host builds are static (CGO_ENABLED=0), as make build's and the routers'", idleGo.largestName),
	)
	return s
}
