package metrics

import (
	"math"
	"strings"
	"testing"
)

// What a collector reads: families sorted by name, each with its HELP and
// TYPE, labels sorted by name, values escaped, whole numbers as integers.
func TestBytesRendersTheTextFormat(t *testing.T) {
	var s Set
	s.Gauge("pppkeep_link_up", "1 while the link is up.").Add(1)
	ends := s.Counter("pppkeep_session_ends_total", "Sessions ended, by class.")
	ends.Add(3, "class", "link")
	ends.Add(0, "class", "none")
	s.Gauge("pppkeep_module_info", `Module identity; "1" always.`+"\n"+`A \ stays.`).
		Add(1, "model", `say "hi"`, "firmware", `C:\fw`+"\n2")
	s.Gauge("pppkeep_up_since_seconds", "Unix time.").Add(1764640800)
	s.Gauge("pppkeep_ratio", "A fraction.").Add(0.25)
	s.Gauge("pppkeep_empty", "No samples: left out.")
	got, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := `# HELP pppkeep_link_up 1 while the link is up.
# TYPE pppkeep_link_up gauge
pppkeep_link_up 1
# HELP pppkeep_module_info Module identity; "1" always.\nA \\ stays.
# TYPE pppkeep_module_info gauge
pppkeep_module_info{firmware="C:\\fw\n2",model="say \"hi\""} 1
# HELP pppkeep_ratio A fraction.
# TYPE pppkeep_ratio gauge
pppkeep_ratio 0.25
# HELP pppkeep_session_ends_total Sessions ended, by class.
# TYPE pppkeep_session_ends_total counter
pppkeep_session_ends_total{class="link"} 3
pppkeep_session_ends_total{class="none"} 0
# HELP pppkeep_up_since_seconds Unix time.
# TYPE pppkeep_up_since_seconds gauge
pppkeep_up_since_seconds 1764640800
`
	if string(got) != want {
		t.Errorf("Bytes() =\n%s\nwant\n%s", got, want)
	}
}

// Each mistake is refused, named, and kept: Bytes returns the first one
// and writes nothing, since a collector drops a bad file whole.
func TestMistakesAreRefused(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(s *Set)
		want  string
	}{
		{"metric name with a dash", func(s *Set) { s.Gauge("pppkeep-up", "h").Add(1) }, `"pppkeep-up" is not a metric name`},
		{"metric name starting with a digit", func(s *Set) { s.Gauge("1up", "h").Add(1) }, `"1up" is not a metric name`},
		{"empty metric name", func(s *Set) { s.Gauge("", "h").Add(1) }, `"" is not a metric name`},
		{"label name with a colon", func(s *Set) { s.Gauge("g", "h").Add(1, "a:b", "x") }, `"a:b" is not a label name`},
		{"reserved label name", func(s *Set) { s.Gauge("g", "h").Add(1, "__name__", "x") }, `"__name__" is not a label name`},
		{"odd labels", func(s *Set) { s.Gauge("g", "h").Add(1, "class") }, "name, value pairs"},
		{"label twice", func(s *Set) { s.Gauge("g", "h").Add(1, "a", "x", "a", "y") }, "label a given twice"},
		{"duplicate series", func(s *Set) { f := s.Gauge("g", "h"); f.Add(1, "a", "x"); f.Add(2, "a", "x") }, `sample {a="x"} given twice`},
		{"other label names", func(s *Set) { f := s.Gauge("g", "h"); f.Add(1, "a", "x"); f.Add(2, "b", "x") }, "differ from the family's"},
		{"negative counter", func(s *Set) { s.Counter("c_total", "h").Add(-1) }, "a counter cannot be -1"},
		{"NaN counter", func(s *Set) { s.Counter("c_total", "h").Add(math.NaN()) }, "a counter cannot be NaN"},
		{"gauge, then counter", func(s *Set) { s.Gauge("g", "h"); s.Counter("g", "h") }, "g is already a gauge"},
		{"other help", func(s *Set) { s.Gauge("g", "h"); s.Gauge("g", "other") }, "other help text"},
	} {
		var s Set
		s.Gauge("fine", "h").Add(1)
		c.build(&s)
		s.Gauge("fine_after", "h").Add(1)
		b, err := s.Bytes()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Bytes() error = %v, want one saying %q", c.name, err, c.want)
		}
		if b != nil {
			t.Errorf("%s: Bytes() wrote %q despite the mistake", c.name, b)
		}
		if err := s.WriteFile(t.TempDir(), "x.prom"); err == nil {
			t.Errorf("%s: WriteFile wrote the set despite the mistake", c.name)
		}
	}
}

// The same family asked for twice is the same family.
func TestFamilyAgain(t *testing.T) {
	var s Set
	s.Counter("c_total", "h").Add(1, "a", "x")
	s.Counter("c_total", "h").Add(2, "a", "y")
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), "# TYPE c_total counter\n") != 1 || !strings.Contains(string(b), "c_total{a=\"y\"} 2\n") {
		t.Errorf("Bytes() = %q, want one c_total family with both samples", b)
	}
}

func TestValues(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", -3: "-3", 1764640800: "1764640800", 12.345: "12.345", 1e20: "1e+20",
		math.Inf(1): "+Inf", math.Inf(-1): "-Inf", math.NaN(): "NaN", math.Copysign(0, -1): "0",
	} {
		if got := string(appendValue(nil, v)); got != want {
			t.Errorf("appendValue(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestWriteFileWantsAPromName(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pppkeep.txt", ".prom", "sub/pppkeep.prom", "pppkeep.prom.tmp"} {
		if err := WriteFile(dir, name, []byte("x 1\n")); err == nil || !strings.Contains(err.Error(), "ending in .prom") {
			t.Errorf("WriteFile(%q) error = %v, want a refusal", name, err)
		}
	}
}
