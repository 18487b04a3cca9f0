package modemreset

import (
	"os"
	"strconv"
	"syscall"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// stepReport tells ppp_wrapper, when it asked (runstate.ResetStepFDEnv),
// each step carried out, so that its metrics count resets by step. The
// zero stepReport tells nobody.
type stepReport struct{ f *os.File }

// openStepReport takes the descriptor the environment names, and keeps it
// from the programs modem_reset runs (a power line's helper).
func openStepReport() stepReport {
	v, ok := os.LookupEnv(runstate.ResetStepFDEnv)
	os.Unsetenv(runstate.ResetStepFDEnv)
	fd, err := strconv.Atoi(v)
	if !ok || err != nil || fd < 3 {
		return stepReport{}
	}
	syscall.CloseOnExec(fd)
	return stepReport{os.NewFile(uintptr(fd), "reset step report")}
}

// carried says that step m was carried out. A reader that is gone is no
// reason to stop a reset.
func (r stepReport) carried(m method) {
	if r.f != nil {
		r.f.WriteString(m.String() + "\n")
	}
}
