package modem

import (
	"bufio"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSplitLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"\r\nOK\r\n", []string{"OK"}},
		{"AT+CSQ\r\r\n+CSQ: 17,99\r\n\r\nOK\r\n", []string{"AT+CSQ", "+CSQ: 17,99", "OK"}},
		{"+CSQ: 17,99\rOK\r", []string{"+CSQ: 17,99", "OK"}},
		{"\n+CSQ: 17,99\n\nOK\n", []string{"+CSQ: 17,99", "OK"}},
		{"\r\n\r\n\n\r", nil},
		{"OK", []string{"OK"}}, // the port closed before the line end
		{strings.Repeat("x", maxLine+10) + "\r\n", []string{strings.Repeat("x", maxLine), "xxxxxxxxxx"}},
	}
	for _, tt := range tests {
		// One byte at a time, as a slow UART delivers them.
		sc := bufio.NewScanner(iotest.OneByteReader(strings.NewReader(tt.in)))
		sc.Buffer(make([]byte, maxLine), maxLine)
		sc.Split(splitLines)
		var got []string
		for sc.Scan() {
			got = append(got, sc.Text())
		}
		if err := sc.Err(); err != nil {
			t.Errorf("splitLines(%.20q): %v", tt.in, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("splitLines(%.20q) = %.40q, want %.40q", tt.in, got, tt.want)
		}
	}
}

func TestResponsePrefixes(t *testing.T) {
	tests := []struct {
		cmd  string
		want []string
	}{
		{"AT+CREG?", []string{"+CREG:"}},
		{"at+creg=2", []string{"+CREG:"}},
		{"AT+CSQ", []string{"+CSQ:"}},
		{"AT+CREG?;+CGREG?", []string{"+CREG:", "+CGREG:"}},
		{"AT^SYSINFO", []string{"^SYSINFO:"}},
		{"AT#REBOOT", []string{"#REBOOT:"}},
		{"ATI", nil},
		{"ATD*99***1#", nil},
		{"AT", nil},
		{"+++", nil},
	}
	for _, tt := range tests {
		if got := responsePrefixes(tt.cmd); !slices.Equal(got, tt.want) {
			t.Errorf("responsePrefixes(%q) = %q, want %q", tt.cmd, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ cmd, want string }{
		{`AT+CPIN="1234"`, "AT+CPIN=***"},
		{`AT+CPIN?`, "AT+CPIN?"},
		{`at+cpin=1234`, "at+cpin=***"},
		{`AT+UAUTHREQ=1,2,"user","secret"`, "AT+UAUTHREQ=***"},
		{`AT+CGAUTH=1,1,"user","secret"`, "AT+CGAUTH=***"},
		{`AT+CMEE=2;+CPIN="1234"`, "AT+CMEE=2;+CPIN=***"},
		{`AT+CGDCONT=1,"IP","CHAP:internet"`, `AT+CGDCONT=1,"IP","CHAP:internet"`},
		{"AT+CFUN=16", "AT+CFUN=16"},
	}
	for _, tt := range tests {
		if got := redact(tt.cmd); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.cmd, got, tt.want)
		}
	}
}
