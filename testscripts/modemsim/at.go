package modemsim

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// Identity and network of every simulated module.
const (
	revision  = "modemsim 1.0"
	imei      = "356938035643809"
	imsi      = "440101234567890"
	homePLMN  = "44010"
	homeLong  = "NTT DOCOMO"
	homeShort = "DOCOMO"
	// The network a roaming module is registered on.
	visitedPLMN  = "44020"
	visitedLong  = "SoftBank"
	visitedShort = "SoftBank"
)

// threeG are the models without LTE; they answer ERROR to AT+CEREG.
// UM03-KO is a FOMA (3G) module.
var threeG = map[string]bool{"LISA-U200": true, "UM03-KO": true}

// numericCodes are the V0 forms of the final result codes.
var numericCodes = map[string]string{
	"OK": "0", "CONNECT": "1", "RING": "2", "NO CARRIER": "3", "ERROR": "4",
	"NO DIALTONE": "6", "BUSY": "7", "NO ANSWER": "8",
}

// profile is the part of the settings that AT&W stores and ATZ restores.
type profile struct {
	echo, verbose, quiet bool
}

// factory is the profile of a new module: echo on, like real modules.
var factory = profile{echo: true, verbose: true}

type pdpContext struct {
	typ, apn string
}

// conditions are the facts outside the command interpreter that a command
// depends on: the time and the fault knobs.
type conditions struct {
	now       time.Time
	sim       simState
	net       network
	searching time.Time // the network lets the module search until then
	nocarrier bool      // every dial fails
	atreset   bool      // the model's AT reset command works
}

// simState is the SIM card as AT+CPIN? reports it (27.007 §8.3).
type simState int

const (
	simReady simState = iota
	simAbsent
	simPIN // waits for its PIN
	simPUK // blocked: waits for its PUK
)

var simNames = [...]string{simReady: "ready", simAbsent: "absent", simPIN: "pin", simPUK: "puk"}

func (s simState) String() string { return simNames[s] }

// cme is the +CME ERROR a command that needs the SIM gets in this state
// (27.007 §9.2.1: 10 SIM not inserted, 11 SIM PIN required, 12 SIM PUK
// required).
func (s simState) cme() int {
	return [...]int{simAbsent: 10, simPIN: 11, simPUK: 12}[s]
}

// network is what the network makes of the module's registration.
type network int

const (
	netHome network = iota
	netRoaming
	netDenied
	netSearching // no network found, for as long as the knob says so
)

var networkNames = [...]string{netHome: "home", netRoaming: "roaming", netDenied: "denied", netSearching: "searching"}

func (n network) String() string { return networkNames[n] }

// cmeText are the verbose forms (AT+CMEE=2) of the +CME ERROR codes the
// module sends, as 27.007 §9.2.1 words them.
var cmeText = map[int]string{
	10: "SIM not inserted",
	11: "SIM PIN required",
	12: "SIM PUK required",
	16: "incorrect password",
}

// action is what the simulator must do after sending a reply.
type action int

const (
	actNone    action = iota
	actReset          // the module restarts
	actConnect        // the line goes to data mode
)

// reply is the outcome of one command line.
type reply struct {
	ignored bool   // not an AT command line: no echo, no answer
	out     []byte // everything the module sends, echo included
	info    []string
	final   string // "OK", "ERROR", "CONNECT 460800", "NO CARRIER"
	action  action
	dialed  bool
	flash   int // writes to the flash of a StoresInFlash module
	nvm     int // writes to non-volatile memory, on any module
	cpin    int // AT+CPIN? queries

	cme    int  // the +CME ERROR code of the command that failed,
	hasCME bool // when it failed with one rather than plain ERROR
}

// fail makes the command fail with +CME ERROR code.
func (r *reply) fail(code int) ([]string, bool) {
	r.cme, r.hasCME = code, true
	return nil, false
}

// engine interprets AT command lines for one model. It holds what the
// module remembers and does no I/O, so it is tested without a tty.
type engine struct {
	model    modem.Model
	regDelay time.Duration

	profile
	saved    profile
	contexts map[int]pdpContext
	copsMode int // 0 automatic, 1 manual, 2 deregistered, 4 manual/automatic
	copsFmt  int
	copsOper string
	urat     string
	cfun     int
	cmee     int
	regN     map[string]int // the <n> of +CREG, +CGREG, +CEREG
	sregs    map[int]int
	regAt    time.Time // registration completes at this time
}

func newEngine(m modem.Model, regDelay time.Duration) *engine {
	return &engine{model: m, regDelay: regDelay, saved: factory, contexts: map[int]pdpContext{}, urat: "1,2"}
}

// powerOn is the module starting: settings come from the stored profile
// and, on modules that keep them there, from flash; the radio starts to
// register.
func (e *engine) powerOn(now time.Time) {
	e.profile = e.saved
	e.cfun, e.cmee, e.copsFmt = 1, 0, 0
	e.regN = map[string]int{}
	e.sregs = map[int]int{0: 0, 3: 13, 4: 10, 5: 8, 7: 60}
	if !e.model.StoresInFlash {
		e.contexts = map[int]pdpContext{}
		e.copsMode, e.copsOper = 0, ""
	}
	if e.copsMode == 2 {
		e.copsMode = 0
	}
	e.register(now)
}

// register starts a registration that completes after regDelay.
func (e *engine) register(now time.Time) {
	e.regAt = now.Add(e.regDelay)
}

// regStat is the <stat> of +CREG and friends (27.007 §7.2): 0 not
// registered and not searching (radio off, deregistered, or no usable
// SIM), 1 registered (home), 2 searching, 3 denied, 5 registered
// (roaming).
func (e *engine) regStat(c conditions) int {
	switch {
	case e.cfun != 1 || e.copsMode == 2 || c.sim != simReady:
		return 0
	case c.net == netDenied:
		return 3
	case c.net == netSearching || c.now.Before(e.regAt) || c.now.Before(c.searching):
		return 2
	case c.net == netRoaming:
		return 5
	}
	return 1
}

// registered: a <stat> that carries data, home or roaming.
func registered(stat int) bool {
	return stat == 1 || stat == 5
}

// cmeResult is the final result code of an error with +CME ERROR code, as
// AT+CMEE asks (27.007 §9.1): plain ERROR (0), the number (1) or the text
// (2).
func (e *engine) cmeResult(code int) string {
	switch e.cmee {
	case 1:
		return fmt.Sprintf("+CME ERROR: %d", code)
	case 2:
		return "+CME ERROR: " + cmeText[code]
	}
	return "ERROR"
}

// act is the access technology of +COPS and +CxREG: 2 UTRAN, 7 E-UTRAN.
func (e *engine) act() int {
	if threeG[e.model.Name] {
		return 2
	}
	return 7
}

func (e *engine) flashWrite(r *reply) {
	r.nvm++
	if e.model.StoresInFlash {
		r.flash++
	}
}

// exec runs one command line (without its terminator) and returns what the
// module sends back. Lines that do not start with AT are ignored, as real
// modules ignore them.
func (e *engine) exec(line string, c conditions) reply {
	var r reply
	if len(line) < 2 || !strings.EqualFold(line[:2], "AT") {
		r.ignored = true
		return r
	}
	if e.echo {
		r.out = append(append(r.out, line...), '\r')
	}
	body := compact(line[2:])
	final := "OK"
	for i := 0; i < len(body) && final == "OK"; {
		var lines []string
		var res string
		i, lines, res = e.step(body, i, c, &r)
		r.info = append(r.info, lines...)
		if res != "" {
			final = res
		}
	}
	r.final = final
	r.out = append(r.out, e.format(r.info, final)...)
	return r
}

// format frames information lines and the final result code as V1
// (verbose) or V0 (numeric) asks, and leaves the code out under Q1.
func (e *engine) format(info []string, final string) string {
	var b strings.Builder
	if e.verbose {
		if len(info) > 0 {
			b.WriteString("\r\n" + strings.Join(info, "\r\n") + "\r\n")
		}
		if !e.quiet {
			b.WriteString("\r\n" + final + "\r\n")
		}
		return b.String()
	}
	for _, l := range info {
		b.WriteString(l + "\r\n")
	}
	if !e.quiet {
		if strings.HasPrefix(final, "CONNECT") {
			final = "CONNECT"
		}
		// +CME ERROR has no number; it keeps its text.
		if n, ok := numericCodes[final]; ok {
			final = n
		}
		b.WriteString(final + "\r")
	}
	return b.String()
}

// step runs the command at b[i:] and returns the index of the next one, the
// information lines, and a final result code other than OK, if any.
func (e *engine) step(b string, i int, c conditions, r *reply) (int, []string, string) {
	ch := upper(b[i])
	switch {
	case ch == ';':
		return i + 1, nil, ""
	case strings.IndexByte("+#^$%", ch) >= 0:
		j := endOfExtended(b, i)
		lines, ok := e.extended(b[i:j], c, r)
		if !ok && r.hasCME {
			r.hasCME = false
			return j, nil, e.cmeResult(r.cme)
		}
		if !ok {
			return j, nil, "ERROR"
		}
		return j, lines, ""
	case ch == 'D':
		return len(b), nil, e.dial(b[i+1:], c, r)
	case ch == 'S':
		reg, has, j := number(b, i+1)
		switch {
		case !has || j >= len(b):
			return len(b), nil, "ERROR"
		case b[j] == '?':
			return j + 1, []string{fmt.Sprintf("%03d", e.sregs[reg])}, ""
		case b[j] == '=':
			v, _, k := number(b, j+1)
			if v > 255 {
				return k, nil, "ERROR"
			}
			e.sregs[reg] = v
			return k, nil, ""
		}
		return len(b), nil, "ERROR"
	case ch == '&':
		if i+1 >= len(b) {
			return len(b), nil, "ERROR"
		}
		n, _, j := number(b, i+2)
		lines, res := e.basic("&"+string(upper(b[i+1])), n, r)
		return j, lines, res
	case ch >= 'A' && ch <= 'Z':
		n, _, j := number(b, i+1)
		lines, res := e.basic(string(ch), n, r)
		return j, lines, res
	}
	return len(b), nil, "ERROR"
}

// basic runs a basic-syntax command (E1, &W) with its number.
func (e *engine) basic(name string, n int, r *reply) ([]string, string) {
	flag := func(p *bool) string {
		if n > 1 {
			return "ERROR"
		}
		*p = n == 1
		return ""
	}
	switch name {
	case "E":
		return nil, flag(&e.echo)
	case "V":
		return nil, flag(&e.verbose)
	case "Q":
		return nil, flag(&e.quiet)
	case "Z":
		e.profile = e.saved
	case "I":
		return []string{e.model.Maker + " " + e.model.Name, "Revision: " + revision}, ""
	case "&F":
		e.profile = factory
	case "&W":
		e.saved = e.profile
		e.flashWrite(r)
	case "O":
		return nil, "NO CARRIER" // no call to return to
	case "H", "X", "L", "M", "&C", "&D", "&K", "&S":
	default:
		return nil, "ERROR"
	}
	return nil, ""
}

// dial answers ATD: the packet data call (*99…#) connects when the module
// is registered and no fault says otherwise; anything else fails.
func (e *engine) dial(s string, c conditions, r *reply) string {
	r.dialed = true
	num := strings.TrimLeft(strings.ToUpper(s), "TP")
	if !strings.HasPrefix(num, "*99") || !strings.HasSuffix(num, "#") {
		return "NO CARRIER"
	}
	if c.nocarrier || !registered(e.regStat(c)) {
		return "NO CARRIER"
	}
	r.action = actConnect
	if e.model.Speed > 0 {
		return fmt.Sprintf("CONNECT %d", e.model.Speed)
	}
	return "CONNECT"
}

// Forms of an extended-syntax command.
const (
	kindAction = iota // AT+CSQ
	kindRead          // AT+CREG?
	kindTest          // AT+COPS=?
	kindSet           // AT+CGDCONT=1,"IP","apn"
)

// extended runs an extended-syntax command (+CGDCONT=…, without the AT).
func (e *engine) extended(cmd string, c conditions, r *reply) ([]string, bool) {
	if rc := e.model.ResetCommand; rc != "" && len(rc) > 2 && strings.EqualFold(compact(rc[2:]), cmd) {
		if !c.atreset {
			return nil, false
		}
		r.action = actReset
		return nil, true
	}
	k := strings.IndexAny(cmd, "=?")
	if k < 0 {
		k = len(cmd)
	}
	name, rest := strings.ToUpper(cmd[:k]), cmd[k:]
	kind := kindSet
	switch {
	case rest == "":
		kind = kindAction
	case rest == "?":
		kind = kindRead
	case rest == "=?":
		kind = kindTest
	case rest[0] != '=':
		return nil, false
	}
	var args []string
	if kind == kindSet {
		var err error
		if args, err = splitArgs(rest[1:]); err != nil {
			return nil, false
		}
	}
	m := e.model
	switch name {
	case "+CGMI", "+GMI":
		return fixed(kind, m.Maker)
	case "+CGMM", "+GMM":
		return fixed(kind, m.Name)
	case "+CGMR", "+GMR":
		return fixed(kind, revision)
	case "+CGSN", "+GSN":
		return fixed(kind, imei)
	case "+CIMI":
		if c.sim != simReady && kind == kindAction {
			return r.fail(c.sim.cme()) // the IMSI is read from the SIM
		}
		return fixed(kind, imsi)
	case "+CPIN":
		return e.cpin(kind, c, r)
	case "+CSQ":
		switch kind {
		case kindAction:
			if e.cfun != 1 {
				return []string{"+CSQ: 99,99"}, true
			}
			return []string{"+CSQ: 17,99"}, true
		case kindTest:
			return []string{"+CSQ: (0-31,99),(0-7,99)"}, true
		}
	case "+CEREG":
		if threeG[m.Name] {
			return nil, false
		}
		return e.creg(name, kind, args, c)
	case "+CREG", "+CGREG":
		return e.creg(name, kind, args, c)
	case "+COPS":
		return e.cops(kind, args, c, r)
	case "+URAT":
		return e.setURAT(kind, args, r)
	case "+CFUN":
		switch kind {
		case kindRead:
			return []string{fmt.Sprintf("+CFUN: %d", e.cfun)}, true
		case kindTest:
			return []string{"+CFUN: (0,1,4),(0)"}, true
		case kindSet:
			fun, ok := intArg(args, 0, 0, 4)
			if !ok || fun == 2 || fun == 3 || len(args) > 1 {
				return nil, false // a reset other than the model's own
			}
			if fun == 1 && e.cfun != 1 {
				e.register(c.now)
			}
			e.cfun = fun
			return nil, true
		}
	case "+CGDCONT":
		if c.sim != simReady && kind == kindSet {
			return r.fail(c.sim.cme())
		}
		return e.cgdcont(kind, args, r)
	case "+CMEE":
		switch kind {
		case kindRead:
			return []string{fmt.Sprintf("+CMEE: %d", e.cmee)}, true
		case kindTest:
			return []string{"+CMEE: (0-2)"}, true
		case kindSet:
			n, ok := intArg(args, 0, 0, 2)
			if !ok || len(args) != 1 {
				return nil, false
			}
			e.cmee = n
			return nil, true
		}
	case "+CGATT":
		switch kind {
		case kindRead:
			att := 0
			if registered(e.regStat(c)) {
				att = 1
			}
			return []string{fmt.Sprintf("+CGATT: %d", att)}, true
		case kindTest:
			return []string{"+CGATT: (0-1)"}, true
		case kindSet:
			_, ok := intArg(args, 0, 0, 1)
			return nil, ok
		}
	case "+UAUTHREQ":
		// u-blox: the authentication of a context, kept in NVM.
		if !m.APNAuthPrefix {
			return nil, false
		}
		switch kind {
		case kindTest:
			return []string{`+UAUTHREQ: (1-16),(0-3),,`}, true
		case kindSet:
			_, ok1 := intArg(args, 0, 1, 16)
			_, ok2 := intArg(args, 1, 0, 3)
			if !ok1 || !ok2 {
				return nil, false
			}
			e.flashWrite(r)
			return nil, true
		}
	}
	return nil, false
}

// cpin answers +CPIN (27.007 §8.3): the read form tells whether the SIM
// waits for a code; without a SIM it fails with +CME ERROR 10. The
// simulator knows no PIN or PUK: entering one is refused while the SIM
// waits for it (the sim knob readies it).
func (e *engine) cpin(kind int, c conditions, r *reply) ([]string, bool) {
	switch kind {
	case kindRead:
		r.cpin++
		switch c.sim {
		case simAbsent:
			return r.fail(c.sim.cme())
		case simPIN:
			return []string{"+CPIN: SIM PIN"}, true
		case simPUK:
			return []string{"+CPIN: SIM PUK"}, true
		}
		return []string{"+CPIN: READY"}, true
	case kindSet:
		switch c.sim {
		case simAbsent:
			return r.fail(c.sim.cme())
		case simPIN, simPUK:
			return r.fail(16)
		}
		return nil, true
	case kindTest:
		return nil, true
	}
	return nil, false
}

// fixed answers an identity command: the value, or OK to the test form.
func fixed(kind int, value string) ([]string, bool) {
	switch kind {
	case kindAction:
		return []string{value}, true
	case kindTest:
		return nil, true
	}
	return nil, false
}

func (e *engine) creg(name string, kind int, args []string, c conditions) ([]string, bool) {
	switch kind {
	case kindRead:
		stat := e.regStat(c)
		n := e.regN[name]
		line := fmt.Sprintf("%s: %d,%d", name, n, stat)
		if n == 2 && registered(stat) {
			line += fmt.Sprintf(`,"1A2B","0001C3D4",%d`, e.act())
		}
		return []string{line}, true
	case kindTest:
		return []string{name + ": (0-2)"}, true
	case kindSet:
		n, ok := intArg(args, 0, 0, 2)
		if !ok || len(args) != 1 {
			return nil, false
		}
		e.regN[name] = n
		return nil, true
	}
	return nil, false
}

func (e *engine) cops(kind int, args []string, c conditions, r *reply) ([]string, bool) {
	switch kind {
	case kindRead:
		stat := e.regStat(c)
		if e.copsMode == 2 || !registered(stat) {
			return []string{fmt.Sprintf("+COPS: %d", e.copsMode)}, true
		}
		oper := e.copsOper
		switch {
		case oper != "":
		case stat == 5:
			oper = [...]string{visitedLong, visitedShort, visitedPLMN}[e.copsFmt]
		default:
			oper = [...]string{homeLong, homeShort, homePLMN}[e.copsFmt]
		}
		return []string{fmt.Sprintf(`+COPS: %d,%d,"%s",%d`, e.copsMode, e.copsFmt, oper, e.act())}, true
	case kindTest:
		return []string{fmt.Sprintf(`+COPS: (2,"%s","%s","%s",%d),,(0-4),(0-2)`, homeLong, homeShort, homePLMN, e.act())}, true
	case kindSet:
	default:
		return nil, false
	}
	mode, ok := intArg(args, 0, 0, 4)
	if !ok {
		return nil, false
	}
	format := e.copsFmt
	if len(args) > 1 && args[1] != "" {
		if format, ok = intArg(args, 1, 0, 2); !ok {
			return nil, false
		}
	}
	switch mode {
	case 0:
		if e.copsMode == 2 || e.copsMode == 1 || e.copsMode == 4 {
			e.register(c.now)
		}
		e.copsMode, e.copsOper, e.copsFmt = 0, "", format
	case 1, 4:
		if len(args) < 3 {
			return nil, false
		}
		oper, quoted := unquote(args[2])
		if !quoted || oper == "" {
			return nil, false
		}
		e.copsMode, e.copsFmt, e.copsOper = mode, format, oper
		e.register(c.now)
		e.flashWrite(r)
	case 2:
		e.copsMode = 2
	case 3:
		if len(args) < 2 {
			return nil, false
		}
		e.copsFmt = format
	}
	return nil, true
}

// setURAT: u-blox's radio access technology, stored in NVM, changed only
// while deregistered (AT+COPS=2).
func (e *engine) setURAT(kind int, args []string, r *reply) ([]string, bool) {
	if !knowsURAT(e.model) {
		return nil, false
	}
	switch kind {
	case kindRead:
		return []string{"+URAT: " + e.urat}, true
	case kindTest:
		return []string{"+URAT: (0-6),(0-6)"}, true
	case kindSet:
		if len(args) > 2 || e.copsMode != 2 {
			return nil, false
		}
		for i := range args {
			if _, ok := intArg(args, i, 0, 6); !ok {
				return nil, false
			}
		}
		e.urat = strings.Join(args, ",")
		e.flashWrite(r)
		return nil, true
	}
	return nil, false
}

// knowsURAT: the model's radio modes are selected with AT+URAT.
func knowsURAT(m modem.Model) bool {
	for _, cmds := range m.RadioModes {
		for _, c := range cmds {
			if strings.HasPrefix(strings.ToUpper(c), "AT+URAT") {
				return true
			}
		}
	}
	return false
}

func (e *engine) cgdcont(kind int, args []string, r *reply) ([]string, bool) {
	switch kind {
	case kindRead:
		var lines []string
		for _, cid := range slices.Sorted(maps.Keys(e.contexts)) {
			p := e.contexts[cid]
			lines = append(lines, fmt.Sprintf(`+CGDCONT: %d,"%s","%s","0.0.0.0",0,0`, cid, p.typ, p.apn))
		}
		return lines, true
	case kindTest:
		return []string{`+CGDCONT: (1-16),"IP",,,(0-2),(0-4)`, `+CGDCONT: (1-16),"IPV6",,,(0-2),(0-4)`, `+CGDCONT: (1-16),"IPV4V6",,,(0-2),(0-4)`}, true
	case kindSet:
	default:
		return nil, false
	}
	cid, ok := intArg(args, 0, 1, 16)
	if !ok {
		return nil, false
	}
	if len(args) == 1 {
		delete(e.contexts, cid)
		e.flashWrite(r)
		return nil, true
	}
	typ, quoted := unquote(args[1])
	switch strings.ToUpper(typ) {
	case "IP", "IPV6", "IPV4V6", "PPP":
	default:
		return nil, false
	}
	if !quoted {
		return nil, false
	}
	var apn string
	if len(args) > 2 && args[2] != "" {
		if apn, quoted = unquote(args[2]); !quoted {
			return nil, false
		}
	}
	e.contexts[cid] = pdpContext{typ: strings.ToUpper(typ), apn: apn}
	e.flashWrite(r)
	return nil, true
}

// compact removes the spaces outside quotes, which V.250 ignores.
func compact(s string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ' ' && !quoted:
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// endOfExtended is the index of the ';' that ends the extended command
// starting at b[i], or len(b).
func endOfExtended(b string, i int) int {
	quoted := false
	for ; i < len(b); i++ {
		switch {
		case b[i] == '"':
			quoted = !quoted
		case b[i] == ';' && !quoted:
			return i
		}
	}
	return i
}

// splitArgs splits the parameters of a set command at the commas outside
// quotes; the strings keep their quotes.
func splitArgs(s string) ([]string, error) {
	var args []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == ',' && !quoted:
			args = append(args, s[start:i])
			start = i + 1
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated string in %q", s)
	}
	return append(args, s[start:]), nil
}

func unquote(arg string) (string, bool) {
	if len(arg) >= 2 && arg[0] == '"' && arg[len(arg)-1] == '"' {
		return arg[1 : len(arg)-1], true
	}
	return arg, false
}

// intArg is the i-th parameter as a number in [lo, hi].
func intArg(args []string, i, lo, hi int) (int, bool) {
	if i >= len(args) {
		return 0, false
	}
	n, err := strconv.Atoi(args[i])
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// number reads the decimal digits at b[i:]: their value (0 when there are
// none), whether there were any, and the index after them.
func number(b string, i int) (int, bool, int) {
	j := i
	n := 0
	for j < len(b) && b[j] >= '0' && b[j] <= '9' && j-i < 6 {
		n = n*10 + int(b[j]-'0')
		j++
	}
	return n, j > i, j
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
