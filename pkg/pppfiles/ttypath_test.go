package pppfiles

import (
	"regexp"
	"testing"
)

// The hand-written check accepts exactly what the expression it replaced
// did (regexp is fine in a test: it is not linked into the tools).
func TestIsTTYPathEqualsItsExpression(t *testing.T) {
	re := regexp.MustCompile(`^/dev/tty[A-Za-z0-9_.-]+$`)
	for _, s := range checkStrings("/dev/tty", "_.-/ \n\x00é+aZ09") {
		if got, want := isTTYPath(s), re.MatchString(s); got != want {
			t.Errorf("isTTYPath(%q) = %v, want %v", s, got, want)
		}
	}
}

// checkStrings is every string of up to three bytes from alphabet, alone
// and after prefix.
func checkStrings(prefix, alphabet string) []string {
	out := []string{"", prefix}
	var grow func(s string, n int)
	grow = func(s string, n int) {
		out = append(out, s, prefix+s)
		if n == 0 {
			return
		}
		for _, r := range alphabet {
			grow(s+string(r), n-1)
		}
	}
	grow("", 3)
	return out
}
