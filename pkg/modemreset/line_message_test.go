package modemreset

import (
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
)

// A model with no known reset LED, on a board without the LEDs: the
// message says what is missing and how to set it, without an empty list.
func TestLineSkipMessage(t *testing.T) {
	for _, tc := range []struct {
		leds []string
		want string
	}{
		{nil, "no reset line: none is known for EC25 (set RESET_LINE=led:NAME or gpio:CHIP:LINE)"},
		{[]string{"Mobile_RESETN", "Mobile_Power"}, "no reset line: none of the LEDs Mobile_RESETN, Mobile_Power exists (set RESET_LINE)"},
	} {
		r := &resetter{cfg: &config.Config{}, target: &target{root: t.TempDir(), at: modem.Location{Model: modem.Model{Name: "EC25", ResetLines: tc.leds}}}}
		_, err := r.line()
		if err == nil || err.Error() != tc.want {
			t.Errorf("line() with reset LEDs %q on a board without them = %v, want %q", tc.leds, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "  ") {
			t.Errorf("line() = %q, holds a double space", err)
		}
	}
}
