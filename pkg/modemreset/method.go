package modemreset

import (
	"fmt"
	"strings"
)

// method is what --method asks for: every step as needed (auto), or one
// step alone.
type method int

const (
	methodAuto method = iota
	methodAT
	methodUSB
	methodPower
)

// methodWords are the words --method accepts, indexed by method.
var methodWords = [...]string{methodAuto: "auto", methodAT: "at", methodUSB: "usb", methodPower: "power"}

func (m method) String() string { return methodWords[m] }

// parseMethod reads --method's word; anything else is a usage error that
// names the accepted words.
func parseMethod(word string) (method, error) {
	for m, w := range methodWords {
		if w == word {
			return method(m), nil
		}
	}
	return methodAuto, fmt.Errorf("--method %q: accepted: %s", word, strings.Join(methodWords[:], ", "))
}

// stepsFor returns the steps m runs, in order.
func (r *resetter) stepsFor(m method) []step {
	all := r.steps()
	if m == methodAuto {
		return all
	}
	var out []step
	for _, s := range all {
		if s.method == m {
			out = append(out, s)
		}
	}
	return out
}
