package modem_test

import (
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func TestOpenMissingPort(t *testing.T) {
	_, err := modem.Open("/nonexistent/ttyACM0", 115200)
	if err == nil {
		t.Fatal("Open(/nonexistent/ttyACM0) = nil error, want one")
	}
	if got, want := err.Error(), "modem: open /nonexistent/ttyACM0: "; !strings.HasPrefix(got, want) {
		t.Errorf("Open(/nonexistent/ttyACM0) error = %q, want it to start with %q", got, want)
	}
}
