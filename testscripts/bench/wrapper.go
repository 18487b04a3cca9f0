package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// idle is what one process did at rest over a window.
type idle struct {
	wakeups    ctxt
	newThreads int
	threads    int // at the end
	window     time.Duration
}

func (i idle) perSecond() float64 { return float64(i.wakeups.total()) / i.window.Seconds() }

// countIdle counts pid's wake-ups over window, after settle.
func countIdle(pid int, settle, window time.Duration) (idle, error) {
	time.Sleep(settle)
	start, err := threadSwitches(pid)
	if err != nil {
		return idle{}, err
	}
	t0 := time.Now()
	time.Sleep(window)
	end, err := threadSwitches(pid)
	if err != nil {
		return idle{}, err
	}
	n, fresh := wakeups(start, end)
	return idle{wakeups: n, newThreads: fresh, threads: len(end), window: time.Since(t0)}, nil
}

// writeFakePPPD writes the stand-in for pppd: it sleeps, as pppd does
// while the link is up.
func writeFakePPPD(dir string) (string, error) {
	p := filepath.Join(dir, "fake-pppd")
	return p, os.WriteFile(p, []byte("#!/bin/sh\nexec sleep 1000\n"), 0o755)
}

// wrapperIdle runs ppp_wrapper with the link up (SIGUSR2 once its pppd
// runs) and counts its wake-ups. resetAt is RESET_AT ("" for none).
func wrapperIdle(bin, dir, fakePPPD, resetAt string, o options) (idle, error) {
	root := filepath.Join(dir, "root")
	cfg := filepath.Join(root, "etc/default/ppp")
	text := "START=yes\nPROVIDER=bench\nMONITOR=no\n"
	if resetAt != "" {
		text += "RESET_AT=" + resetAt + "\n"
	}
	if err := os.MkdirAll(filepath.Dir(cfg), 0o755); err != nil {
		return idle{}, err
	}
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		return idle{}, err
	}
	logPath := filepath.Join(dir, "ppp_wrapper.stderr")
	logf, err := os.Create(logPath)
	if err != nil {
		return idle{}, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--root", root, "--config", cfg, "--pppd", fakePPPD, "--foreground")
	cmd.Stderr, cmd.Stdout = logf, logf
	w, err := startChild(cmd)
	if err != nil {
		return idle{}, err
	}
	defer w.stop()
	pppd, err := waitForSession(w, root, logPath)
	if err != nil {
		return idle{}, err
	}
	// The wrapper ends its pppd when stopped; killPid is for one it did not.
	stop := func() { w.stop(); killPid(pppd) }
	atExit(stop)
	defer stop()
	if err := w.cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		return idle{}, err
	}
	r, err := countIdle(w.pid(), o.settle, o.window)
	if err != nil {
		return r, err
	}
	if !w.running() {
		return r, fmt.Errorf("ppp_wrapper ended within the window: %s", tail(logPath))
	}
	// The window counts only if the link was up all along.
	if s, err := runstate.ReadState(root); err != nil || s.Phase != supervise.PhaseUp || s.LinkUpAt.IsZero() {
		return r, fmt.Errorf("ppp_wrapper is not in phase %q after SIGUSR2 (state.json: %+v, %v): %s", supervise.PhaseUp, s, err, tail(logPath))
	}
	return r, nil
}

// waitForSession waits until state.json names the stand-in pppd the
// wrapper started, and returns its pid.
func waitForSession(w *child, root, logPath string) (int, error) {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if s, err := runstate.ReadState(root); err == nil {
			if s.Attempts > 0 && s.PPPDPID > 0 {
				return s.PPPDPID, nil
			}
			if s.Attempts > 0 && s.PPPDPID == 0 {
				// state.json without pppd_pid: take the wrapper's child.
				for _, c := range children(w.pid()) {
					if comm(c) == "sleep" {
						return c, nil
					}
				}
			}
		}
		if !w.running() {
			return 0, fmt.Errorf("ppp_wrapper ended before its pppd ran: %s", tail(logPath))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return 0, fmt.Errorf("ppp_wrapper: no session started within 15 s (state.json under %s): %s", root, tail(logPath))
}

// bashWrapperIdle runs the vendor's way, a bash loop around pppd, and
// counts bash's wake-ups while pppd runs.
func bashWrapperIdle(fakePPPD string, o options) (idle, error) {
	cmd := exec.Command("bash", "-c", `while :; do "$0"; sleep 5; done`, fakePPPD)
	b, err := startChild(cmd)
	if err != nil {
		return idle{}, err
	}
	defer b.stop()
	deadline := time.Now().Add(10 * time.Second)
	for !hasChild(b.pid(), "sleep") {
		if time.Now().After(deadline) || !b.running() {
			return idle{}, fmt.Errorf("the bash wrapper did not start the stand-in pppd")
		}
		time.Sleep(20 * time.Millisecond)
	}
	return countIdle(b.pid(), o.settle, o.window)
}

func hasChild(pid int, name string) bool {
	for _, c := range children(pid) {
		if comm(c) == name {
			return true
		}
	}
	return false
}

// tail is the end of a log file, for an error message.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 600 {
		b = b[len(b)-600:]
	}
	return string(b)
}
