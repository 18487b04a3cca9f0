package modemreset

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// --method at, usb and power each run their step alone, auto every step
// in order; the word is the contract, not the step's name in the logs.
func TestMethodSelectsSteps(t *testing.T) {
	r := &resetter{cfg: &config.Config{}, target: &target{root: t.TempDir()}}
	for _, tc := range []struct {
		arg  string
		want []string
	}{
		{"auto", []string{"AT reset", "USB re-enumeration", "power line"}},
		{"at", []string{"AT reset"}},
		{"usb", []string{"USB re-enumeration"}},
		{"power", []string{"power line"}},
	} {
		m, err := parseMethod(tc.arg)
		if err != nil {
			t.Errorf("parseMethod(%q) = %v, want no error", tc.arg, err)
			continue
		}
		var got []string
		for _, s := range r.stepsFor(m) {
			got = append(got, s.name)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("stepsFor(parseMethod(%q)) = %q, want %q", tc.arg, got, tc.want)
		}
		if m.String() != tc.arg {
			t.Errorf("parseMethod(%q).String() = %q, want %q", tc.arg, m.String(), tc.arg)
		}
	}
}

// A step's display name, or a word in another case, is not a method: the
// usage error names what is accepted.
func TestMethodRefusesOtherWords(t *testing.T) {
	for _, arg := range []string{"AT reset", "power line", "USB", ""} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"--method", arg}, &stdout, &stderr)
		want := fmt.Sprintf("modem_reset: --method %q: accepted: auto, at, usb, power\n", arg)
		if code != exitcode.Usage || !strings.HasPrefix(stderr.String(), want) {
			t.Errorf("Main(--method %q) = %d, %q, want %d, %q", arg, code, stderr.String(), exitcode.Usage, want)
		}
	}
}

// The words modem_reset reports to ppp_wrapper are its steps' --method
// words, as runstate lists them for the wrapper.
func TestReportedStepsAreMethodWords(t *testing.T) {
	if got := methodWords[methodAT:]; !slices.Equal(got, runstate.ResetSteps) {
		t.Errorf("--method's step words %q, runstate.ResetSteps %q: want the same", got, runstate.ResetSteps)
	}
}
