package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// startTimes runs each program with --version runs times, interleaved
// so that they share the machine's noise, and returns the wall times of
// each (fork and exec included, the same for all).
func startTimes(progs []string, runs int) (map[string][]time.Duration, error) {
	times := map[string][]time.Duration{}
	for range runs {
		for _, p := range progs {
			cmd := exec.Command(p, "--version")
			t0 := time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				return nil, fmt.Errorf("%s --version: %v: %s", p, err, out)
			}
			times[p] = append(times[p], time.Since(t0))
		}
	}
	return times, nil
}

func mean(ds []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// startupSection compares the tools' --version with hello, and gives
// each binary's size; armDir holds the linux/arm builds ("" to skip them).
func startupSection(hostDir, hello, armDir string, runs int) section {
	s := section{title: fmt.Sprintf("start time (--version, mean of %d runs each, interleaved) and size", runs)}
	progs := []string{hello}
	for _, t := range tools {
		progs = append(progs, filepath.Join(hostDir, t))
	}
	times, err := startTimes(progs, runs)
	if err != nil {
		s.err = err
		return s
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	medians := fmt.Sprintf("medians, ms: hello-world %.2f", ms(median(times[hello])))
	for _, t := range tools {
		p := filepath.Join(hostDir, t)
		s.rows = append(s.rows, figure(t+" --version, ms (target ≤ 1.5×)", ms(mean(times[p])), ms(mean(times[hello])), "%.2f"))
		medians += fmt.Sprintf(", %s %.2f (%.2f×)", t, ms(median(times[p])), float64(median(times[p]))/float64(median(times[hello])))
	}
	s.notes = append(s.notes, medians)
	helloSize, err := fileSize(hello)
	if err != nil {
		s.err = err
		return s
	}
	for _, t := range tools {
		n, err := fileSize(filepath.Join(hostDir, t))
		if err != nil {
			s.err = err
			return s
		}
		s.rows = append(s.rows, figure(t+" size, MB (host, -s -w)", mb(n), mb(helloSize), "%.2f"))
	}
	if armDir == "" {
		s.notes = append(s.notes, "linux/arm sizes not measured (-smoke or --no-cross)")
		return s
	}
	for _, t := range tools {
		n, err := fileSize(filepath.Join(armDir, t))
		if err != nil {
			s.err = err
			return s
		}
		s.rows = append(s.rows, figure(t+" size, MB (linux/arm GOARM=7, -s -w; limit 3)", mb(n), armLimit, "%.2f"))
	}
	s.notes = append(s.notes, "baseline of the --version and host size rows: a Go hello-world (fmt.Println) built with the same flags; of the arm rows: the 3 MB limit (10^6 bytes)")
	return s
}

// armLimit is the largest linux/arm binary allowed, in MB.
const armLimit = 3.0

func mb(n int64) float64 { return float64(n) / 1e6 }

func fileSize(p string) (int64, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
