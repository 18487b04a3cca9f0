package supervise

import "github.com/pppkeep/pppkeep/pkg/modem"

// CheckFromHealth is the verdict of a pre-dial check on what it learned:
// the policy of what each state of the module means for the dial.
func CheckFromHealth(h modem.Health) Check {
	c := Check{Text: h.Summary(), Module: ModuleFacts{At: h.At, Operator: h.Operator, ICCID: h.ICCID}}
	if h.Answered {
		c.Module.SIM = h.SIM.String()
	}
	if h.HaveReg {
		c.Module.Registration = h.Reg.Data().String()
	}
	if h.HaveSignal {
		if dbm, ok := h.Signal.DBm(); ok {
			c.Module.SignalDBm = &dbm
		}
	}
	switch {
	case !h.Answered:
		c.Verdict = CheckSilent
	case h.SIM != modem.SIMReady && h.SIM != modem.SIMUnknown && h.SIM != modem.SIMBusy:
		// Absent, PIN, PUK, locked, broken: a person must act. A busy
		// card (just after power-on) and a module that does not say are
		// given the dial.
		c.Verdict = CheckSIM
	case !h.HaveReg:
		c.Verdict = CheckReady // the module does not report registration: let pppd try
	case h.Reg.Data().Registered():
		c.Verdict = CheckReady
	case h.Reg.Data() == modem.RegDenied:
		c.Verdict = CheckDenied
	default:
		// Searching, not registered, unknown, SMS or emergency only:
		// wait a while for the network, then dial anyway.
		c.Verdict = CheckSearching
	}
	return c
}
