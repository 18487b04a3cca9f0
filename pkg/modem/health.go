package modem

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"syscall"
	"time"
)

// Health is what one pre-dial check learned of the module.
type Health struct {
	At         time.Time    // when the check began
	Answered   bool         // the module answered AT
	SIM        SIMState     // SIMUnknown also when the module refused AT+CPIN?
	SIMText    string       // the module's words for a SIM that is not ready
	Reg        Registration // valid when HaveReg
	HaveReg    bool         // the module reported at least one domain
	Signal     Signal       // valid when HaveSignal; RSSI may still be 99, not known
	HaveSignal bool
	Operator   string // "" when not registered or refused
	ICCID      string // "" when no command gave one
	Err        error  // why the check stopped early (no answer, port error), else nil
}

// CheckHealth asks the module, in this order, AT, AT+CPIN?, the
// registration (AT+CREG?, AT+CGREG?, AT+CEREG?), AT+CSQ, AT+COPS? and the
// ICCID, and says what it learned. The one setting it changes is AT+CMEE=1
// (numeric +CME ERROR codes, until the module restarts): with errors
// reported as a bare ERROR, the default of many modules, a missing SIM
// could not be told from any other refusal.
//
// No answer to AT within the session's timeout (or before ctx ends) leaves
// Answered false and ends the check. A SIM that is not ready is recorded
// and ends it too: a module without a usable SIM does not register, and a
// PIN is never sent. A query the module refuses (ERROR, +CME ERROR) or
// answers with something unreadable leaves its field empty and the check
// goes on; a timeout, a closed port or the end of ctx stops it with Err
// set, keeping what was learned before.
func CheckHealth(ctx context.Context, s *Session, m Model) Health {
	h := Health{At: time.Now()}

	_, err := s.Command(ctx, "AT")
	if errors.Is(err, ErrNoCarrier) {
		// A call that was still up when the port was opened (its pppd
		// killed with the wrapper before it hung up) ends now, and the
		// module's NO CARRIER comes as the reply to our AT: the module
		// answers. Ask again for its answer to AT itself.
		_, err = s.Command(ctx, "AT")
	}
	if err != nil && !refused(err) {
		h.Err = err
		return h
	}
	h.Answered = true
	if _, err := s.Command(ctx, "AT+CMEE=1"); stops(ctx, err) {
		h.Err = err
		return h
	}

	sim, text, err := s.SIM(ctx)
	if stops(ctx, err) {
		h.Err = err
		return h
	}
	h.SIM = sim
	if err == nil && sim != SIMReady {
		h.SIMText = text
		return h
	}

	reg, err := s.Registration(ctx)
	if reg.HaveCS || reg.HavePS || reg.HaveEPS {
		h.Reg, h.HaveReg = reg, true
	}
	if stops(ctx, err) {
		h.Err = err
		return h
	}

	sig, err := s.Signal(ctx)
	if stops(ctx, err) {
		h.Err = err
		return h
	}
	if err == nil {
		h.Signal, h.HaveSignal = sig, true
	}

	op, err := s.Operator(ctx)
	if stops(ctx, err) {
		h.Err = err
		return h
	}
	h.Operator = op

	id, err := s.ICCID(ctx, m)
	if stops(ctx, err) {
		h.Err = err
		return h
	}
	h.ICCID = id
	return h
}

// stops reports whether err ends a health check: the module did not answer
// in time, the port is gone or failed, or the caller gave up. A refusal or a
// reply that cannot be parsed says only that one query did not work.
func stops(ctx context.Context, err error) bool {
	if err == nil {
		return false
	}
	var pathErr *fs.PathError
	var errno syscall.Errno
	return ctx.Err() != nil || errors.Is(err, ErrTimeout) || errors.Is(err, ErrClosed) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrClosedPipe) || errors.As(err, &pathErr) || errors.As(err, &errno)
}

// Summary is the check in one line for the log, e.g. `SIM ready,
// registered, home (CGREG), signal -83 dBm, operator "NTT DOCOMO"`, "no
// answer to AT" or "SIM not inserted". The registration shown is the one
// that matters for data (Registration.Data) and the domain it came from.
func (h Health) Summary() string {
	if !h.Answered {
		if h.Err == nil || errors.Is(h.Err, ErrTimeout) {
			return "no answer to AT"
		}
		return "no answer to AT: " + h.Err.Error()
	}
	sim := "SIM " + h.SIM.String()
	switch h.SIM {
	case SIMUnknown, SIMPhoneLock, SIMFailure:
		// These have more than one cause; the module's words tell which.
		if h.SIMText != "" {
			sim += fmt.Sprintf(" (%q)", h.SIMText)
		}
	}
	parts := []string{sim}
	if h.SIM == SIMReady || h.SIM == SIMUnknown && h.SIMText == "" {
		parts = append(parts, h.network()...)
	}
	line := strings.Join(parts, ", ")
	if h.Err != nil {
		line += "; check stopped: " + h.Err.Error()
	}
	return line
}

// network is the part of the summary after the SIM.
func (h Health) network() []string {
	if h.Err != nil && !h.HaveReg && !h.HaveSignal && h.Operator == "" {
		return nil // stopped before the module could say anything of it
	}
	var parts []string
	switch stat, domain := h.Reg.data(); {
	case !h.HaveReg:
		parts = append(parts, "registration unknown")
	case stat.Registered():
		parts = append(parts, fmt.Sprintf("%s (%s)", stat, domain))
	default:
		parts = append(parts, fmt.Sprintf("network %s (%s)", stat, domain))
	}
	if dbm, ok := h.Signal.DBm(); h.HaveSignal && ok {
		parts = append(parts, fmt.Sprintf("signal %d dBm", dbm))
	} else {
		parts = append(parts, "signal unknown")
	}
	if h.Operator != "" {
		parts = append(parts, fmt.Sprintf("operator %q", h.Operator))
	}
	return parts
}
