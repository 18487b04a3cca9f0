package modemsim

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The sim knob on a running module: what a host's pre-dial checks and chat
// script meet without a usable SIM, and the registration once it is back.
func TestIntegrationSIMKnob(t *testing.T) {
	t.Parallel()
	const regDelay = 300 * time.Millisecond
	s := startSim(t, Config{DataCommand: []string{"cat"}})
	if got, want := do(t, s, "regdelay 0.3"), "ok regdelay 300ms"; got != want {
		t.Errorf("Do(regdelay 0.3) = %q, want %q", got, want)
	}
	c := dialTTY(t, s.TTYPath())
	c.at("ATE0")
	steps := []struct{ cmd, want string }{
		{"sim absent", "ok sim absent"},
		{"AT+CPIN?", "\r\nERROR\r\n"}, // AT+CMEE=0, the default
		{"AT+CMEE=2", "\r\nOK\r\n"},
		{"AT+CPIN?", "\r\n+CME ERROR: SIM not inserted\r\n"},
		{"AT+CMEE=1", "\r\nOK\r\n"},
		{"AT+CPIN?", "\r\n+CME ERROR: 10\r\n"},
		{"AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
		{"AT+CGREG?", "\r\n+CGREG: 0,0\r\n\r\nOK\r\n"},
		{"AT+CSQ", "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
		{`AT+CGDCONT=1,"IP","a"`, "\r\n+CME ERROR: 10\r\n"},
		{"ATDT*99***1#", "\r\nNO CARRIER\r\n"},
		{"sim pin", "ok sim pin"},
		{"AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"},
		{`AT+CGDCONT=1,"IP","a"`, "\r\n+CME ERROR: 11\r\n"},
		{"AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"},
		{"sim puk", "ok sim puk"},
		{"sim", "ok sim puk"},
		{"AT+CPIN?", "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n"},
	}
	for _, st := range steps {
		var got string
		if strings.HasPrefix(st.cmd, "AT") {
			got = c.at(st.cmd)
		} else {
			got = do(t, s, st.cmd)
		}
		if got != st.want {
			t.Errorf("%s = %q, want %q", st.cmd, got, st.want)
		}
	}
	st := s.Stats()
	if st.Dials != 1 || st.Calls != 0 || st.Refused != 1 || st.CPINQueries != 5 || st.Knobs.SIM != "puk" || st.Knobs.RegDelay != "300ms" {
		t.Errorf("Stats() = %d dials, %d calls, %d refused, %d AT+CPIN? queries, knobs sim %q, regdelay %q; want 1, 0, 1, 5, puk, 300ms",
			st.Dials, st.Calls, st.Refused, st.CPINQueries, st.Knobs.SIM, st.Knobs.RegDelay)
	}

	do(t, s, "sim ready")
	ready := time.Now()
	if got, want := c.at("AT+CPIN?"), "\r\n+CPIN: READY\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CPIN? after sim ready = %q, want %q", got, want)
	}
	if got, want := c.at("AT+CREG?"), "\r\n+CREG: 0,2\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CREG? right after sim ready = %q, want %q (searching for the registration delay)", got, want)
	}
	if !waitFor(3*time.Second, func() bool { return c.at("AT+CREG?") == "\r\n+CREG: 0,1\r\n\r\nOK\r\n" }) {
		t.Fatalf("AT+CREG? never reported stat 1 after sim ready")
	}
	if took := time.Since(ready); took < regDelay-50*time.Millisecond {
		t.Errorf("registered %v after sim ready, want about the regdelay %v", took, regDelay)
	}
	if got, want := c.at("ATDT*99***1#"), "\r\nCONNECT 460800\r\n"; got != want {
		t.Errorf("ATDT*99***1# with the SIM ready = %q, want %q", got, want)
	}
}

// The reg knob: denied, roaming, a search that ends, one that does not.
func TestIntegrationRegKnob(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Model: mustModel(t, "AMM570"), DataCommand: []string{"cat"}})
	do(t, s, "regdelay 0.3")
	c := dialTTY(t, s.TTYPath())
	c.at("ATE0")
	regs := func() string {
		t.Helper()
		return c.at("AT+CREG?;+CGREG?;+CEREG?")
	}
	stat := func(n int) string {
		return strings.NewReplacer("N", string(rune('0'+n))).Replace("\r\n+CREG: 0,N\r\n+CGREG: 0,N\r\n+CEREG: 0,N\r\n\r\nOK\r\n")
	}

	if got, want := do(t, s, "reg denied"), "ok reg denied"; got != want {
		t.Errorf("Do(reg denied) = %q, want %q", got, want)
	}
	if got := regs(); got != stat(3) {
		t.Errorf("registration with reg denied = %q, want %q", got, stat(3))
	}
	if got, want := c.at("ATD*99#"), "\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("ATD*99# with reg denied = %q, want %q", got, want)
	}
	if got, want := do(t, s, "noreg"), "ok noreg on"; got != want {
		t.Errorf("Do(noreg) with reg denied = %q, want %q", got, want)
	}

	// Let in, the module registers again, after the registration delay.
	do(t, s, "reg roaming")
	if got := regs(); got != stat(2) {
		t.Errorf("registration right after reg roaming = %q, want %q", got, stat(2))
	}
	if !waitFor(3*time.Second, func() bool { return regs() == stat(5) }) {
		t.Fatalf("registration never reported stat 5 after reg roaming")
	}
	if got, want := c.at("ATD*99#"), "\r\nCONNECT 115200\r\n"; got != want {
		t.Errorf("ATD*99# roaming = %q, want %q", got, want)
	}
	do(t, s, "hangup")
	c.expect("\r\nNO CARRIER\r\n", 3*time.Second)

	if got, want := do(t, s, "reg searching 0.5"), "ok reg searching 500ms"; got != want {
		t.Errorf("Do(reg searching 0.5) = %q, want %q", got, want)
	}
	search := time.Now()
	if got := regs(); got != stat(2) {
		t.Errorf("registration with reg searching 0.5 = %q, want %q", got, stat(2))
	}
	if got, want := c.at("ATD*99#"), "\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("ATD*99# while searching = %q, want %q", got, want)
	}
	if st := s.Stats(); st.Knobs.Reg != "searching" {
		t.Errorf("Stats().Knobs.Reg while searching = %q, want searching", st.Knobs.Reg)
	}
	if !waitFor(3*time.Second, func() bool { return regs() == stat(1) }) {
		t.Fatalf("registration never reported stat 1 (home) after the search")
	}
	if took := time.Since(search); took < 450*time.Millisecond {
		t.Errorf("searching ended after %v, want 500ms", took)
	}
	if got, want := do(t, s, "reg"), "ok reg home"; got != want {
		t.Errorf("Do(reg) after the search = %q, want %q", got, want)
	}

	do(t, s, "reg searching")
	time.Sleep(400 * time.Millisecond) // longer than the regdelay: it does not end
	if got := regs(); got != stat(2) {
		t.Errorf("registration 400ms into reg searching = %q, want %q", got, stat(2))
	}
	do(t, s, "reg home")
	if !waitFor(3*time.Second, func() bool { return regs() == stat(1) }) {
		t.Fatalf("registration never reported stat 1 after reg home")
	}
	if st := s.Stats(); st.Dials != 3 || st.Calls != 1 || st.Refused != 2 || st.Knobs.Reg != "home" {
		t.Errorf("Stats() = %d dials, %d calls, %d refused, reg %q; want 3, 1, 2, home", st.Dials, st.Calls, st.Refused, st.Knobs.Reg)
	}
}

// lcpConfReq is the start of a host's PPP: an LCP Configure-Request (id 1,
// magic number 0x01020304).
func lcpConfReq() string {
	return string(encodeFrame([]byte{0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 10, 5, 6, 1, 2, 3, 4}))
}

// callend after-connect: the host reads CONNECT, speaks PPP, and its tty
// hangs up (reads end, SIGHUP to the session that has it as controlling
// tty), which is what makes pppd report "Modem hangup". The module itself
// goes on, unreset, on the same ROOT/dev name.
func TestIntegrationCallEndAfterConnect(t *testing.T) {
	t.Parallel()
	mark := filepath.Join(t.TempDir(), "network")
	s := startSim(t, Config{DataCommand: []string{"sh", "-c", "touch " + mark + "; exec cat"}})
	path := s.TTYPath()
	if got, want := do(t, s, "callend after-connect on"), "ok callend after-connect on"; got != want {
		t.Errorf("Do(callend after-connect on) = %q, want %q", got, want)
	}

	// A session whose controlling tty is the module's, as a pppd that
	// owns its line.
	tty, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	leader := exec.Command("sh", "-c", `trap 'exit 42' HUP; while :; do sleep 0.05; done`)
	leader.Stdin = tty
	leader.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := leader.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- leader.Wait() }()
	t.Cleanup(func() {
		leader.Process.Kill()
		<-exited
	})
	tty.Close()

	c := dialTTY(t, path)
	c.at("ATE0")
	if got, want := c.at("ATD*99#"), "\r\nCONNECT 460800\r\n"; got != want {
		t.Fatalf("ATD*99# = %q, want %q", got, want)
	}
	c.write(lcpConfReq())
	if got, want := c.expect("\r\nNO CARRIER\r\n", 3*time.Second), "\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("after CONNECT and the host's Configure-Request, read %q, want only %q (nothing from the network)", got, want)
	}
	c.readFor(3*time.Second, func(string) bool { return false })
	if !errors.Is(c.err, io.EOF) || c.seen != "" {
		t.Errorf("reading on after NO CARRIER: %q, then %v; want end of file (the tty hung up)", c.seen, c.err)
	}
	if _, err := c.f.WriteString("AT\r"); !errors.Is(err, syscall.EIO) {
		t.Errorf("write to the hung-up tty = %v, want EIO", err)
	}
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 42 {
			t.Errorf("the session leader on the tty ended with %v, want exit 42 (its SIGHUP trap)", err)
		}
		exited <- err
	case <-time.After(3 * time.Second):
		t.Errorf("the session leader on the tty got no SIGHUP within 3 s")
	}
	if exists(mark) {
		t.Errorf("the network side's data command ran: the call reached it")
	}

	if !waitFor(2*time.Second, func() bool { return s.Stats().State == StateReady }) {
		t.Fatalf("Stats().State = %q after the dropped call, want ready", s.Stats().State)
	}
	st := s.Stats()
	if st.Calls != 1 || st.Dropped != 1 || st.Resets != (Resets{}) || st.TTY != "ttyACM0" || st.Knobs.CallEnd != "after-connect" {
		t.Errorf("Stats() = %+v; want 1 call, 1 dropped, no reset, on ttyACM0, callend after-connect", st)
	}
	if s.TTYPath() != path {
		t.Errorf("TTYPath() = %q after the dropped call, want %q", s.TTYPath(), path)
	}
	c2 := dialTTY(t, path)
	if got, want := c2.at("AT"), "\r\nOK\r\n"; got != want {
		t.Errorf("AT on the reopened tty = %q, want %q (echo still off: no restart)", got, want)
	}

	if got, want := do(t, s, "callend after-connect off"), "ok callend after-connect off"; got != want {
		t.Errorf("Do(callend after-connect off) = %q, want %q", got, want)
	}
	c2.at("ATD*99#")
	c2.write("ping")
	c2.expect("ping", 3*time.Second)
}

// On a given tty (a USB gadget's ttyGS0) the line's carrier goes with the
// tty being open: the module closes it to hang up, and opens it again. A
// host that says nothing after CONNECT still loses the call.
func TestIntegrationCallEndGivenTTY(t *testing.T) {
	t.Parallel()
	needPTY(t)
	far, err := openPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer far.close()
	s := startSim(t, Config{TTY: far.slave, DataCommand: []string{"cat"}})
	// Only the simulator has the slave open now, as only it has the
	// gadget's tty open: the far side sees it close.
	far.keep.Close()
	far.watch.f.Close()
	c := &client{t: t, f: far.rw, path: "the far side of " + far.slave}
	do(t, s, "callend after-connect on")
	c.at("ATE0")
	if got, want := c.at("ATD*99#"), "\r\nCONNECT 460800\r\n"; got != want {
		t.Fatalf("ATD*99# = %q, want %q", got, want)
	}
	connected := time.Now()
	if got, want := c.expect("\r\nNO CARRIER\r\n", doomWait+3*time.Second), "\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("after CONNECT, read %q, want %q", got, want)
	}
	if took := time.Since(connected); took < doomWait-100*time.Millisecond {
		t.Errorf("NO CARRIER %v after CONNECT from a silent host, want %v", took, doomWait)
	}
	c.readFor(3*time.Second, func(string) bool { return false })
	if !errors.Is(c.err, syscall.EIO) {
		t.Errorf("reading the far side after NO CARRIER: %q, then %v; want EIO (the module closed its tty)", c.seen, c.err)
	}
	c.seen = ""
	if !waitFor(3*time.Second, func() bool { return s.Stats().State == StateReady }) {
		t.Fatalf("Stats().State = %q after the dropped call, want ready", s.Stats().State)
	}
	if got, want := c.at("AT"), "\r\nOK\r\n"; got != want {
		t.Errorf("AT after the tty came back = %q, want %q (echo still off: no restart)", got, want)
	}
	if st := s.Stats(); st.Dropped != 1 || st.Resets != (Resets{}) {
		t.Errorf("Stats() = %+v, want 1 dropped call and no reset", st)
	}
}
