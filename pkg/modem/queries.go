package modem

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// refused reports whether err is the module's answer that it will not or
// cannot do the command (ERROR, +CME ERROR, +CMS ERROR), as opposed to a
// timeout or a closed port.
func refused(err error) bool { return errors.Is(err, ErrError) }

// cause strips the *OpError from err, for an error that names its own
// operation.
func cause(err error) error {
	var oe *OpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}

// Identity is what a module says of itself.
type Identity struct {
	Manufacturer, Model, Revision string
	// IMEI is the module's serial number (27.007 §5.4), digits only; ""
	// when it gave none that looks like one.
	IMEI string
}

// Identify asks the module who it is: ATI first, whose "Manufacturer:",
// "Model:", "Revision:" and "IMEI:" lines some modules (u-blox, Quectel)
// fill in, then AT+CGMI, AT+CGMM, AT+CGMR and AT+CGSN for what ATI left out. A module that answers
// ERROR to some of these leaves the matching fields empty; Identify fails
// only when it learns nothing, or on a timeout or closed port.
func (s *Session) Identify(ctx context.Context) (Identity, error) {
	var id Identity
	info, err := s.Command(ctx, "ATI")
	switch {
	case err == nil:
		id = parseATI(info)
	case !refused(err):
		return Identity{}, err
	}
	lastRefusal := cause(err)
	for _, q := range []struct {
		cmd   string
		field *string
	}{
		{"AT+CGMI", &id.Manufacturer},
		{"AT+CGMM", &id.Model},
		{"AT+CGMR", &id.Revision},
		{"AT+CGSN", &id.IMEI},
	} {
		if *q.field != "" {
			continue
		}
		info, err := s.Command(ctx, q.cmd)
		if refused(err) {
			lastRefusal = cause(err)
			continue
		}
		if err != nil {
			return id, err
		}
		*q.field = parseIDLine(info, q.cmd[2:]+":")
	}
	id.IMEI = imeiOrEmpty(id.IMEI)
	if id == (Identity{}) {
		if lastRefusal == nil {
			lastRefusal = errors.New("empty replies")
		}
		return id, &OpError{Op: "identify", Err: fmt.Errorf("module gave no identification: %w", lastRefusal)}
	}
	return id, nil
}

// parseATI takes the labelled lines of an ATI reply ("Model: LISA-U200");
// unlabelled lines differ too much between makers to be trusted.
func parseATI(info []string) Identity {
	var id Identity
	for _, line := range info {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = unquote(strings.TrimSpace(value))
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "manufacturer":
			id.Manufacturer = value
		case "model":
			id.Model = value
		case "revision":
			id.Revision = value
		case "imei":
			id.IMEI = imeiOrEmpty(value)
		}
	}
	return id
}

// imeiOrEmpty is s when it is an IMEI: 15 digits, 14 without the check
// digit, or 16 (the IMEISV some modules give); else "".
func imeiOrEmpty(s string) string {
	if len(s) < 14 || len(s) > 16 {
		return ""
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return s
}

// parseIDLine takes the first line of an AT+CGMI/CGMM/CGMR reply, without
// the "+CGMI:" prefix some modules put before it and without quotes.
func parseIDLine(info []string, prefix string) string {
	for _, line := range info {
		if len(line) >= len(prefix) && strings.EqualFold(line[:len(prefix)], prefix) {
			line = line[len(prefix):]
		}
		if line = unquote(strings.TrimSpace(line)); line != "" {
			return line
		}
	}
	return ""
}

// Signal is the reply of AT+CSQ (27.007 §8.5), raw.
type Signal struct {
	// RSSI: 0 is -113 dBm or less, 31 is -51 dBm or more, 99 unknown.
	RSSI int
	// BER is the bit error rate class 0…7, 99 unknown.
	BER int
}

// DBm converts RSSI to dBm; ok is false when the module does not know it.
func (s Signal) DBm() (dbm int, ok bool) {
	if s.RSSI < 0 || s.RSSI > 31 {
		return 0, false
	}
	return -113 + 2*s.RSSI, true
}

// Signal asks the module for the received signal strength (AT+CSQ).
func (s *Session) Signal(ctx context.Context) (Signal, error) {
	const cmd = "AT+CSQ"
	info, err := s.Command(ctx, cmd)
	if err != nil {
		return Signal{}, err
	}
	sig, err := parseCSQ(info)
	if err != nil {
		return Signal{}, &OpError{Op: cmd, Err: err}
	}
	return sig, nil
}

func parseCSQ(info []string) (Signal, error) {
	line, fields, err := findReply(info, "+CSQ:")
	if err != nil {
		return Signal{}, err
	}
	if len(fields) != 2 {
		return Signal{}, fmt.Errorf("cannot parse %q: want 2 fields", line)
	}
	rssi, err1 := strconv.Atoi(fields[0])
	ber, err2 := strconv.Atoi(fields[1])
	if err1 != nil || err2 != nil {
		return Signal{}, fmt.Errorf("cannot parse %q: fields are not numbers", line)
	}
	return Signal{RSSI: rssi, BER: ber}, nil
}

// RegStat is the registration state <stat> of +CREG, +CGREG and +CEREG
// (27.007 §7.2, §10.1.20, §10.1.22).
type RegStat int

// Registration states. 6 to 11 were added for LTE and after (SMS over SGs,
// emergency bearers, CSFB, RLOS); a module may report them in any of the
// three domains.
const (
	RegNotRegistered  RegStat = 0  // not registered, not searching
	RegHome           RegStat = 1  // registered, home network
	RegSearching      RegStat = 2  // not registered, searching
	RegDenied         RegStat = 3  // registration denied
	RegUnknown        RegStat = 4  // unknown, e.g. out of coverage; also any <stat> beyond 11
	RegRoaming        RegStat = 5  // registered, roaming
	RegSMSOnlyHome    RegStat = 6  // registered for SMS only, home network
	RegSMSOnlyRoaming RegStat = 7  // registered for SMS only, roaming
	RegEmergencyOnly  RegStat = 8  // attached for emergency bearer services only
	RegHomeNoCSFB     RegStat = 9  // registered, home, "CSFB not preferred"
	RegRoamingNoCSFB  RegStat = 10 // registered, roaming, "CSFB not preferred"
	RegRLOSOnly       RegStat = 11 // attached for access to RLOS (restricted local operator services) only
	maxRegStat                = RegRLOSOnly
)

var regStatNames = [...]string{
	"not registered",
	"registered, home",
	"searching",
	"denied",
	"unknown",
	"registered, roaming",
	"SMS only, home",
	"SMS only, roaming",
	"emergency only",
	"registered, home, CSFB not preferred",
	"registered, roaming, CSFB not preferred",
	"RLOS only",
}

// Registered reports whether the module is registered for service: home
// network or roaming, with or without "CSFB not preferred" (which only
// says how voice calls are made). The "SMS only", emergency and RLOS
// states do not carry data.
func (r RegStat) Registered() bool {
	switch r {
	case RegHome, RegRoaming, RegHomeNoCSFB, RegRoamingNoCSFB:
		return true
	}
	return false
}

func (r RegStat) String() string {
	if r >= 0 && int(r) < len(regStatNames) {
		return regStatNames[r]
	}
	return "RegStat(" + strconv.Itoa(int(r)) + ")"
}

// Registration is the module's registration in the circuit-switched (CREG),
// packet-switched (CGREG) and EPS/LTE (CEREG) domains. Have* is false for a
// domain the module does not report (a 3G-only module answers ERROR to
// AT+CEREG?).
type Registration struct {
	CS, PS, EPS             RegStat
	HaveCS, HavePS, HaveEPS bool
}

// Registered reports whether any domain the module reports is registered.
func (r Registration) Registered() bool {
	return r.HaveCS && r.CS.Registered() ||
		r.HavePS && r.PS.Registered() ||
		r.HaveEPS && r.EPS.Registered()
}

// Data is the registration that matters for a data call. A module that
// reports the packet domains (CGREG, CEREG) attaches its data bearer there,
// whatever CREG says, so those two decide: registered when either is,
// else denied when either is, else searching when either is, else their
// state (EPS first, as an LTE module's bearer is on EPS). A module that
// reports neither packet domain has only CS to go by; one that reports
// nothing is RegUnknown.
func (r Registration) Data() RegStat {
	stat, _ := r.data()
	return stat
}

// data is Data and the name of the domain it took ("CGREG"), "" for none.
func (r Registration) data() (RegStat, string) {
	type domain struct {
		name string
		stat RegStat
	}
	var ds []domain
	if r.HaveEPS {
		ds = append(ds, domain{"CEREG", r.EPS})
	}
	if r.HavePS {
		ds = append(ds, domain{"CGREG", r.PS})
	}
	if len(ds) == 0 {
		if r.HaveCS {
			return r.CS, "CREG"
		}
		return RegUnknown, ""
	}
	for _, want := range []func(RegStat) bool{
		RegStat.Registered,
		func(s RegStat) bool { return s == RegDenied },
		func(s RegStat) bool { return s == RegSearching },
		// A known state says more than "unknown": an LTE module out of
		// E-UTRAN coverage reports CEREG 4 while CGREG says 0.
		func(s RegStat) bool { return s != RegUnknown },
	} {
		for _, d := range ds {
			if want(d.stat) {
				return d.stat, d.name
			}
		}
	}
	return ds[0].stat, ds[0].name
}

// String is a log form: "CREG registered, home; CGREG registered, roaming;
// CEREG none".
func (r Registration) String() string {
	var b strings.Builder
	for i, d := range []struct {
		name string
		stat RegStat
		have bool
	}{{"CREG", r.CS, r.HaveCS}, {"CGREG", r.PS, r.HavePS}, {"CEREG", r.EPS, r.HaveEPS}} {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.name)
		b.WriteString(" ")
		if d.have {
			b.WriteString(d.stat.String())
		} else {
			b.WriteString("none")
		}
	}
	return b.String()
}

// Registration asks AT+CREG?, AT+CGREG? and AT+CEREG?. A domain the module
// refuses (ERROR, +CME ERROR) is left out; Registration fails when the module
// refuses all three, on a reply it cannot parse, or on a timeout or closed
// port.
func (s *Session) Registration(ctx context.Context) (Registration, error) {
	var r Registration
	var lastRefusal error
	for _, q := range []struct {
		cmd, prefix string
		stat        *RegStat
		have        *bool
	}{
		{"AT+CREG?", "+CREG:", &r.CS, &r.HaveCS},
		{"AT+CGREG?", "+CGREG:", &r.PS, &r.HavePS},
		{"AT+CEREG?", "+CEREG:", &r.EPS, &r.HaveEPS},
	} {
		info, err := s.Command(ctx, q.cmd)
		if refused(err) {
			lastRefusal = cause(err)
			continue
		}
		if err != nil {
			return r, err
		}
		stat, err := parseRegStat(info, q.prefix)
		if err != nil {
			return r, &OpError{Op: q.cmd, Err: err}
		}
		*q.stat, *q.have = stat, true
	}
	if !r.HaveCS && !r.HavePS && !r.HaveEPS {
		return r, &OpError{Op: "AT+CREG?, AT+CGREG?, AT+CEREG?", Err: lastRefusal}
	}
	return r, nil
}

// parseRegStat finds <stat> in the reply to a registration query
// (27.007 §7.2 +CREG, §10.1.20 +CGREG, §10.1.22 +CEREG). The read command
// answers "+CREG: <n>,<stat>[,[<lac>],[<ci>][,<AcT>[,<cause_type>,
// <reject_cause>]]]"; an unsolicited "+CREG: <stat>[,[<lac>],[<ci>]
// [,<AcT>]]" may arrive during the query and land among the reply's lines.
// The two share the prefix, so a line is taken as the read form when its
// first field can be <n> (0 to 5), its second is a number, and its third,
// if any, is a quoted area code or empty: the unsolicited form's second and
// third fields are <lac> and <ci>, which some modules send as bare digits
// ("+CREG: 1,1234,5678"). A second field is never a lone <lac>: the
// unsolicited form gives <lac> and <ci> together or not at all. Every other
// line is the unsolicited form, whose first field is <stat>.
//
// The read form wins; without one the last unsolicited line (the newest
// state) is used. A <stat> beyond 11 (a later release's, or a module's own)
// is RegUnknown, not an error.
func parseRegStat(info []string, prefix string) (RegStat, error) {
	urcStat := RegStat(-1)
	found := false
	for _, line := range info {
		rest, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		found = true
		f := splitFields(rest)
		if stat, ok := readFormStat(f); ok {
			return stat, nil
		}
		if stat, ok := regNumber(f[0]); ok {
			urcStat = regStatOf(stat)
		}
	}
	if urcStat >= 0 {
		return urcStat, nil
	}
	if found {
		return 0, fmt.Errorf("cannot parse %s reply %q", prefix, info)
	}
	return 0, fmt.Errorf("no %s line in reply %q", prefix, info)
}

// readFormStat returns <stat> when the fields f are those of the read
// command's reply, "<n>,<stat>[,…]" (see parseRegStat).
func readFormStat(f []string) (RegStat, bool) {
	if len(f) < 2 {
		return 0, false
	}
	n, ok := regNumber(f[0])
	if !ok || n > 5 {
		return 0, false
	}
	stat, ok := regNumber(f[1])
	if !ok {
		return 0, false
	}
	if len(f) >= 3 && f[2] != "" && !strings.HasPrefix(f[2], `"`) {
		return 0, false // "<stat>,<lac>,<ci>" with bare digits
	}
	return regStatOf(stat), true
}

// regNumber reads a field that is all decimal digits; signs and blanks
// inside make it something else.
func regNumber(s string) (int, bool) {
	if len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

func regStatOf(n int) RegStat {
	if n > int(maxRegStat) {
		return RegUnknown
	}
	return RegStat(n)
}

// Operator asks AT+COPS? for the operator the module is registered with
// and returns it in the format the module is set to (long name "NTT DOCOMO"
// by default; AT+COPS=3,2 selects the numeric "44010"). It returns "" when
// the module is not registered.
func (s *Session) Operator(ctx context.Context) (string, error) {
	const cmd = "AT+COPS?"
	info, err := s.Command(ctx, cmd)
	if err != nil {
		return "", err
	}
	op, err := parseCOPS(info)
	if err != nil {
		return "", &OpError{Op: cmd, Err: err}
	}
	return op, nil
}

// parseCOPS reads "+COPS: <mode>[,<format>,<oper>[,<AcT>]]".
func parseCOPS(info []string) (string, error) {
	line, f, err := findReply(info, "+COPS:")
	if err != nil {
		return "", err
	}
	if _, err := strconv.Atoi(f[0]); err != nil {
		return "", fmt.Errorf("cannot parse %q: mode is not a number", line)
	}
	if len(f) < 3 {
		return "", nil
	}
	return unquote(f[2]), nil
}

// findReply returns the first line of info that starts with prefix, and
// its fields.
func findReply(info []string, prefix string) (line string, fields []string, err error) {
	for _, line := range info {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			return line, splitFields(rest), nil
		}
	}
	return "", nil, fmt.Errorf("no %s line in reply %q", prefix, info)
}

// splitFields splits the parameters of an information line at commas
// outside double quotes and trims the blanks around each; quotes are kept.
func splitFields(s string) []string {
	var fields []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				fields = append(fields, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(fields, strings.TrimSpace(s[start:]))
}

// unquote removes the double quotes around an AT string parameter; 27.007
// strings have no escapes that matter here.
func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
