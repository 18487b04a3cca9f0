package pppwrapper

import (
	"bytes"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// Each of the machine's lines is written at the machine's level: what the
// operator reads as "error:" or "warning:" is what the machine decided.
func TestLogsAtTheMachinesLevel(t *testing.T) {
	for level, want := range map[supervise.Level]string{
		supervise.LevelInfo:    "ppp_wrapper: session 1: link up\n",
		supervise.LevelWarning: "ppp_wrapper: warning: session 1: link up\n",
		supervise.LevelError:   "ppp_wrapper: error: session 1: link up\n",
	} {
		var buf bytes.Buffer
		s := &system{log: logging.Discard("ppp_wrapper", &buf)}
		s.Log(level, "session 1: link up")
		if got := buf.String(); got != want {
			t.Errorf("Log(%v) wrote %q, want %q", level, got, want)
		}
	}
}
