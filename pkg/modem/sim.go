package modem

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SIMState is what the module says of its SIM card.
type SIMState int

// SIM states. Only SIMReady lets the module register; the others name what
// a person has to do.
const (
	// SIMUnknown: the module gave no answer this package understands, or
	// refused the query.
	SIMUnknown SIMState = iota
	SIMReady
	SIMAbsent // no card, or the card is not seated
	SIMPIN    // the card waits for its PIN
	SIMPUK    // three wrong PINs: the card waits for its PUK
	// SIMPhoneLock: the module itself is locked to another SIM or network
	// ("PH-SIM PIN", "PH-NET PIN" …) and waits for that code.
	SIMPhoneLock
	// SIMBusy: the card is still starting up (shortly after power-on or a
	// reset); asking again a little later usually finds it ready.
	SIMBusy
	// SIMFailure: the card is there but unusable: broken, blocked for good
	// (PUK exhausted), or of a kind the module does not take.
	SIMFailure
)

var simStateNames = [...]string{
	SIMUnknown:   "state unknown",
	SIMReady:     "ready",
	SIMAbsent:    "not inserted",
	SIMPIN:       "PIN required",
	SIMPUK:       "PUK required",
	SIMPhoneLock: "locked to another SIM or network",
	SIMBusy:      "busy",
	SIMFailure:   "failure",
}

// String reads after the word "SIM": "ready", "not inserted", "PIN
// required", "PUK required", "busy", "failure".
func (s SIMState) String() string {
	if s >= 0 && int(s) < len(simStateNames) {
		return simStateNames[s]
	}
	return "SIMState(" + strconv.Itoa(int(s)) + ")"
}

// cpinCodes maps the <code> of a "+CPIN: <code>" reply (27.007 §8.3) and the
// words some modules use instead to a state.
var cpinCodes = map[string]SIMState{
	"READY": SIMReady,
	// 27.007 §8.3 asks a module to report SIM PIN2/PUK2 only right after a
	// command failed on PIN2 and not to block its operation: the card works.
	"SIM PIN2": SIMReady,
	"SIM PUK2": SIMReady,
	"SIM PIN":  SIMPIN,
	"SIM PUK":  SIMPUK,
	// Not in 27.007, but sent as +CPIN: lines (SIMCom, also unsolicited).
	"NOT INSERTED": SIMAbsent,
	"NOT READY":    SIMBusy,
}

// cmeSIM maps the +CME ERROR codes of 27.007 §9.2.1 that answer AT+CPIN? for
// a SIM that is not ready.
var cmeSIM = map[int]SIMState{
	5:  SIMPhoneLock, // PH-SIM PIN required
	6:  SIMPhoneLock, // PH-FSIM PIN required
	7:  SIMPhoneLock, // PH-FSIM PUK required
	10: SIMAbsent,    // SIM not inserted
	11: SIMPIN,       // SIM PIN required
	12: SIMPUK,       // SIM PUK required
	13: SIMFailure,   // SIM failure
	14: SIMBusy,      // SIM busy
	15: SIMFailure,   // SIM wrong
	// 40-47: the PINs and PUKs of network, network subset, service
	// provider and corporate personalisation.
	40: SIMPhoneLock, 41: SIMPhoneLock, 42: SIMPhoneLock, 43: SIMPhoneLock,
	44: SIMPhoneLock, 45: SIMPhoneLock, 46: SIMPhoneLock, 47: SIMPhoneLock,
}

// SIM asks the module for the state of its SIM card (AT+CPIN?, 27.007
// §8.3). It never sends a PIN. It returns the state and the module's words:
// the <code> of "+CPIN: SIM PIN" ("SIM PIN"), or the +CME ERROR as it
// reads in an error ("+CME ERROR: 10 (SIM not inserted)").
//
// A module that is not ready often answers AT+CPIN? with +CME ERROR 10 to
// 15 instead of a +CPIN: line, numeric or verbose (AT+CMEE=2: "+CME ERROR:
// SIM not inserted"); those are states, not errors. A refusal that names no
// SIM state (a bare ERROR, which a module without AT+CMEE=1 also sends for a
// missing SIM) gives SIMUnknown and the error; so do a timeout and a closed
// port. A +CPIN: code that is not known gives SIMUnknown, its words and no
// error.
func (s *Session) SIM(ctx context.Context) (SIMState, string, error) {
	const cmd = "AT+CPIN?"
	info, err := s.Command(ctx, cmd)
	if err != nil {
		var cme *CMEError
		if errors.As(err, &cme) {
			if st, ok := cmeSIMState(cme); ok {
				return st, cme.Error(), nil
			}
		}
		return SIMUnknown, "", err
	}
	_, f, err := findReply(info, "+CPIN:")
	if err != nil {
		return SIMUnknown, "", &OpError{Op: cmd, Err: err}
	}
	code := unquote(strings.Join(f, ","))
	if st, ok := cpinCodes[strings.ToUpper(code)]; ok {
		return st, code, nil
	}
	if strings.HasPrefix(strings.ToUpper(code), "PH-") {
		// PH-SIM PIN, PH-NET PIN, PH-SP PUK …: a lock of the module, not the
		// card.
		return SIMPhoneLock, code, nil
	}
	return SIMUnknown, code, nil
}

// cmeSIMState finds the SIM state a +CME ERROR stands for, by its code or,
// from a module set to verbose errors, by its text.
func cmeSIMState(e *CMEError) (SIMState, bool) {
	if e.Code >= 0 {
		st, ok := cmeSIM[e.Code]
		return st, ok
	}
	text := strings.TrimSpace(e.Text)
	for code, st := range cmeSIM {
		if name, ok := cmeText[code]; ok && strings.EqualFold(name, text) {
			return st, true
		}
	}
	if st, ok := cpinCodes[strings.ToUpper(text)]; ok && st != SIMReady {
		return st, true // "+CME ERROR: SIM PIN"
	}
	return 0, false
}

// iccidCommands are the commands that read the SIM's ICCID, tried in turn:
// 27.007 has none, so makers differ (AT+CCID u-blox and SIMCom, AT+ICCID
// some Sierra firmware, AT+QCCID Quectel).
var iccidCommands = []string{"AT+CCID", "AT+ICCID", "AT+QCCID"}

// ICCID reads the ICCID, the serial number printed on the SIM card: with
// the model's own command when the model table knows one, then with AT+CCID,
// AT+ICCID and AT+QCCID until one of them answers with an ICCID. It returns
// the 19 or 20 digits without quotes, blanks or the F that pads an odd
// number of digits. It fails when every command is refused or answers
// without an ICCID, and at once on a timeout or closed port.
func (s *Session) ICCID(ctx context.Context, m Model) (string, error) {
	cmds := iccidCommands
	if m.ICCIDCommand != "" {
		cmds = append([]string{m.ICCIDCommand}, cmds...)
	}
	var last error
	tried := map[string]bool{}
	for _, cmd := range cmds {
		if tried[strings.ToUpper(cmd)] {
			continue
		}
		tried[strings.ToUpper(cmd)] = true
		info, err := s.Command(ctx, cmd)
		if refused(err) {
			last = err
			continue
		}
		if err != nil {
			return "", err
		}
		if id, ok := parseICCID(info); ok {
			return id, nil
		}
		last = &OpError{Op: cmd, Err: fmt.Errorf("no ICCID in reply %q", info)}
	}
	return "", &OpError{Op: "read ICCID", Err: fmt.Errorf("no command gave one: %w", cause(last))}
}

// parseICCID finds the ICCID in the lines of a reply: "+CCID:
// 8981100022152967705F", "+ICCID: …", "+QCCID: …", "ICCID: …" or the digits
// alone, maybe quoted or with blanks.
func parseICCID(info []string) (string, bool) {
	for _, line := range info {
		if _, v, ok := strings.Cut(line, ":"); ok {
			line = v
		}
		v := strings.ReplaceAll(strings.TrimSpace(line), " ", "")
		if f := splitFields(v); len(f) > 0 {
			v = unquote(f[0]) // "+CCID: <iccid>[,<more>]"
		}
		if len(v) == 20 && (v[19] == 'F' || v[19] == 'f') {
			v = v[:19] // the filler of a 19-digit ICCID in its 10 bytes
		}
		if (len(v) == 19 || len(v) == 20) && allDigits(v) {
			return v, true
		}
	}
	return "", false
}

func allDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
