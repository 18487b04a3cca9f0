package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestLoadSeedSample(t *testing.T) {
	c, warns, err := Load("testdata/seed-sample.ppp")
	if err != nil {
		t.Fatalf("Load(seed sample) = %v, want nil", err)
	}
	if !c.Start || c.Provider != "" || !c.Persist || !c.ResetOnFail || c.ResetAlways || c.ResetAt != nil {
		t.Errorf("service keys = %+v, want START yes, PERSIST 1, RESET_ON_FAIL 1, RESET_ALWAYS 0, no RESET_AT", c)
	}
	if c.ResetWait != 30*time.Second || c.Holdoff != 5*time.Second || c.Retry != 3 {
		t.Errorf("RESET_WAIT, HOLDOFF, RETRY = %v, %v, %d, want 30s, 5s, 3", c.ResetWait, c.Holdoff, c.Retry)
	}
	if c.APN != "dream.jp" || c.PDPType != "IP" || !c.Demand || c.Idle != time.Minute || c.Device != DeviceAuto {
		t.Errorf("ppp keys = %q %q %v %v %q, want dream.jp IP true 1m AUTO", c.APN, c.PDPType, c.Demand, c.Idle, c.Device)
	}
	if c.Auth != AuthCHAP || c.Account != "user@dream.jp" || c.Password != "dti" || c.NoDNS {
		t.Errorf("auth keys = %q %q %q %v", c.Auth, c.Account, c.Password, c.NoDNS)
	}
	if !c.Monitor || c.MonitorTarget != "www.centurysys.jp" || c.MonitorInterval != 30*time.Second || c.MonitorFail != 2 {
		t.Errorf("monitor keys = %v %q %v %d", c.Monitor, c.MonitorTarget, c.MonitorInterval, c.MonitorFail)
	}
	// The seed's sample is a DEMAND link with MONITOR=yes: docs/vendor-behaviour.md §R5 says
	// the monitor cannot work there, so the operator is told.
	if on, _ := c.MonitorActive(); on {
		t.Errorf("MonitorActive() = true on a DEMAND link, want false")
	}
	if len(warns) != 1 || !strings.Contains(warns[0].String(), "seed-sample.ppp:24: MONITOR=yes has no effect") {
		t.Errorf("warnings = %v, want one about MONITOR on line 24", warns)
	}
}

func TestDefaults(t *testing.T) {
	c, _, err := Parse("empty", []byte("AUTH=NOAUTH\n"))
	if err != nil {
		t.Fatalf("Parse(empty) = %v", err)
	}
	if c.Start || !c.Persist || !c.ResetOnFail || c.ResetAlways || c.ResetWait != 30*time.Second ||
		c.Holdoff != 5*time.Second || c.Retry != 3 || c.Monitor || c.MonitorInterval != 30*time.Second ||
		c.MonitorFail != 2 || c.Device != DeviceAuto || !c.DefaultRoute || c.PDPType != "IP" || c.ConnectOK {
		t.Errorf("defaults = %+v, want those of docs/vendor-behaviour.md §R1", c)
	}
}

func TestBadValues(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"START=maybe", "f:2: START=maybe: accepted: yes or no (also 1 or 0)"},
		{"PERSIST=2", "f:2: PERSIST=2: accepted: 1 or 0"},
		{"RESET_WAIT=-1", "f:2: RESET_WAIT=-1: accepted: whole seconds from 0 to 3600"},
		{"RESET_WAIT=3601", "f:2: RESET_WAIT=3601: accepted"},
		{"HOLDOFF=5s", "f:2: HOLDOFF=5s: accepted: whole seconds"},
		{"RETRY=0", "f:2: RETRY=0: accepted: a count from 1 to 1000"},
		{"IDLE=86401", "f:2: IDLE=86401: accepted"},
		{"MONITOR_INTERVAL=0", "f:2: MONITOR_INTERVAL=0: accepted: whole seconds from 1"},
		{"MONITOR_FAIL=0", "f:2: MONITOR_FAIL=0: accepted: a count from 1"},
		{"RESET_AT=24:00", "f:2: RESET_AT=24:00: accepted: empty, or a 24-hour time hh:mm"},
		{"RESET_AT=3pm", "f:2: RESET_AT=3pm"},
		{"AUTH=MSCHAP", "f:2: AUTH=MSCHAP: accepted: CHAP, PAP or NOAUTH"},
		{"PDPTYPE=IPV6", "f:2: PDPTYPE=IPV6: accepted: IP or PPP"},
		{"DEVICE=E3372", "f:2: DEVICE=E3372: accepted: AUTO, a model (LISA-U200,"},
		{"DEVICE=ttyUSB0 persist", "f:2: DEVICE=ttyUSB0 persist: bash would run persist as a command with DEVICE set for it only; write DEVICE='ttyUSB0 persist'"},
		{"NETMODE=5G", "f:2: NETMODE=5G: accepted: empty, AUTO, WCDMA, LTE or NONE"},
		{"CARRIERID=6", "f:2: CARRIERID=6: accepted: empty, 1 to 5, or a 5 or 6 digit PLMN"},
		{"CARRIERID=4402", "f:2: CARRIERID=4402"},
		{`CARRIERID=44020 <--- carrier`, "f:2: CARRIERID=44020 <--- carrier"},
		{"APN=dream.jp persist", "f:2: APN=dream.jp persist: bash would run persist"},
		{`APN="a\"b"`, `f:2: APN=a"b: accepted`},
		{"APN=a..b", "f:2: APN=a..b"},
		{"ACCOUNT=\"a\nb\"", "f:2: ACCOUNT=a\nb: accepted: printable characters"},
		{"PASSWORD=\"x\ty\"", "f:2: PASSWORD=(hidden): accepted: printable"},
		{"LOCALADDR=10.0.0.256", "f:2: LOCALADDR=10.0.0.256: accepted: empty, or an IPv4 address"},
		{"REMOTEADDR=::1", "f:2: REMOTEADDR=::1"},
		{"NETMASK=255.0.255.0", "f:2: NETMASK=255.0.255.0: accepted: empty, or an IPv4 netmask"},
		{"MONITOR_TARGET=-bad-", "f:2: MONITOR_TARGET=-bad-: accepted"},
		{"PROVIDER=../shadow", "f:2: PROVIDER=../shadow: accepted"},
		{"MONITOR_LOG=on", "f:2: MONITOR_LOG=on: accepted: yes or no"},
		{"MONITOR_ADAPTIVE=sometimes", "f:2: MONITOR_ADAPTIVE=sometimes: accepted: yes or no"},
		{"METRICS_DIR=var/lib/prometheus", "f:2: METRICS_DIR=var/lib/prometheus: accepted: empty, or an absolute directory path"},
		{`METRICS_DIR="/var/lib/node exporter"`, "f:2: METRICS_DIR=/var/lib/node exporter: accepted: empty, or an absolute directory path"},
		{"NO_DNS=true", "f:2: NO_DNS=true"},
		{`APN="dream.jp`, `f:2: cannot read this line (unmatched "); expected KEY=VALUE`},
		{"RESET_COMMAND=AT+CFUN=16;+CFUN=1", "f:2: RESET_COMMAND=AT+CFUN=16;+CFUN=1: one assignment per line, without ';'; write RESET_COMMAND='AT+CFUN=16;+CFUN=1'"},
		{"RESET_COMMAND='AT+CFUN=16;+CFUN=1'", "f:2: RESET_COMMAND=AT+CFUN=16;+CFUN=1: accepted: empty (the model's), none, or an AT command"},
		{`RESET_COMMAND="AT+CFUN=1 ATZ"`, "f:2: RESET_COMMAND=AT+CFUN=1 ATZ: accepted"},
		{"RESET_COMMAND=reboot", "f:2: RESET_COMMAND=reboot: accepted"},
		{"RESET_LINE=led:..", "f:2: RESET_LINE=led:..: accepted: empty, none, led:NAME"},
		{"RESET_LINE=led:a/b", "f:2: RESET_LINE=led:a/b: accepted"},
		{"RESET_LINE=gpio:gpiochip0", "f:2: RESET_LINE=gpio:gpiochip0: accepted"},
		{"MONITOR_TIMEOUT=61", "f:2: MONITOR_TIMEOUT=61: accepted: whole seconds from 1 to 60"},
		{"MONITOR_TIMEOUT=31", "f:2: MONITOR_TIMEOUT=31: at most MONITOR_INTERVAL (30)"},
		{"MONITOR_ROUTE_DEST='a b'", "f:2: MONITOR_ROUTE_DEST=a b: accepted"},
		{"MONITOR_MAX_HOPS=31", "f:2: MONITOR_MAX_HOPS=31: accepted: a count from 1 to 30"},
		{"just words", "f:2: bash would run just as a command; expected KEY=VALUE"},
	} {
		_, _, err := Parse("f", []byte("AUTH=NOAUTH\n"+tc.line+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", tc.line, err, tc.want)
		}
	}
}

func TestEveryBadValueReportedAtOnce(t *testing.T) {
	_, _, err := Parse("/etc/default/ppp", []byte("# c\nRETRY=0\nHOLDOFF=x\nAUTH=NOAUTH\nSTART=2\n"))
	es, ok := err.(Errors)
	if !ok || len(es) != 3 {
		t.Fatalf("Parse(three bad keys) = %v, want three errors", err)
	}
	for i, want := range []int{2, 3, 5} {
		if es[i].Line != want {
			t.Errorf("error %d on line %d, want %d (in line order)", i, es[i].Line, want)
		}
	}
}

func TestAccountRequiredWithCHAP(t *testing.T) {
	_, _, err := Parse("f", []byte("AUTH=CHAP\nACCOUNT=\nPASSWORD=p\n"))
	if err == nil || !strings.Contains(err.Error(), "f:2: ACCOUNT=: required with AUTH=CHAP") {
		t.Errorf("Parse(CHAP without account) = %v, want an error on line 2", err)
	}
	_, _, err = Parse("f", []byte("AUTH=PAP\nACCOUNT=u\nPASSWORD=\n"))
	if err == nil || !strings.Contains(err.Error(), "f:3: PASSWORD=: required with AUTH=PAP") {
		t.Errorf("Parse(PAP without password) = %v, want an error on line 3", err)
	}
	if _, _, err := Parse("f", []byte("PROVIDER=DTI\n")); err != nil {
		t.Errorf("Parse(PROVIDER set, no account) = %v, want nil: nothing is generated", err)
	}
}

func TestAcceptedForms(t *testing.T) {
	for _, line := range []string{
		"START=YES", "START=1", "PERSIST=no", "RESET_AT=3:00", "RESET_AT=23:59", "RESET_AT=",
		"DEVICE=lisa-u200", "DEVICE=ttyLISA0", "DEVICE=/dev/ttyUSB2", "DEVICE=auto", "CARRIERID=5",
		"CARRIERID=44020", "CARRIERID=310260", "MONITOR_TARGET=auto", "MONITOR_TARGET=8.8.8.8",
		"NETMASK=255.255.255.252\nLOCALADDR=10.1.2.3", "export HOLDOFF=10", `APN="soracom.io"`, "HOLDOFF=0",
		`PASSWORD="p#ss w'rd\"\\"`, "ACCOUNT=user@dream.jp", "NETMODE=lte", "DEMAND=",
		"RESET_COMMAND=AT+CFUN=1,1", "RESET_COMMAND=AT#REBOOT", "RESET_COMMAND=none", "RESET_LINE=led:Mobile_RESETN",
		"RESET_LINE=gpio:gpiochip0:17", "RESET_LINE=none",
	} {
		if _, _, err := Parse("f", []byte("PASSWORD=p\n"+line+"\nAUTH=PAP\nACCOUNT=a\n")); err != nil {
			t.Errorf("Parse(%q) = %v, want nil", line, err)
		}
	}
}

func TestUnknownKeysKeptAndWarned(t *testing.T) {
	c, warns, err := Parse("f", []byte("AUTH=NOAUTH\nVENDOR_X=1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Unknown["VENDOR_X"] != "1" || len(warns) != 1 || warns[0].String() != "f:2: unknown key VENDOR_X ignored (left in the file)" {
		t.Errorf("unknown key: Unknown = %v, warnings = %v", c.Unknown, warns)
	}
}

func TestLoadMissingFile(t *testing.T) {
	if _, _, err := Load("testdata/no-such-file"); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("Load(missing) = %v, want a not-exist error", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// Value is what the suite reads: the last assignment, unquoted, or the
// default; a key the suite does not know has none.
func TestValue(t *testing.T) {
	c, _, err := Parse("f", []byte("AUTH=NOAUTH\nSTART=yes\nexport START='NO' # off for now\nHOLDOFF=\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key, want string
		ok        bool
	}{
		{"START", "NO", true},
		{"HOLDOFF", "5", true},
		{"RETRY", "3", true},
		{"VENDOR_X", "", false},
	} {
		if v, ok := c.Value(tc.key); v != tc.want || ok != tc.ok {
			t.Errorf("Value(%s) = %q, %v, want %q, %v", tc.key, v, ok, tc.want, tc.ok)
		}
	}
}
