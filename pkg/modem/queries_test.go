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
			want: modem.Identity{Manufacturer: "u-blox", Model: "LISA-U200", Revision: "22.40"},
		},
		{
			name: "unlabelled ATI: the rest from AT+CGMI and AT+CGMM",
			script: []step{
				{expect: "ATI", reply: ok("Quectel", "EC25", "Revision: EC25EFAR06A06M4G")},
				{expect: "AT+CGMI", reply: ok("Quectel")},
				{expect: "AT+CGMM", reply: ok("EC25")},
			},
			want: modem.Identity{Manufacturer: "Quectel", Model: "EC25", Revision: "EC25EFAR06A06M4G"},
		},
		{
			name: "ATI and AT+CGMM refused, prefixed and quoted replies",
			script: []step{
				{expect: "ATI", reply: errorReply},
				{expect: "AT+CGMI", reply: ok(`+CGMI: "AMTelecom"`)},
				{expect: "AT+CGMM", reply: "\r\n+CME ERROR: 4\r\n"},
				{expect: "AT+CGMR", reply: ok("+CGMR: AMP520_V1.0.3")},
			},
			want: modem.Identity{Manufacturer: "AMTelecom", Revision: "AMP520_V1.0.3"},
		},
		{
			name: "everything refused",
			script: []step{
				{expect: "ATI", reply: errorReply},
				{expect: "AT+CGMI", reply: errorReply},
				{expect: "AT+CGMM", reply: errorReply},
				{expect: "AT+CGMR", reply: errorReply},
			},
			wantErr: "modem: identify: module gave no identification: ERROR",
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
