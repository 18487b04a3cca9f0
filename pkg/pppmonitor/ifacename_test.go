package pppmonitor

import (
	"regexp"
	"strings"
	"testing"
)

// The hand-written check accepts exactly what the expression it replaced
// did (regexp is fine in a test: it is not linked into the tools).
func TestIsIfaceNameEqualsItsExpression(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$`)
	var all []string
	var grow func(s string, n int)
	grow = func(s string, n int) {
		all = append(all, s, s+strings.Repeat("a", 12), s+strings.Repeat("a", 13))
		if n == 0 {
			return
		}
		for _, r := range "aZ09_.-/ \x00é" {
			grow(s+string(r), n-1)
		}
	}
	grow("", 3)
	for _, s := range all {
		if got, want := isIfaceName(s), re.MatchString(s); got != want {
			t.Errorf("isIfaceName(%q) = %v, want %v", s, got, want)
		}
	}
}
