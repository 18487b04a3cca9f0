package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// probeCostSection runs pkg/pppmonitor's ProbeCost benchmark once and
// turns each metric pair monitor-X / shell-X into a row.
func probeCostSection(root string) section {
	s := section{title: "go test -bench ProbeCost ./pkg/pppmonitor (loopback, 2 ms apart)"}
	if !hasProbeCost(filepath.Join(root, "pkg/pppmonitor")) {
		s.skipped = "pkg/pppmonitor has no BenchmarkProbeCost"
		return s
	}
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "ProbeCost", "-benchtime=1x", "./pkg/pppmonitor")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		s.err = fmt.Errorf("go test -bench ProbeCost: %v: %s", err, lastLines(text, 8))
		return s
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "BenchmarkProbeCost"):
			s.notes = append(s.notes, trimmed)
			s.rows = append(s.rows, metricRows(trimmed)...)
		case strings.Contains(trimmed, "_test.go:"):
			s.notes = append(s.notes, trimmed)
		case strings.HasPrefix(trimmed, "--- SKIP"):
			s.skipped = trimmed
		}
	}
	if len(s.rows) == 0 && s.skipped == "" {
		s.skipped = "the benchmark printed no monitor-/shell- metric pair: " + lastLines(text, 4)
	}
	return s
}

func hasProbeCost(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), "func BenchmarkProbeCost(") {
			return true
		}
	}
	return false
}

var metricRE = regexp.MustCompile(`([0-9.e+-]+) ([A-Za-z][^\s]*)`)

// metricRows turns a benchmark line's metrics into rows: "W shell-X"
// is the baseline of "V monitor-X" (or of "V X"); a metric without a
// shell counterpart gets a row of its own.
func metricRows(line string) []row {
	vals := map[string]float64{}
	var order []string
	for _, m := range metricRE.FindAllStringSubmatch(line, -1) {
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil || m[2] == "ns/op" {
			continue
		}
		if _, dup := vals[m[2]]; !dup {
			order = append(order, m[2])
		}
		vals[m[2]] = v
	}
	used := map[string]bool{}
	var rows []row
	for _, name := range order {
		x, ok := strings.CutPrefix(name, "shell-")
		if !ok {
			continue
		}
		for _, ours := range []string{"monitor-" + x, x} {
			if v, ok := vals[ours]; ok && !used[ours] {
				rows = append(rows, row{what: "ProbeCost " + x, ours: number(v), base: number(vals[name]), ratio: ratio(v, vals[name])})
				used[ours], used[name] = true, true
				break
			}
		}
	}
	for _, name := range order {
		if !used[name] && !strings.HasPrefix(name, "shell-") {
			rows = append(rows, row{what: "ProbeCost " + strings.TrimPrefix(name, "monitor-"), ours: number(vals[name]), base: "—", ratio: "—"})
		}
	}
	return rows
}

// number prints v with two decimals when it is small, whole otherwise.
func number(v float64) string {
	if v >= 1000 || v == float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
