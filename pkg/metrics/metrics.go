package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Type is a family's metric type, as its # TYPE line says it.
type Type string

const (
	Gauge   Type = "gauge"
	Counter Type = "counter"
)

// Set is a group of metric families rendered together. The zero Set is
// empty and ready for use.
type Set struct {
	families map[string]*Family
	err      error
}

// Family is one metric: its name, help, type and samples.
type Family struct {
	set        *Set
	name, help string
	typ        Type
	// labelNames are the first sample's, sorted; every sample has the
	// same: series of one metric with other label names are a mistake.
	labelNames []string
	samples    []sample
	seen       map[string]bool // the label sets added, rendered
}

type sample struct {
	labels string // `{a="x",b="y"}`, or "" without labels
	value  float64
}

// Gauge returns the gauge family name, created with help the first time.
func (s *Set) Gauge(name, help string) *Family { return s.family(name, help, Gauge) }

// Counter returns the counter family name, created with help the first
// time. A counter's name should end in _total.
func (s *Set) Counter(name, help string) *Family { return s.family(name, help, Counter) }

func (s *Set) family(name, help string, t Type) *Family {
	if f, ok := s.families[name]; ok {
		switch {
		case f.typ != t:
			s.fail(fmt.Errorf("metrics: %s is already a %s", name, f.typ))
		case f.help != help:
			s.fail(fmt.Errorf("metrics: %s is already there with other help text", name))
		}
		return f
	}
	if !validName(name, true) {
		s.fail(fmt.Errorf("metrics: %q is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)", name))
	}
	if s.families == nil {
		s.families = map[string]*Family{}
	}
	f := &Family{set: s, name: name, help: help, typ: t, seen: map[string]bool{}}
	s.families[name] = f
	return f
}

func (s *Set) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// Err is the first mistake made in building the set, or nil.
func (s *Set) Err() error { return s.err }

// Add adds a sample of value v with labels given as name, value pairs:
// f.Add(1, "phase", "up"). Every sample of a family has the same label
// names, and no two the same values.
func (f *Family) Add(v float64, labels ...string) {
	if err := f.add(v, labels); err != nil {
		f.set.fail(fmt.Errorf("metrics: %s: %w", f.name, err))
	}
}

func (f *Family) add(v float64, labels []string) error {
	if len(labels)%2 != 0 {
		return errors.New("labels must come in name, value pairs")
	}
	if f.typ == Counter && !(v >= 0) {
		return fmt.Errorf("a counter cannot be %v", v)
	}
	// The pairs sorted by name (a few at most: an insertion sort, where
	// a generic sort would cost the router kilobytes).
	pairs := make([][2]string, 0, len(labels)/2)
	for i := 0; i < len(labels); i += 2 {
		if !validName(labels[i], false) || strings.HasPrefix(labels[i], "__") {
			return fmt.Errorf("%q is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)", labels[i])
		}
		p := [2]string{labels[i], labels[i+1]}
		j := len(pairs)
		pairs = append(pairs, p)
		for ; j > 0 && pairs[j-1][0] > p[0]; j-- {
			pairs[j] = pairs[j-1]
		}
		pairs[j] = p
	}
	names := make([]string, len(pairs))
	for i, p := range pairs {
		names[i] = p[0]
		if i > 0 && names[i-1] == p[0] {
			return fmt.Errorf("label %s given twice", p[0])
		}
	}
	if len(f.samples) == 0 {
		f.labelNames = names
	} else if !sameNames(names, f.labelNames) {
		return fmt.Errorf("labels %v differ from the family's %v", names, f.labelNames)
	}
	var b []byte
	for i, p := range pairs {
		if i == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, p[0]...)
		b = append(b, '=', '"')
		b = escape(b, p[1], true)
		b = append(b, '"')
	}
	if len(pairs) > 0 {
		b = append(b, '}')
	}
	key := string(b)
	if f.seen[key] {
		return fmt.Errorf("sample %s given twice", key)
	}
	f.seen[key] = true
	f.samples = append(f.samples, sample{labels: key, value: v})
	return nil
}

func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Bytes renders the set in the text format, or returns the first mistake
// made in building it. A family without samples is left out.
func (s *Set) Bytes() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	names := make([]string, 0, len(s.families))
	for name := range s.families {
		names = append(names, name)
	}
	slices.Sort(names)
	var b []byte
	for _, name := range names {
		f := s.families[name]
		if len(f.samples) == 0 {
			continue
		}
		b = append(b, "# HELP "+name+" "...)
		b = append(escape(b, f.help, false), '\n')
		b = append(b, "# TYPE "+name+" "+string(f.typ)+"\n"...)
		for _, smp := range f.samples {
			b = append(b, name...)
			b = append(b, smp.labels...)
			b = append(b, ' ')
			b = appendValue(b, smp.value)
			b = append(b, '\n')
		}
	}
	return b, nil
}

// validName: [a-zA-Z_:][a-zA-Z0-9_:]* for a metric (colon allowed), the
// same without colons for a label.
func validName(s string, metric bool) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			i > 0 && c >= '0' && c <= '9' || metric && c == ':'
		if !ok {
			return false
		}
	}
	return true
}

// escape appends s as the format wants a label value (quote true) or a
// help text: backslash and newline escaped, and in a label value the
// double quote. The format is UTF-8: an invalid byte (from a module's
// answer, say) becomes U+FFFD rather than a file the collector refuses.
func escape(b []byte, s string, quote bool) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == '\\':
			b = append(b, `\\`...)
		case r == '\n':
			b = append(b, `\n`...)
		case r == '"' && quote:
			b = append(b, `\"`...)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

// appendValue writes whole numbers (counts, Unix times) as integers, where
// Go's shortest float form would write 1.764e+09.
func appendValue(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// Bool is a gauge's value for b: 1 for true, 0 for false.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
