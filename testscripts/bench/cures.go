package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// curesSection runs pkg/supervise's simulated day of each failure class
// (TestCureFigures: the real driver and machine, a manual clock) and shows
// what each costs in dials and resets, beside the measured cost of the
// code before the classes: with a network that ends every call after
// CONNECT it reset the module 14 times and dialed 42 times in 60 s.
func curesSection(root string) section {
	s := section{title: "a simulated day of each failure class (go test -run TestCureFigures ./pkg/supervise; HOLDOFF=1, RETRY=3)"}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestCureFigures$", "-v", "./pkg/supervise")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		_, rest, ok := strings.Cut(line, "figure: ")
		if !ok {
			continue
		}
		s.notes = append(s.notes, rest)
		var dials, resets float64
		if _, after, ok := strings.Cut(rest, "first minute:"); ok && strings.HasPrefix(rest, "network (every call ended after CONNECT") {
			if _, err := fmt.Sscanf(after, " %g dials, %g resets", &dials, &resets); err == nil {
				s.rows = append(s.rows,
					figure("network ends every call after CONNECT: dials in the first minute (baseline: before the classes)", dials, 42, "%.0f"),
					figure("network ends every call after CONNECT: resets in the first minute (baseline: before the classes)", resets, 14, "%.0f"))
			}
		}
	}
	if err != nil {
		s.err = fmt.Errorf("TestCureFigures: %v: %s", err, lastLines(string(out), 8))
		return s
	}
	s.notes = append(s.notes, "before the classes (measured with a stand-in pppd exiting 16 after CONNECT): 42 dials and 14 resets in the first minute")
	return s
}
