package modemsim

import (
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func mustModel(t *testing.T, name string) modem.Model {
	t.Helper()
	m, ok := modem.ByName(name)
	if !ok {
		t.Fatalf("modem.ByName(%q): no such model", name)
	}
	return m
}

var t0 = time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)

// ready are the conditions of a registered module with no faults.
var ready = conditions{now: t0, atreset: true}

// newTestEngine is a module of the model that has just powered on, with
// echo off unless echo is set.
func newTestEngine(t *testing.T, name string, echo bool) *engine {
	e := newEngine(mustModel(t, name), 0)
	e.powerOn(t0)
	e.echo = echo
	return e
}

// engineCase is one exchange with the engine: setup run first (replies
// ignored), then cmd under cond, whose reply (echo off) must be want.
type engineCase struct {
	model string
	setup []string
	cond  conditions
	cmd   string
	want  string
}

func runEngineCases(t *testing.T, cases []engineCase) {
	t.Helper()
	for _, tt := range cases {
		e := newTestEngine(t, tt.model, false)
		for _, c := range tt.setup {
			e.exec(c, ready)
		}
		if got := string(e.exec(tt.cmd, tt.cond).out); got != tt.want {
			t.Errorf("%s, %+v, after %q: exec(%q) = %q, want %q", tt.model, tt.cond, tt.setup, tt.cmd, got, tt.want)
		}
	}
}

func TestEngineReplies(t *testing.T) {
	tests := []engineCase{
		{"LISA-U200", nil, ready, "AT", "\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "at", "\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CGMM", "\r\nLISA-U200\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CGMI", "\r\nu-blox\r\n\r\nOK\r\n"},
		{"AMM570", nil, ready, "ATI", "\r\nAMTelecom AMM570\r\nRevision: modemsim 1.0\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CSQ", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+FOO", "\r\nERROR\r\n"},
		{"LISA-U200", nil, ready, "ATE0V1", "\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT E1 V1", "\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CGMM;+CGMI", "\r\nLISA-U200\r\nu-blox\r\n\r\nOK\r\n"},
		{"LISA-U200", []string{"ATV0"}, ready, "AT", "0\r"},
		{"LISA-U200", []string{"ATQ1"}, ready, "AT+CGMM", "\r\nLISA-U200\r\n"},
		{"LISA-U200", nil, ready, "~}#junk", ""},
		// Registration.
		{"LISA-U200", nil, ready, "AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CGREG?", "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, ready, "AT+CEREG?", "\r\nERROR\r\n"},
		{"AMM570", nil, ready, "AT+CEREG?", "\r\n+CEREG: 0,1\r\n\r\nOK\r\n"},
		{"AMM570", []string{"AT+CEREG=2"}, ready, "AT+CEREG?", "\r\n+CEREG: 2,1,\"1A2B\",\"0001C3D4\",7\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, conditions{now: t0, net: netDenied}, "AT+CREG?", "\r\n+CREG: 0,3\r\n\r\nOK\r\n"},
		{"LISA-U200", []string{"AT+COPS=2"}, ready, "AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
		{"LISA-U200", []string{"AT+CFUN=4"}, ready, "AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
		// Operator and radio.
		{"LISA-U200", nil, ready, "AT+COPS?", "\r\n+COPS: 0,0,\"NTT DOCOMO\",2\r\n\r\nOK\r\n"},
		{"AMM570", []string{`AT+COPS=1,2,"44020"`}, ready, "AT+COPS?", "\r\n+COPS: 1,2,\"44020\",7\r\n\r\nOK\r\n"},
		{"AMM570", nil, ready, "AT+COPS=1,2", "\r\nERROR\r\n"},
		{"LISA-U200", nil, ready, "AT+URAT=1,2", "\r\nERROR\r\n"}, // only while deregistered
		{"LISA-U200", []string{"AT+COPS=2"}, ready, "AT+URAT=2", "\r\nOK\r\n"},
		{"LISA-U200", []string{"AT+COPS=2", "AT+URAT=2", "AT+COPS=0"}, ready, "AT+URAT?", "\r\n+URAT: 2\r\n\r\nOK\r\n"},
		{"AMM570", []string{"AT+COPS=2"}, ready, "AT+URAT=2", "\r\nERROR\r\n"},
		// PDP contexts.
		{"LISA-U200", []string{`AT+CGDCONT=1,"IP","CHAP:dream.jp"`}, ready, "AT+CGDCONT?",
			"\r\n+CGDCONT: 1,\"IP\",\"CHAP:dream.jp\",\"0.0.0.0\",0,0\r\n\r\nOK\r\n"},
		{"LISA-U200", []string{`AT+CGDCONT=1,"IP","a"`, "AT+CGDCONT=1"}, ready, "AT+CGDCONT?", "\r\nOK\r\n"},
		{"LISA-U200", nil, ready, `AT+CGDCONT=1,"X25","a"`, "\r\nERROR\r\n"},
		{"LISA-U200", nil, ready, `AT+CGDCONT=1,"IP","unterminated`, "\r\nERROR\r\n"},
		// Dial.
		{"LISA-U200", nil, ready, "ATDT*99***1#", "\r\nCONNECT 460800\r\n"},
		{"AMM570", nil, ready, "ATD*99#", "\r\nCONNECT 115200\r\n"},
		{"LISA-U200", nil, ready, "ATD0123456789", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", nil, conditions{now: t0, nocarrier: true}, "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", nil, conditions{now: t0, net: netDenied}, "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", []string{"ATV0"}, ready, "ATDT*99***1#", "1\r"},
		{"LISA-U200", nil, ready, "ATO", "\r\nNO CARRIER\r\n"},
		// Reset commands.
		{"LISA-U200", nil, ready, "AT+CFUN=16", "\r\nOK\r\n"},
		{"LISA-U200", nil, conditions{now: t0}, "AT+CFUN=16", "\r\nERROR\r\n"}, // atreset off
		{"LN940A", nil, ready, "AT+CFUN=16", "\r\nERROR\r\n"},
		{"LN940A", nil, ready, "AT+CFUN=15", "\r\nOK\r\n"},
		{"AMM570", nil, ready, "AT+CFUN=1,1", "\r\nERROR\r\n"},
	}
	runEngineCases(t, tests)
}

func TestEngineEcho(t *testing.T) {
	e := newEngine(mustModel(t, "LISA-U200"), 0)
	e.powerOn(t0)
	steps := []struct{ cmd, want string }{
		{"ATZ", "ATZ\r\r\nOK\r\n"}, // echo on by default
		{"ATE0", "ATE0\r\r\nOK\r\n"},
		{"AT", "\r\nOK\r\n"},
		{"ATZ", "\r\nOK\r\n"}, // the stored profile still has echo on
		{"AT", "AT\r\r\nOK\r\n"},
	}
	for _, s := range steps {
		if got := string(e.exec(s.cmd, ready).out); got != s.want {
			t.Errorf("exec(%q) = %q, want %q", s.cmd, got, s.want)
		}
	}
	e.exec("ATE0", ready)
	e.exec("AT&W", ready)
	e.powerOn(t0)
	if got := string(e.exec("AT", ready).out); got != "\r\nOK\r\n" {
		t.Errorf("after ATE0, AT&W and a restart: exec(AT) = %q, want no echo", got)
	}
}

func TestEngineActions(t *testing.T) {
	e := newTestEngine(t, "LISA-U200", false)
	if r := e.exec("AT+CFUN=16", ready); r.action != actReset {
		t.Errorf("exec(AT+CFUN=16).action = %v, want actReset", r.action)
	}
	r := e.exec("ATDT*99***1#", ready)
	if r.action != actConnect || !r.dialed {
		t.Errorf("exec(ATDT*99***1#) = action %v, dialed %v; want actConnect, true", r.action, r.dialed)
	}
	if r := e.exec("ATDT*99***1#", conditions{now: t0, nocarrier: true}); r.action != actNone || !r.dialed {
		t.Errorf("exec(ATDT*99***1#) with nocarrier = action %v, dialed %v; want actNone, true", r.action, r.dialed)
	}
}

func TestEngineRegistrationDelay(t *testing.T) {
	e := newEngine(mustModel(t, "AMM570"), 2*time.Second)
	e.powerOn(t0)
	for _, tt := range []struct {
		after time.Duration
		want  string
	}{
		{0, "\r\n+CGREG: 0,2\r\n\r\nOK\r\n"},
		{1999 * time.Millisecond, "\r\n+CGREG: 0,2\r\n\r\nOK\r\n"},
		{2 * time.Second, "\r\n+CGREG: 0,1\r\n\r\nOK\r\n"},
	} {
		e.echo = false
		if got := string(e.exec("AT+CGREG?", conditions{now: t0.Add(tt.after)}).out); got != tt.want {
			t.Errorf("%v after power-on: exec(AT+CGREG?) = %q, want %q", tt.after, got, tt.want)
		}
	}
	if got := string(e.exec("ATD*99#", conditions{now: t0.Add(time.Second)}).out); got != "\r\nNO CARRIER\r\n" {
		t.Errorf("dial before registration: exec(ATD*99#) = %q, want NO CARRIER", got)
	}
}

func TestEngineFlashWrites(t *testing.T) {
	cmds := []string{
		`AT+CGDCONT=1,"IP","iijmio.jp"`, // writes
		`AT+COPS=1,2,"44020"`,           // writes: manual with a PLMN
		"AT+COPS=0",                     // does not
		"AT&W",                          // writes
		"AT+CSQ", "AT+CREG?",            // do not
		`AT+CGDCONT=1,"IP","x`, // refused: does not
	}
	for _, tt := range []struct {
		model      string
		flash, nvm int
	}{
		{"AMM570", 3, 3},
		{"AMP520", 3, 3},
		{"LISA-U200", 0, 3},
		{"LN940A", 0, 3},
	} {
		e := newTestEngine(t, tt.model, false)
		flash, nvm := 0, 0
		for _, c := range cmds {
			r := e.exec(c, ready)
			flash += r.flash
			nvm += r.nvm
		}
		if flash != tt.flash || nvm != tt.nvm {
			t.Errorf("%s: exec(%q) = %d flash writes, %d NVM writes; want %d, %d", tt.model, cmds, flash, nvm, tt.flash, tt.nvm)
		}
	}
}

func TestEnginePowerOnKeepsFlash(t *testing.T) {
	for _, tt := range []struct {
		model string
		want  string
	}{
		{"AMM570", "\r\n+CGDCONT: 1,\"IP\",\"a\",\"0.0.0.0\",0,0\r\n\r\nOK\r\n"}, // StoresInFlash
		{"LISA-U200", "\r\nOK\r\n"},
	} {
		e := newTestEngine(t, tt.model, false)
		e.exec(`AT+CGDCONT=1,"IP","a"`, ready)
		e.powerOn(t0)
		e.echo = false
		if got := string(e.exec("AT+CGDCONT?", ready).out); got != tt.want {
			t.Errorf("%s after a restart: exec(AT+CGDCONT?) = %q, want %q", tt.model, got, tt.want)
		}
	}
}

// The SIM knob: AT+CPIN? says what the SIM waits for, and a module without
// a usable SIM does not register, dial, or take a PDP context.
func TestEngineSIM(t *testing.T) {
	absent := conditions{now: t0, sim: simAbsent, atreset: true}
	pin := conditions{now: t0, sim: simPIN, atreset: true}
	puk := conditions{now: t0, sim: simPUK, atreset: true}
	tests := []engineCase{
		{"LISA-U200", nil, ready, "AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, pin, "AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, puk, "AT+CPIN?", "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n"},
		// No SIM: the error as AT+CMEE asks (0 is the default).
		{"LISA-U200", nil, absent, "AT+CPIN?", "\r\nERROR\r\n"},
		{"LISA-U200", []string{"AT+CMEE=1"}, absent, "AT+CPIN?", "\r\n+CME ERROR: 10\r\n"},
		{"LISA-U200", []string{"AT+CMEE=2"}, absent, "AT+CPIN?", "\r\n+CME ERROR: SIM not inserted\r\n"},
		{"LISA-U200", []string{"AT+CMEE=1", "ATV0"}, absent, "AT+CPIN?", "+CME ERROR: 10\r"},
		{"LISA-U200", []string{"AT+CMEE=1"}, absent, "AT+CPIN?;+CGMM", "\r\n+CME ERROR: 10\r\n"}, // the rest of the line is not run
		// The simulator knows no PIN: entering one is refused.
		{"LISA-U200", []string{"AT+CMEE=1"}, pin, `AT+CPIN="1234"`, "\r\n+CME ERROR: 16\r\n"},
		{"LISA-U200", []string{"AT+CMEE=2"}, absent, `AT+CPIN="1234"`, "\r\n+CME ERROR: SIM not inserted\r\n"},
		// Not registered, not searching.
		{"LISA-U200", nil, absent, "AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, pin, "AT+CGREG?", "\r\n+CGREG: 0,0\r\n\r\nOK\r\n"},
		{"AMM570", nil, puk, "AT+CEREG?", "\r\n+CEREG: 0,0\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, absent, "AT+COPS?", "\r\n+COPS: 0\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, absent, "AT+CGATT?", "\r\n+CGATT: 0\r\n\r\nOK\r\n"},
		// The radio still hears the network.
		{"LISA-U200", nil, absent, "AT+CSQ", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, absent, "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", nil, pin, "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", []string{"AT+CMEE=1"}, absent, `AT+CGDCONT=1,"IP","a"`, "\r\n+CME ERROR: 10\r\n"},
		{"LISA-U200", []string{"AT+CMEE=2"}, pin, `AT+CGDCONT=1,"IP","a"`, "\r\n+CME ERROR: SIM PIN required\r\n"},
		{"LISA-U200", []string{"AT+CMEE=1"}, puk, `AT+CGDCONT=1,"IP","a"`, "\r\n+CME ERROR: 12\r\n"},
		{"LISA-U200", nil, absent, `AT+CGDCONT=1,"IP","a"`, "\r\nERROR\r\n"},
		{"LISA-U200", []string{"AT+CMEE=1"}, absent, "AT+CIMI", "\r\n+CME ERROR: 10\r\n"},
		{"LISA-U200", nil, ready, "AT+CIMI", "\r\n440101234567890\r\n\r\nOK\r\n"},
	}
	runEngineCases(t, tests)
	e := newTestEngine(t, "LISA-U200", false)
	if r := e.exec("ATDT*99***1#", absent); r.action != actNone || !r.dialed {
		t.Errorf("exec(ATDT*99***1#) without a SIM = action %v, dialed %v; want no call (actNone), dialed", r.action, r.dialed)
	}
	if r := e.exec(`AT+CGDCONT=1,"IP","a"`, absent); r.nvm != 0 {
		t.Errorf("a refused AT+CGDCONT= wrote NVM %d times, want 0", r.nvm)
	}
	if r := e.exec("AT+CPIN?;+CPIN?", pin); r.cpin != 2 {
		t.Errorf("exec(AT+CPIN?;+CPIN?).cpin = %d, want 2 queries", r.cpin)
	}
}

// The reg knob: what the network makes of the module's registration, in
// all three domains.
func TestEngineNetwork(t *testing.T) {
	at := func(n network) conditions { return conditions{now: t0, net: n, atreset: true} }
	tests := []engineCase{
		{"AMM570", nil, at(netHome), "AT+CREG?;+CGREG?;+CEREG?", "\r\n+CREG: 0,1\r\n+CGREG: 0,1\r\n+CEREG: 0,1\r\n\r\nOK\r\n"},
		{"AMM570", nil, at(netRoaming), "AT+CREG?;+CGREG?;+CEREG?", "\r\n+CREG: 0,5\r\n+CGREG: 0,5\r\n+CEREG: 0,5\r\n\r\nOK\r\n"},
		{"AMM570", nil, at(netDenied), "AT+CREG?;+CGREG?;+CEREG?", "\r\n+CREG: 0,3\r\n+CGREG: 0,3\r\n+CEREG: 0,3\r\n\r\nOK\r\n"},
		{"AMM570", nil, at(netSearching), "AT+CREG?;+CGREG?;+CEREG?", "\r\n+CREG: 0,2\r\n+CGREG: 0,2\r\n+CEREG: 0,2\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, at(netRoaming), "AT+CGREG?", "\r\n+CGREG: 0,5\r\n\r\nOK\r\n"},
		{"AMM570", []string{"AT+CEREG=2"}, at(netRoaming), "AT+CEREG?", "\r\n+CEREG: 2,5,\"1A2B\",\"0001C3D4\",7\r\n\r\nOK\r\n"},
		{"AMM570", []string{"AT+CEREG=2"}, at(netDenied), "AT+CEREG?", "\r\n+CEREG: 2,3\r\n\r\nOK\r\n"},
		// Roaming is registered: a call, on the visited network.
		{"LISA-U200", nil, at(netRoaming), "ATDT*99***1#", "\r\nCONNECT 460800\r\n"},
		{"LISA-U200", nil, at(netRoaming), "AT+CGATT?", "\r\n+CGATT: 1\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, at(netRoaming), "AT+COPS?", "\r\n+COPS: 0,0,\"SoftBank\",2\r\n\r\nOK\r\n"},
		{"LISA-U200", []string{"AT+COPS=3,2"}, at(netRoaming), "AT+COPS?", "\r\n+COPS: 0,2,\"44020\",2\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, at(netDenied), "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", nil, at(netSearching), "ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"LISA-U200", nil, at(netSearching), "AT+COPS?", "\r\n+COPS: 0\r\n\r\nOK\r\n"},
		// A timed search: 2 until it ends, then home.
		{"LISA-U200", nil, conditions{now: t0, searching: t0.Add(time.Second)}, "AT+CREG?", "\r\n+CREG: 0,2\r\n\r\nOK\r\n"},
		{"LISA-U200", nil, conditions{now: t0.Add(time.Second), searching: t0.Add(time.Second)}, "AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"},
		// Deregistered or radio off is 0, whatever the network says.
		{"LISA-U200", []string{"AT+COPS=2"}, at(netDenied), "AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
	}
	runEngineCases(t, tests)
}
