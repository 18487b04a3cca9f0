package pppwrapper

import (
	"bytes"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// The driver writes each of the machine's lines at the machine's level:
// what the operator reads as "error:" or "warning:" is what the machine
// decided.
func TestDoLogsAtTheMachinesLevel(t *testing.T) {
	for level, want := range map[supervise.Level]string{
		supervise.LevelInfo:    "ppp_wrapper: session 1: link up\n",
		supervise.LevelWarning: "ppp_wrapper: warning: session 1: link up\n",
		supervise.LevelError:   "ppp_wrapper: error: session 1: link up\n",
	} {
		var buf bytes.Buffer
		w := &wrapper{log: logging.Discard("ppp_wrapper", &buf)}
		w.do(supervise.Action{Kind: supervise.ActLog, Level: level, Text: "session 1: link up"})
		if got := buf.String(); got != want {
			t.Errorf("do(ActLog at %v) wrote %q, want %q", level, got, want)
		}
	}
}
