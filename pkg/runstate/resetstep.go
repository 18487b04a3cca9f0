package runstate

import "strings"

// ResetStepFDEnv names, in modem_reset's environment, the file descriptor
// on which it tells ppp_wrapper each reset step it carries out: one line
// per step, the step's word (ResetSteps). Run by hand, without it,
// modem_reset tells nobody.
const ResetStepFDEnv = "PPPKEEP_RESET_STEP_FD"

// ResetSteps are the steps' words, in the order modem_reset tries them:
// the words of its --method that run each alone.
var ResetSteps = []string{"at", "usb", "power"}

// NoResetStep is the step of a reset that carried none out (it failed
// before, or was not started).
const NoResetStep = "none"

// LastResetStep is the last step a report names, or NoResetStep.
func LastResetStep(report string) string {
	lines := strings.Fields(report)
	for i := len(lines) - 1; i >= 0; i-- {
		for _, s := range ResetSteps {
			if lines[i] == s {
				return s
			}
		}
	}
	return NoResetStep
}
