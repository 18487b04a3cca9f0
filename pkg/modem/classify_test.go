package modem_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		line string
		want modem.Result
	}{
		{"OK", modem.ResultOK},
		{" OK ", modem.ResultOK},
		{"ERROR", modem.ResultError},
		{"+CME ERROR: 10", modem.ResultCMEError},
		{"+CME ERROR: SIM not inserted", modem.ResultCMEError},
		{"+CMS ERROR: 500", modem.ResultCMSError},
		{"CONNECT", modem.ResultConnect},
		{"CONNECT 460800", modem.ResultConnect},
		{"CONNECT 9600/ARQ", modem.ResultConnect},
		{"NO CARRIER", modem.ResultNoCarrier},
		{"BUSY", modem.ResultBusy},
		{"NO ANSWER", modem.ResultNoAnswer},
		{"NO DIALTONE", modem.ResultNoDialtone},
		{"NO DIAL TONE", modem.ResultNoDialtone},
		// Not final results.
		{"", modem.ResultNone},
		{"+CSQ: 17,99", modem.ResultNone},
		{"+CREG: 0,1", modem.ResultNone},
		{"RING", modem.ResultNone},
		{"AT+CSQ", modem.ResultNone},
		{"OKAY", modem.ResultNone},
		{"CONNECTED", modem.ResultNone},
		{"ok", modem.ResultNone},
		{"Model: LISA-U200 ERROR", modem.ResultNone},
		{"+CME ERROR", modem.ResultNone},
	}
	for _, tt := range tests {
		if got := modem.Classify(tt.line); got != tt.want {
			t.Errorf("Classify(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestErrorTexts(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&modem.CMEError{Code: 10}, "+CME ERROR: 10 (SIM not inserted)"},
		{&modem.CMEError{Code: 999}, "+CME ERROR: 999"},
		{&modem.CMEError{Code: -1, Text: "SIM not inserted"}, "+CME ERROR: SIM not inserted"},
		{&modem.CMSError{Code: 500}, "+CMS ERROR: 500"},
		{&modem.OpError{Op: "AT+CFUN=16", Err: modem.ErrTimeout}, "modem: AT+CFUN=16: timed out"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestErrorsIs(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"CMEError is ErrError", &modem.CMEError{Code: 10}, modem.ErrError, true},
		{"CMSError is ErrError", &modem.CMSError{Code: 500}, modem.ErrError, true},
		{"NO CARRIER is not ErrError", modem.ErrNoCarrier, modem.ErrError, false},
		{"ErrTimeout is DeadlineExceeded", modem.ErrTimeout, context.DeadlineExceeded, true},
		{"ErrTimeout is not Canceled", modem.ErrTimeout, context.Canceled, false},
		{"wrapped", &modem.OpError{Op: "AT", Err: modem.ErrTimeout}, context.DeadlineExceeded, true},
	}
	for _, tt := range tests {
		if got := errors.Is(tt.err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is(%v, %v) = %v, want %v", tt.name, tt.err, tt.target, got, tt.want)
		}
	}
}
