package modem_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func cmeReply(s string) string { return "\r\n+CME ERROR: " + s + "\r\n" }

func TestSIM(t *testing.T) {
	tests := []struct {
		name      string
		reply     string
		want      modem.SIMState
		wantWords string
		wantErr   string
	}{
		{"ready", ok("+CPIN: READY"), modem.SIMReady, "READY", ""},
		{"ready, no blank", ok("+CPIN:READY"), modem.SIMReady, "READY", ""},
		{"ready, quoted", ok(`+CPIN: "READY"`), modem.SIMReady, "READY", ""},
		{"PIN", ok("+CPIN: SIM PIN"), modem.SIMPIN, "SIM PIN", ""},
		{"PUK", ok("+CPIN: SIM PUK"), modem.SIMPUK, "SIM PUK", ""},
		{"PIN2 does not block the module", ok("+CPIN: SIM PIN2"), modem.SIMReady, "SIM PIN2", ""},
		{"PUK2 does not block the module", ok("+CPIN: SIM PUK2"), modem.SIMReady, "SIM PUK2", ""},
		{"phone locked to a SIM", ok("+CPIN: PH-SIM PIN"), modem.SIMPhoneLock, "PH-SIM PIN", ""},
		{"network personalisation", ok("+CPIN: PH-NET PIN"), modem.SIMPhoneLock, "PH-NET PIN", ""},
		{"SIMCom: not inserted", ok("+CPIN: NOT INSERTED"), modem.SIMAbsent, "NOT INSERTED", ""},
		{"SIMCom: not ready yet", ok("+CPIN: NOT READY"), modem.SIMBusy, "NOT READY", ""},
		{"an unknown code", ok("+CPIN: SIM FROZEN"), modem.SIMUnknown, "SIM FROZEN", ""},

		// Not ready: the module answers with an error.
		{"u-blox: no SIM, numeric", cmeReply("10"), modem.SIMAbsent, "+CME ERROR: 10 (SIM not inserted)", ""},
		{"Quectel: no SIM, verbose", cmeReply("SIM not inserted"), modem.SIMAbsent, "+CME ERROR: SIM not inserted", ""},
		{"PIN required, numeric", cmeReply("11"), modem.SIMPIN, "+CME ERROR: 11 (SIM PIN required)", ""},
		{"PIN required, verbose", cmeReply("SIM PIN required"), modem.SIMPIN, "+CME ERROR: SIM PIN required", ""},
		{"PUK required, numeric", cmeReply("12"), modem.SIMPUK, "+CME ERROR: 12 (SIM PUK required)", ""},
		{"PUK required, verbose", cmeReply("SIM PUK required"), modem.SIMPUK, "+CME ERROR: SIM PUK required", ""},
		{"SIM failure", cmeReply("13"), modem.SIMFailure, "+CME ERROR: 13 (SIM failure)", ""},
		{"SIM failure, verbose", cmeReply("SIM failure"), modem.SIMFailure, "+CME ERROR: SIM failure", ""},
		{"SIM busy", cmeReply("14"), modem.SIMBusy, "+CME ERROR: 14 (SIM busy)", ""},
		{"SIM busy, verbose", cmeReply("SIM busy"), modem.SIMBusy, "+CME ERROR: SIM busy", ""},
		{"SIM wrong", cmeReply("15"), modem.SIMFailure, "+CME ERROR: 15 (SIM wrong)", ""},
		{"SIM wrong, verbose", cmeReply("SIM wrong"), modem.SIMFailure, "+CME ERROR: SIM wrong", ""},
		{"PH-SIM PIN, numeric", cmeReply("5"), modem.SIMPhoneLock, "+CME ERROR: 5 (PH-SIM PIN required)", ""},

		// Refusals that name no SIM state.
		{"bare ERROR", errorReply, modem.SIMUnknown, "", "modem: AT+CPIN?: ERROR"},
		{"operation not allowed", cmeReply("3"), modem.SIMUnknown, "", "modem: AT+CPIN?: +CME ERROR: 3 (operation not allowed)"},
		{"no +CPIN: line", ok(), modem.SIMUnknown, "", "modem: AT+CPIN?: no +CPIN: line in reply []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, true, []step{{expect: "AT+CPIN?", reply: tt.reply}})
			got, words, err := s.SIM(context.Background())
			if got != tt.want || words != tt.wantWords || errText(err) != tt.wantErr {
				t.Errorf("reply %q: SIM() = %v, %q, %q, want %v, %q, %q",
					tt.reply, got, words, errText(err), tt.want, tt.wantWords, tt.wantErr)
			}
		})
	}
}

func TestSIMTimeout(t *testing.T) {
	s := newSession(t, false, []step{{expect: "AT+CPIN?"}})
	got, _, err := s.SIM(shortCtx(t))
	if got != modem.SIMUnknown || !errors.Is(err, modem.ErrTimeout) {
		t.Errorf("SIM() from a silent module = %v, %v, want SIMUnknown and a timeout", got, err)
	}
}

func TestSIMStateString(t *testing.T) {
	tests := []struct {
		st   modem.SIMState
		want string
	}{
		{modem.SIMReady, "ready"},
		{modem.SIMAbsent, "not inserted"},
		{modem.SIMPIN, "PIN required"},
		{modem.SIMPUK, "PUK required"},
		{modem.SIMBusy, "busy"},
		{modem.SIMFailure, "failure"},
		{modem.SIMUnknown, "state unknown"},
		{modem.SIMState(42), "SIMState(42)"},
	}
	for _, tt := range tests {
		if got := tt.st.String(); got != tt.want {
			t.Errorf("SIMState(%d).String() = %q, want %q", int(tt.st), got, tt.want)
		}
	}
}

func TestICCID(t *testing.T) {
	lisa, _ := modem.ByName("LISA-U200")
	none, _ := modem.ByName("LN940A") // no ICCID command in the table
	tests := []struct {
		name    string
		model   modem.Model
		script  []step
		want    string
		wantErr string
	}{
		{
			name:   "u-blox LISA-U200: the model's AT+CCID, 19 digits and the F filler",
			model:  lisa,
			script: []step{{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")}},
			want:   "8981100022152967705",
		},
		{
			name:   "20 digits",
			model:  lisa,
			script: []step{{expect: "AT+CCID", reply: ok("+CCID: 89490200000863940628")}},
			want:   "89490200000863940628",
		},
		{
			name:   "quoted, lower-case filler",
			model:  lisa,
			script: []step{{expect: "AT+CCID", reply: ok(`+CCID: "8981100022152967705f"`)}},
			want:   "8981100022152967705",
		},
		{
			name:   "SIMCom SIM800: a bare line of digits",
			model:  none,
			script: []step{{expect: "AT+CCID", reply: ok("89860117851014783481")}},
			want:   "89860117851014783481",
		},
		{
			name:  "AT+CCID refused: AT+ICCID, Sierra's ICCID: line",
			model: none,
			script: []step{
				{expect: "AT+CCID", reply: errorReply},
				{expect: "AT+ICCID", reply: ok("ICCID: 89490200000863940628")},
			},
			want: "89490200000863940628",
		},
		{
			name:  "+ICCID: line",
			model: none,
			script: []step{
				{expect: "AT+CCID", reply: cmeReply("4")},
				{expect: "AT+ICCID", reply: ok("+ICCID: 8981100022152967705F")},
			},
			want: "8981100022152967705",
		},
		{
			name:  "Quectel: AT+QCCID last",
			model: none,
			script: []step{
				{expect: "AT+CCID", reply: errorReply},
				{expect: "AT+ICCID", reply: errorReply},
				{expect: "AT+QCCID", reply: ok("+QCCID: 89860318760239573419")},
			},
			want: "89860318760239573419",
		},
		{
			name:  "blanks inside",
			model: none,
			script: []step{
				{expect: "AT+CCID", reply: ok("+CCID: 8981 1000 2215 2967 705F")},
			},
			want: "8981100022152967705",
		},
		{
			name:  "a model command of its own goes first",
			model: modem.Model{Name: "X", ICCIDCommand: "AT^ICCID?"},
			script: []step{
				{expect: "AT^ICCID?", reply: errorReply},
				{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")},
			},
			want: "8981100022152967705",
		},
		{
			name:  "an answer without an ICCID: the next command",
			model: none,
			script: []step{
				{expect: "AT+CCID", reply: ok("+CCID: 1234")},
				{expect: "AT+ICCID", reply: ok("+ICCID: 8981100022152967705F")},
			},
			want: "8981100022152967705",
		},
		{
			name:  "all refused",
			model: lisa,
			script: []step{
				{expect: "AT+CCID", reply: cmeReply("10")},
				{expect: "AT+ICCID", reply: errorReply},
				{expect: "AT+QCCID", reply: errorReply},
			},
			wantErr: "modem: read ICCID: no command gave one: ERROR",
		},
		{
			name:    "no answer",
			model:   lisa,
			script:  []step{{expect: "AT+CCID"}},
			wantErr: "modem: AT+CCID: timed out",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, true, tt.script)
			got, err := s.ICCID(shortWhenSilent(t, tt.script), tt.model)
			if got != tt.want || errText(err) != tt.wantErr {
				t.Errorf("ICCID() = %q, %q, want %q, %q", got, errText(err), tt.want, tt.wantErr)
			}
		})
	}
}

func TestModelICCIDCommand(t *testing.T) {
	for _, m := range modem.Models() {
		if m.ICCIDCommand != "" && !strings.HasPrefix(m.ICCIDCommand, "AT") {
			t.Errorf("%s: ICCIDCommand %q is not an AT command", m.Name, m.ICCIDCommand)
		}
	}
	if m, _ := modem.ByName("LISA-U200"); m.ICCIDCommand != "AT+CCID" {
		t.Errorf("LISA-U200 ICCIDCommand = %q, want AT+CCID", m.ICCIDCommand)
	}
}
