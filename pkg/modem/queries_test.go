package modem_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

const errorReply = "\r\nERROR\r\n"

func TestIdentify(t *testing.T) {
	tests := []struct {
		name    string
		script  []step
		want    modem.Identity
		wantErr string
	}{
		{
			name: "u-blox: ATI says it all",
			script: []step{{expect: "ATI", reply: ok("Manufacturer: u-blox", "Model: LISA-U200",
				"Revision: 22.40", "SVN: 01", "IMEI: 004999010640000")}},
			want: modem.Identity{Manufacturer: "u-blox", Model: "LISA-U200", Revision: "22.40", IMEI: "004999010640000"},
		},
		{
			name: "unlabelled ATI: the rest from AT+CGMI and AT+CGMM",
			script: []step{
				{expect: "ATI", reply: ok("Quectel", "EC25", "Revision: EC25EFAR06A06M4G")},
				{expect: "AT+CGMI", reply: ok("Quectel")},
				{expect: "AT+CGMM", reply: ok("EC25")},
				{expect: "AT+CGSN", reply: ok("867962041234567")},
			},
			want: modem.Identity{Manufacturer: "Quectel", Model: "EC25", Revision: "EC25EFAR06A06M4G", IMEI: "867962041234567"},
		},
		{
			name: "ATI and AT+CGMM refused, prefixed and quoted replies",
			script: []step{
				{expect: "ATI", reply: errorReply},
				{expect: "AT+CGMI", reply: ok(`+CGMI: "AMTelecom"`)},
				{expect: "AT+CGMM", reply: "\r\n+CME ERROR: 4\r\n"},
				{expect: "AT+CGMR", reply: ok("+CGMR: AMP520_V1.0.3")},
				{expect: "AT+CGSN", reply: ok(`+CGSN: "358000001234567"`)},
			},
			want: modem.Identity{Manufacturer: "AMTelecom", Revision: "AMP520_V1.0.3", IMEI: "358000001234567"},
		},
		{
			name: "everything refused",
			script: []step{
				{expect: "ATI", reply: errorReply},
				{expect: "AT+CGMI", reply: errorReply},
				{expect: "AT+CGMM", reply: errorReply},
				{expect: "AT+CGMR", reply: errorReply},
				{expect: "AT+CGSN", reply: errorReply},
			},
			wantErr: "modem: identify: module gave no identification: ERROR",
		},
		{
			name: "a serial number that is no IMEI is left out",
			script: []step{
				{expect: "ATI", reply: ok("Manufacturer: e2e", "Model: X1", "Revision: 1", "IMEI: unknown")},
				{expect: "AT+CGSN", reply: ok("SN 12345")},
			},
			want: modem.Identity{Manufacturer: "e2e", Model: "X1", Revision: "1"},
		},
		{
			name:    "no answer",
			script:  []step{{expect: "ATI"}},
			wantErr: "modem: ATI: timed out",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, true, tt.script)
			got, err := s.Identify(shortWhenSilent(t, tt.script))
			if got != tt.want || errText(err) != tt.wantErr {
				t.Errorf("Identify() = %+v, %q, want %+v, %q", got, errText(err), tt.want, tt.wantErr)
			}
		})
	}
}

// shortWhenSilent gives a short deadline to a script whose last command gets
// no reply, and none to the others.
func shortWhenSilent(t *testing.T, script []step) context.Context {
	if last := script[len(script)-1]; last.expect != "" && last.reply == "" {
		return shortCtx(t)
	}
	return context.Background()
}

func TestSignal(t *testing.T) {
	tests := []struct {
		reply   string
		want    modem.Signal
		wantDBm string
		wantErr string
	}{
		{reply: ok("+CSQ: 17,99"), want: modem.Signal{RSSI: 17, BER: 99}, wantDBm: "-79 dBm"},
		{reply: ok("+CSQ: 0,0"), want: modem.Signal{RSSI: 0, BER: 0}, wantDBm: "-113 dBm"},
		{reply: ok("+CSQ: 31,3"), want: modem.Signal{RSSI: 31, BER: 3}, wantDBm: "-51 dBm"},
		{reply: ok("+CSQ: 99,99"), want: modem.Signal{RSSI: 99, BER: 99}, wantDBm: "unknown"},
		{reply: ok("+CSQ: x,99"), wantErr: `modem: AT+CSQ: cannot parse "+CSQ: x,99": fields are not numbers`},
		{reply: ok(), wantErr: `modem: AT+CSQ: no +CSQ: line in reply []`},
		{reply: errorReply, wantErr: "modem: AT+CSQ: ERROR"},
	}
	for _, tt := range tests {
		s := newSession(t, false, []step{{expect: "AT+CSQ", reply: tt.reply}})
		got, err := s.Signal(context.Background())
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("reply %q: Signal() = %+v, %q, want %+v, %q", tt.reply, got, errText(err), tt.want, tt.wantErr)
		}
		if err != nil {
			continue
		}
		if dbm := showDBm(got); dbm != tt.wantDBm {
			t.Errorf("%+v.DBm() = %s, want %s", got, dbm, tt.wantDBm)
		}
	}
}

func showDBm(s modem.Signal) string {
	dbm, ok := s.DBm()
	if !ok {
		return "unknown"
	}
	return fmt.Sprintf("%d dBm", dbm)
}

func TestRegistration(t *testing.T) {
	tests := []struct {
		name           string
		script         []step
		want           modem.Registration
		wantRegistered bool
		wantErr        string
	}{
		{
			name: "LISA-U200: 3G only, roaming in the PS domain",
			script: []step{
				{expect: "AT+CREG?", reply: ok("+CREG: 0,1")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,5")},
				{expect: "AT+CEREG?", reply: errorReply},
			},
			want:           modem.Registration{CS: 1, PS: 5, HaveCS: true, HavePS: true},
			wantRegistered: true,
		},
		{
			name: "LTE module with location info",
			script: []step{
				{expect: "AT+CREG?", reply: ok(`+CREG: 2,1,"00C3","0010A1B2",7`)},
				{expect: "AT+CGREG?", reply: ok(`+CGREG: 2,4`)},
				{expect: "AT+CEREG?", reply: ok(`+CEREG: 2,1,"1A2B","01A2B3C4",7`)},
			},
			want:           modem.Registration{CS: 1, PS: 4, EPS: 1, HaveCS: true, HavePS: true, HaveEPS: true},
			wantRegistered: true,
		},
		{
			name: "searching",
			script: []step{
				{expect: "AT+CREG?", reply: ok("+CREG: 0,2")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,2")},
				{expect: "AT+CEREG?", reply: ok("+CEREG: 0,0")},
			},
			want: modem.Registration{CS: 2, PS: 2, EPS: 0, HaveCS: true, HavePS: true, HaveEPS: true},
		},
		{
			name: "denied, with the unsolicited form mixed into the reply",
			script: []step{
				{expect: "AT+CREG?", reply: ok("+CREG: 2", "+CREG: 1,3")},
				{expect: "AT+CGREG?", reply: ok(`+CGREG: 1,"00C3","0010A1B2"`, "+CGREG: 2,3")},
				{expect: "AT+CEREG?", reply: errorReply},
			},
			want: modem.Registration{CS: 3, PS: 3, HaveCS: true, HavePS: true},
		},
		{
			name: "only the unsolicited form",
			script: []step{
				{expect: "AT+CREG?", reply: ok("+CREG: 5")},
				{expect: "AT+CGREG?", reply: errorReply},
				{expect: "AT+CEREG?", reply: errorReply},
			},
			want:           modem.Registration{CS: 5, HaveCS: true},
			wantRegistered: true,
		},
		{
			name: "no SIM",
			script: []step{
				{expect: "AT+CREG?", reply: "\r\n+CME ERROR: 10\r\n"},
				{expect: "AT+CGREG?", reply: "\r\n+CME ERROR: 10\r\n"},
				{expect: "AT+CEREG?", reply: "\r\n+CME ERROR: 10\r\n"},
			},
			wantErr: "modem: AT+CREG?, AT+CGREG?, AT+CEREG?: +CME ERROR: 10 (SIM not inserted)",
		},
		{
			name: "garbage",
			script: []step{
				{expect: "AT+CREG?", reply: ok("+CREG: x,y")},
			},
			want:    modem.Registration{},
			wantErr: `modem: AT+CREG?: cannot parse +CREG: reply ["+CREG: x,y"]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, true, tt.script)
			got, err := s.Registration(context.Background())
			if errText(err) != tt.wantErr {
				t.Fatalf("Registration() error = %q, want %q", errText(err), tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Registration() = %+v, want %+v", got, tt.want)
			}
			if got.Registered() != tt.wantRegistered {
				t.Errorf("%+v.Registered() = %v, want %v", got, got.Registered(), tt.wantRegistered)
			}
		})
	}
}

func TestRegistrationNoSIMIsCMEError(t *testing.T) {
	cme := "\r\n+CME ERROR: 10\r\n"
	s := newSession(t, false, []step{
		{expect: "AT+CREG?", reply: cme}, {expect: "AT+CGREG?", reply: cme}, {expect: "AT+CEREG?", reply: cme},
	})
	_, err := s.Registration(context.Background())
	var e *modem.CMEError
	if !errors.As(err, &e) || e.Code != 10 {
		t.Errorf("Registration() error = %v, want a *CMEError with code 10", err)
	}
}

func TestRegStatString(t *testing.T) {
	tests := []struct {
		stat modem.RegStat
		want string
	}{
		{modem.RegNotRegistered, "not registered"},
		{modem.RegHome, "registered, home"},
		{modem.RegSearching, "searching"},
		{modem.RegDenied, "denied"},
		{modem.RegUnknown, "unknown"},
		{modem.RegRoaming, "registered, roaming"},
		{42, "RegStat(42)"},
	}
	for _, tt := range tests {
		if got := tt.stat.String(); got != tt.want {
			t.Errorf("RegStat(%d).String() = %q, want %q", int(tt.stat), got, tt.want)
		}
	}
	r := modem.Registration{CS: 1, PS: 5, HaveCS: true, HavePS: true}
	if got, want := r.String(), "CREG registered, home; CGREG registered, roaming; CEREG none"; got != want {
		t.Errorf("%+v.String() = %q, want %q", r, got, want)
	}
}

func TestOperator(t *testing.T) {
	tests := []struct {
		reply   string
		want    string
		wantErr string
	}{
		{reply: ok(`+COPS: 0,0,"NTT DOCOMO",7`), want: "NTT DOCOMO"},
		{reply: ok(`+COPS: 1,2,"44010",2`), want: "44010"},
		{reply: ok(`+COPS: 0`), want: ""},
		{reply: ok(`+COPS: 2`), want: ""},
		{reply: ok(`+COPS: ,,`), wantErr: `modem: AT+COPS?: cannot parse "+COPS: ,,": mode is not a number`},
		{reply: "\r\n+CME ERROR: 30\r\n", wantErr: "modem: AT+COPS?: +CME ERROR: 30 (no network service)"},
	}
	for _, tt := range tests {
		s := newSession(t, false, []step{{expect: "AT+COPS?", reply: tt.reply}})
		got, err := s.Operator(context.Background())
		if got != tt.want || errText(err) != tt.wantErr {
			t.Errorf("reply %q: Operator() = %q, %q, want %q, %q", tt.reply, got, errText(err), tt.want, tt.wantErr)
		}
	}
}

// registrationOf runs Registration against a module that answers cmd (one
// of the three queries) with reply and refuses the other two, as a module
// does that knows only some of the domains.
func registrationOf(t *testing.T, cmd, reply string) (modem.Registration, error) {
	t.Helper()
	host, dce := line()
	done := serveFunc(dce, func(got string) string {
		if got == cmd {
			return reply
		}
		return errorReply
	})
	s := modem.NewSession(host)
	defer func() {
		s.Close()
		<-done
	}()
	return s.Registration(context.Background())
}

// TestRegistrationReplies feeds the read-command replies of real modules,
// with unsolicited lines of the same domain mixed in, through Registration
// and checks the state it finds (27.007 §7.2, §10.1.20, §10.1.22).
func TestRegistrationReplies(t *testing.T) {
	const (
		creg  = "AT+CREG?"
		cgreg = "AT+CGREG?"
		cereg = "AT+CEREG?"
	)
	tests := []struct {
		name  string
		cmd   string
		reply string
		want  modem.RegStat
	}{
		// The plain read form, <n>=0.
		{"u-blox LISA-U200 CREG home", creg, ok("+CREG: 0,1"), modem.RegHome},
		{"u-blox LISA-U200 CGREG roaming", cgreg, ok("+CGREG: 0,5"), modem.RegRoaming},
		{"Quectel EC25 CEREG home", cereg, ok("+CEREG: 0,1"), modem.RegHome},
		{"SIMCom SIM7600 CGREG searching", cgreg, ok("+CGREG: 0,2"), modem.RegSearching},
		{"Telit LE910 CEREG not registered", cereg, ok("+CEREG: 0,0"), modem.RegNotRegistered},
		{"no blank after the colon", creg, ok("+CREG:0,1"), modem.RegHome},

		// <n>=2: location and access technology follow, quoted hex codes.
		{"u-blox LISA-U200 CREG with location and AcT status", creg,
			ok(`+CREG: 2,1,"0F5A","0A3F41D2",2`), modem.RegHome},
		{"u-blox LISA-U200 CGREG with location", cgreg,
			ok(`+CGREG: 2,5,"0F5A","0A3F41D2",2`), modem.RegRoaming},
		{"Quectel EC25 CEREG with a 7-digit cell id", cereg,
			ok(`+CEREG: 2,1,"5A0F","1A2D302",7`), modem.RegHome},
		{"Sierra MC7455 CEREG roaming", cereg,
			ok(`+CEREG: 2,5,"1A2B","0A1B2C3D",7`), modem.RegRoaming},
		{"Huawei ME909 CREG with location", creg,
			ok(`+CREG: 2,1,"2F3A","01A2B3C4",7`), modem.RegHome},
		{"Telit LN940 CEREG with location", cereg,
			ok(`+CEREG: 2,1,"1A2B","0A1B2C3D",7`), modem.RegHome},
		{"SIMCom SIM7600 CREG with location, no AcT", creg,
			ok(`+CREG: 2,1,"2F3A","01A2B3C4"`), modem.RegHome},
		{"blanks after the commas", creg,
			ok(`+CREG: 2, 1, "2F3A", "01A2B3C4", 7`), modem.RegHome},
		{"empty location fields", cgreg, ok(`+CGREG: 2,2,,,`), modem.RegSearching},
		{"searching with no location yet", cereg, ok(`+CEREG: 2,2`), modem.RegSearching},

		// <n>=3 adds the reject cause, <n>=4 the PSM timers.
		{"CEREG with 7 fields: denied, EMM cause 15", cereg,
			ok(`+CEREG: 3,3,"1A2B","0A1B2C3D",7,0,15`), modem.RegDenied},
		{"CEREG with empty cause fields", cereg,
			ok(`+CEREG: 3,1,"1A2B","0A1B2C3D",7,,`), modem.RegHome},
		{"Quectel BG96 CEREG with PSM timers (NB-IoT)", cereg,
			ok(`+CEREG: 4,1,"0A3C","01C8F20B",9,,,"00000000","00111000"`), modem.RegHome},

		// Unsolicited lines among the reply: the read form wins.
		{"URC before the reply", creg, ok("+CREG: 2", "+CREG: 0,1"), modem.RegHome},
		{"URC after the reply", creg, ok("+CREG: 0,1", `+CREG: 5,"2F3A","01A2B3C4"`), modem.RegHome},
		{"URC with quoted location before the reply", cgreg,
			ok(`+CGREG: 1,"00C3","0010A1B2"`, "+CGREG: 2,3"), modem.RegDenied},
		{"URC with unquoted digits before the reply", creg,
			ok("+CREG: 1,1234,5678", "+CREG: 0,2"), modem.RegSearching},
		{"URC with unquoted digits after the reply", creg,
			ok("+CREG: 2,3", "+CREG: 1,1234,5678"), modem.RegDenied},
		{"URC with unquoted small digits", creg,
			ok("+CREG: 2,5,1234", "+CREG: 0,0"), modem.RegNotRegistered},
		{"URC of another domain goes to URCs", creg,
			"\r\n+CGREG: 5\r\n" + ok("+CREG: 0,3"), modem.RegDenied},

		// Only unsolicited lines: the last one is the state.
		{"only a URC", creg, ok("+CREG: 5"), modem.RegRoaming},
		{"only a URC with unquoted digits", creg, ok("+CREG: 1,1234,5678"), modem.RegHome},
		{"only a URC with unquoted digits and AcT", cereg, ok("+CEREG: 5,1234,56789012,7"), modem.RegRoaming},
		{"only a URC with quoted location", cgreg, ok(`+CGREG: 1,"2F3A","01A2B3C4",7`), modem.RegHome},
		{"only URCs: the last one", creg, ok("+CREG: 2", `+CREG: 1,"2F3A","01A2B3C4"`), modem.RegHome},

		// States 6 to 11 and beyond.
		{"SMS only, home", cereg, ok("+CEREG: 0,6"), modem.RegSMSOnlyHome},
		{"SMS only, roaming", cereg, ok("+CEREG: 0,7"), modem.RegSMSOnlyRoaming},
		{"emergency only", cereg, ok("+CEREG: 0,8"), modem.RegEmergencyOnly},
		{"CSFB not preferred, home", cereg, ok("+CEREG: 0,9"), modem.RegHomeNoCSFB},
		{"CSFB not preferred, roaming", cereg, ok(`+CEREG: 2,10,"1A2B","0A1B2C3D",7`), modem.RegRoamingNoCSFB},
		{"RLOS only", cereg, ok("+CEREG: 0,11"), modem.RegRLOSOnly},
		{"stat 12 is unknown", cereg, ok("+CEREG: 0,12"), modem.RegUnknown},
		{"stat 99 is unknown", creg, ok("+CREG: 0,99"), modem.RegUnknown},
		{"stat 12 with location is unknown", cereg, ok(`+CEREG: 2,12,"1A2B","0A1B2C3D",7`), modem.RegUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := registrationOf(t, tt.cmd, tt.reply)
			if err != nil {
				t.Fatalf("Registration() with %s answering %q: %v", tt.cmd, tt.reply, err)
			}
			got, have := map[string]modem.RegStat{creg: r.CS, cgreg: r.PS, cereg: r.EPS}[tt.cmd],
				map[string]bool{creg: r.HaveCS, cgreg: r.HavePS, cereg: r.HaveEPS}[tt.cmd]
			if !have || got != tt.want {
				t.Errorf("%s answering %q: state %v (reported %v), want %v", tt.cmd, tt.reply, got, have, tt.want)
			}
		})
	}
}

// A 3G module refuses AT+CEREG?; one without packet domain reports refuses
// AT+CGREG? too.
func TestRegistrationRefusedDomains(t *testing.T) {
	r, err := registrationOf(t, "AT+CREG?", ok(`+CREG: 2,1,"0F5A","0A3F41D2",2`))
	want := modem.Registration{CS: modem.RegHome, HaveCS: true}
	if err != nil || r != want {
		t.Errorf("Registration() = %+v, %v, want %+v, nil", r, err, want)
	}
	if got := r.Data(); got != modem.RegHome {
		t.Errorf("%+v.Data() = %v, want %v (CS, the only domain reported)", r, got, modem.RegHome)
	}
}

func TestRegStatRegistered(t *testing.T) {
	for stat := modem.RegStat(0); stat <= 12; stat++ {
		want := stat == 1 || stat == 5 || stat == 9 || stat == 10
		if got := stat.Registered(); got != want {
			t.Errorf("RegStat(%d) (%v).Registered() = %v, want %v", int(stat), stat, got, want)
		}
	}
	r := modem.Registration{EPS: modem.RegHomeNoCSFB, HaveEPS: true}
	if !r.Registered() {
		t.Errorf("%+v.Registered() = false, want true: CEREG 9 is registered", r)
	}
}

func TestRegistrationData(t *testing.T) {
	const (
		no     = modem.RegNotRegistered
		home   = modem.RegHome
		search = modem.RegSearching
		denied = modem.RegDenied
		unk    = modem.RegUnknown
		roam   = modem.RegRoaming
		smsO   = modem.RegSMSOnlyHome
	)
	tests := []struct {
		name string
		r    modem.Registration
		want modem.RegStat
	}{
		{"3G module: PS decides, not CS", modem.Registration{CS: home, PS: search, HaveCS: true, HavePS: true}, search},
		{"CS only", modem.Registration{CS: roam, HaveCS: true}, roam},
		{"CS only, denied", modem.Registration{CS: denied, HaveCS: true}, denied},
		{"nothing reported", modem.Registration{}, unk},
		{"LTE registered, PS not", modem.Registration{CS: no, PS: no, EPS: home, HaveCS: true, HavePS: true, HaveEPS: true}, home},
		{"PS registered, LTE not (3G fallback)", modem.Registration{PS: roam, EPS: unk, HavePS: true, HaveEPS: true}, roam},
		{"CSFB not preferred counts", modem.Registration{PS: search, EPS: modem.RegRoamingNoCSFB, HavePS: true, HaveEPS: true}, modem.RegRoamingNoCSFB},
		{"denied beats searching", modem.Registration{PS: search, EPS: denied, HavePS: true, HaveEPS: true}, denied},
		{"denied in PS beats searching in EPS", modem.Registration{PS: denied, EPS: search, HavePS: true, HaveEPS: true}, denied},
		{"searching beats not registered", modem.Registration{PS: no, EPS: search, HavePS: true, HaveEPS: true}, search},
		{"a known state beats unknown", modem.Registration{PS: no, EPS: unk, HavePS: true, HaveEPS: true}, no},
		{"SMS only is not data", modem.Registration{CS: home, EPS: smsO, HaveCS: true, HaveEPS: true}, smsO},
		{"EPS only", modem.Registration{EPS: search, HaveEPS: true}, search},
		{"CS registered does not make data registered", modem.Registration{CS: home, PS: no, HaveCS: true, HavePS: true}, no},
	}
	for _, tt := range tests {
		if got := tt.r.Data(); got != tt.want {
			t.Errorf("%s: %+v.Data() = %v, want %v", tt.name, tt.r, got, tt.want)
		}
	}
}
