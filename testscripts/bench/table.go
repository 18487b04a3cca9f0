package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// row is one line of the table. ratio is ours ÷ baseline.
type row struct {
	what, ours, base, ratio string
}

// figure makes a row of two numbers in the same unit.
func figure(what string, ours, base float64, format string) row {
	return row{what: what, ours: fmt.Sprintf(format, ours), base: fmt.Sprintf(format, base), ratio: ratio(ours, base)}
}

func ratio(ours, base float64) string {
	if base == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", ours/base)
}

// section is what one part of the bench measured: rows, or why it could
// not (skipped: a missing precondition; err: it failed).
type section struct {
	title   string
	rows    []row
	notes   []string
	skipped string
	err     error
}

func printTable(w io.Writer, sections []section) {
	cols := [4]int{len("what"), len("ours"), len("baseline"), len("ratio")}
	for _, s := range sections {
		for _, r := range s.rows {
			for i, c := range []string{r.what, r.ours, r.base, r.ratio} {
				cols[i] = max(cols[i], utf8.RuneCountInString(c))
			}
		}
	}
	line := func(c ...string) {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", pad(c[0], cols[0], false), pad(c[1], cols[1], true), pad(c[2], cols[2], true), pad(c[3], cols[3], true))
	}
	line("what", "ours", "baseline", "ratio")
	for _, s := range sections {
		fmt.Fprintf(w, "— %s\n", s.title)
		for _, r := range s.rows {
			line(r.what, r.ours, r.base, r.ratio)
		}
		switch {
		case s.err != nil:
			fmt.Fprintf(w, "FAILED: %s\n", oneLine(s.err.Error()))
		case s.skipped != "":
			fmt.Fprintf(w, "skipped: %s\n", oneLine(s.skipped))
		}
	}
	for _, s := range sections {
		for _, n := range s.notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
	}
}

// pad fills s with spaces to n characters, on the left when right.
func pad(s string, n int, right bool) string {
	fill := strings.Repeat(" ", max(0, n-utf8.RuneCountInString(s)))
	if right {
		return fill + s
	}
	return s + fill
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " | ")), " ")
}
