package modemsim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

func TestIntegrationIdentifyRegisterDial(t *testing.T) {
	t.Parallel()
	const regDelay = 800 * time.Millisecond
	s := startSim(t, Config{RegDelay: regDelay, DataCommand: []string{"cat"}})
	up := time.Now()
	root := filepath.Dir(filepath.Dir(s.TTYPath()))
	if got, want := link(devPath(root, "ttyACM0")), "/dev/pts/"; !strings.HasPrefix(got, want) {
		t.Fatalf("Readlink(ROOT/dev/ttyACM0) = %q, want a link to %s<n>", got, want)
	}
	f, err := modem.Detect(root)
	if err != nil || f.Model.Name != "LISA-U200" || f.KernelTTY != "ttyACM0" {
		t.Fatalf("modem.Detect(ROOT) = %s %s, %v; want LISA-U200 on ttyACM0", f.Model.Name, f.KernelTTY, err)
	}

	c := dialTTY(t, s.TTYPath())
	if got, want := c.at("ATZ"), "ATZ\r\r\nOK\r\n"; got != want {
		t.Errorf("ATZ = %q, want %q (echo on by default)", got, want)
	}
	if got, want := c.at("ATE0"), "ATE0\r\r\nOK\r\n"; got != want {
		t.Errorf("ATE0 = %q, want %q", got, want)
	}
	for _, tt := range []struct{ cmd, want string }{
		{"AT", "\r\nOK\r\n"},
		{"AT+CGMM", "\r\nLISA-U200\r\n\r\nOK\r\n"},
		{"AT+CREG?", "\r\n+CREG: 0,2\r\n\r\nOK\r\n"}, // registering
		{"AT+CEREG?", "\r\nERROR\r\n"},               // 3G only
		{`AT+CGDCONT=1,"IP","CHAP:dream.jp"`, "\r\nOK\r\n"},
	} {
		if got := c.at(tt.cmd); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.cmd, got, tt.want)
		}
	}
	if got := c.at("ATI"); !strings.Contains(got, "u-blox LISA-U200") {
		t.Errorf("ATI = %q, want the maker and model", got)
	}
	if !waitFor(3*time.Second, func() bool { return c.at("AT+CGREG?") == "\r\n+CGREG: 0,1\r\n\r\nOK\r\n" }) {
		t.Fatalf("AT+CGREG? never reported stat 1")
	}
	if took := time.Since(up); took < regDelay-100*time.Millisecond {
		t.Errorf("registered %v after start, want about RegDelay %v", took, regDelay)
	}

	if got, want := c.at("ATDT*99***1#"), "\r\nCONNECT 460800\r\n"; got != want {
		t.Fatalf("ATDT*99***1# = %q, want %q", got, want)
	}
	if st := s.Stats(); st.State != StateInCall {
		t.Errorf("Stats().State in a call = %q, want %q", st.State, StateInCall)
	}
	// Data is not parsed for commands: AT comes back from cat unanswered.
	data := "\x7e\xff\x03AT\r\x7e hello"
	c.write(data)
	c.expect(data, 3*time.Second)

	if got, want := do(t, s, "hangup"), "ok hung up"; got != want {
		t.Errorf("Do(hangup) = %q, want %q", got, want)
	}
	c.expect("\r\nNO CARRIER\r\n", 3*time.Second)
	if got, want := c.at("AT"), "\r\nOK\r\n"; got != want {
		t.Errorf("AT after the call = %q, want %q", got, want)
	}
	st := s.Stats()
	if st.Dials != 1 || st.Calls != 1 || st.State != StateReady || st.TTY != "ttyACM0" {
		t.Errorf("Stats() = %+v, want 1 dial, 1 call, state ready on ttyACM0", st)
	}
}

func TestIntegrationDataCommandExits(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{DataCommand: []string{"sh", "-c", "printf bye"}})
	c := dialTTY(t, s.TTYPath())
	c.at("ATE0")
	if got, want := c.at("ATD*99#"), "\r\nCONNECT 460800\r\n"; got != want {
		t.Fatalf("ATD*99# = %q, want %q", got, want)
	}
	if got, want := c.expect("\r\nNO CARRIER\r\n", 3*time.Second), "bye\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("after CONNECT, read %q, want the command's output, then NO CARRIER: %q", got, want)
	}
	if got, want := c.at("AT"), "\r\nOK\r\n"; got != want {
		t.Errorf("AT after the call = %q, want %q", got, want)
	}
}

func TestIntegrationBlackhole(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{DataCommand: []string{"cat"}})
	do(t, s, "blackhole on")
	c := dialTTY(t, s.TTYPath())
	c.at("ATE0")
	c.at("ATD*99#")
	c.write("ping")
	c.silent(300 * time.Millisecond)
	do(t, s, "blackhole off")
	c.write("pong")
	c.expect("pong", 3*time.Second)
}

func TestIntegrationNoCarrierAndNoReg(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	c := dialTTY(t, s.TTYPath())
	c.at("ATE0")
	do(t, s, "nocarrier on")
	if got, want := c.at("ATDT*99***1#"), "\r\nNO CARRIER\r\n"; got != want {
		t.Errorf("ATDT*99***1# with nocarrier on = %q, want %q", got, want)
	}
	do(t, s, "nocarrier off")
	do(t, s, "noreg on")
	for _, tt := range []struct{ cmd, want string }{
		{"AT+CREG?", "\r\n+CREG: 0,3\r\n\r\nOK\r\n"},
		{"AT+CGREG?", "\r\n+CGREG: 0,3\r\n\r\nOK\r\n"},
		{"ATDT*99***1#", "\r\nNO CARRIER\r\n"},
	} {
		if got := c.at(tt.cmd); got != tt.want {
			t.Errorf("%s with noreg on = %q, want %q", tt.cmd, got, tt.want)
		}
	}
	do(t, s, "noreg off")
	if got, want := c.at("AT+CREG?"), "\r\n+CREG: 0,1\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CREG? with noreg off = %q, want %q", got, want)
	}
	if st := s.Stats(); st.Dials != 2 || st.Calls != 0 {
		t.Errorf("Stats() = %d dials, %d calls; want 2, 0", st.Dials, st.Calls)
	}
}

func TestIntegrationHung(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	c := dialTTY(t, s.TTYPath())
	do(t, s, "hung on")
	c.write("AT\r")
	c.silent(500 * time.Millisecond)
	c.write("AT+CFUN=16\r") // a hung module does not reset either
	c.silent(200 * time.Millisecond)
	if st := s.Stats(); st.State != StateHung || st.Resets.AT != 0 {
		t.Errorf("Stats() = state %q, %d AT resets; want hung, 0", st.State, st.Resets.AT)
	}
	do(t, s, "hung off")
	if got, want := c.at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after hung off = %q, want %q", got, want)
	}
}

func TestIntegrationATReset(t *testing.T) {
	t.Parallel()
	const delay = 500 * time.Millisecond
	s := startSim(t, Config{ResetDelay: delay, AliasLink: true})
	path := s.TTYPath()
	root := filepath.Dir(filepath.Dir(path))
	c := dialTTY(t, path)
	c.at("ATE0")
	if got, want := c.at("AT+CFUN=16"), "\r\nOK\r\n"; got != want {
		t.Fatalf("AT+CFUN=16 = %q, want %q", got, want)
	}
	ok := time.Now()
	if !waitFor(time.Second, func() bool { return gone(path) }) {
		t.Fatalf("%s still there 1 s after the reset", path)
	}
	if st := s.Stats(); st.State != StateResetting || st.Resets.AT != 1 {
		t.Errorf("Stats() while away = state %q, %d AT resets; want resetting, 1", st.State, st.Resets.AT)
	}
	if gone(devPath(root, "ttyLISA0")) == false {
		t.Errorf("ROOT/dev/ttyLISA0 still there while the module is away")
	}
	if _, err := modem.Detect(root); err == nil {
		t.Errorf("modem.Detect(ROOT) while away = a tty, want an error")
	}
	if !waitFor(delay+time.Second, func() bool { return exists(path) }) {
		t.Fatalf("%s not back within the reset delay %v + 1 s", path, delay)
	}
	if back := time.Since(ok); back < delay {
		t.Errorf("back %v after the reset, want at least the reset delay %v", back, delay)
	}
	if got, want := link(devPath(root, "ttyLISA0")), link(path); got != want {
		t.Errorf("Readlink(ROOT/dev/ttyLISA0) = %q, want %q as ttyACM0", got, want)
	}
	c2 := dialTTY(t, path)
	if got, want := c2.at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after the reset = %q, want %q (a fresh module echoes)", got, want)
	}
	do(t, s, "atreset off")
	if got, want := c2.at("AT+CFUN=16"), "AT+CFUN=16\r\r\nERROR\r\n"; got != want {
		t.Errorf("AT+CFUN=16 with atreset off = %q, want %q", got, want)
	}
}

func TestIntegrationRename(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{ResetDelay: 100 * time.Millisecond})
	root := filepath.Dir(filepath.Dir(s.TTYPath()))
	do(t, s, "rename on")
	c := dialTTY(t, s.TTYPath())
	c.at("AT+CFUN=16")
	acm1 := devPath(root, "ttyACM1")
	if !waitFor(2*time.Second, func() bool { return exists(acm1) }) {
		t.Fatalf("ROOT/dev/ttyACM1 not there 2 s after a reset with rename on")
	}
	if exists(devPath(root, "ttyACM0")) {
		t.Errorf("ROOT/dev/ttyACM0 still there after the module came back as ttyACM1")
	}
	if got := s.TTYPath(); got != acm1 {
		t.Errorf("TTYPath() = %q, want %q", got, acm1)
	}
	f, err := modem.Detect(root)
	if err != nil || f.KernelTTY != "ttyACM1" {
		t.Errorf("modem.Detect(ROOT) = %q, %v; want ttyACM1", f.KernelTTY, err)
	}
	if got, want := dialTTY(t, acm1).at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT on ttyACM1 = %q, want %q", got, want)
	}
}

func TestIntegrationUSBReset(t *testing.T) {
	t.Parallel()
	const delay = 200 * time.Millisecond
	s := startSim(t, Config{Model: mustModel(t, "AMM570"), ResetDelay: delay})
	path := s.TTYPath()
	root := filepath.Dir(filepath.Dir(path))
	if got, want := filepath.Base(path), "ttyUSB0"; got != want {
		t.Fatalf("TTYPath() = %q, want ROOT/dev/%s for an option module", path, want)
	}
	authorized := filepath.Join(root, "sys/bus/usb/devices/1-1/authorized")
	reenumerate := func() {
		t.Helper()
		if err := os.WriteFile(authorized, []byte("0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if !waitFor(time.Second, func() bool { return gone(path) }) {
			t.Fatalf("%s still there 1 s after writing 0 to authorized", path)
		}
		if err := os.WriteFile(authorized, []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if !waitFor(delay+time.Second, func() bool { return exists(path) }) {
			t.Fatalf("%s not back within %v after writing 1 to authorized", path, delay+time.Second)
		}
	}

	do(t, s, "hung on")
	do(t, s, "usbcures off")
	reenumerate()
	if st := s.Stats(); st.Resets.USB != 1 || st.State != StateHung {
		t.Errorf("Stats() after a USB reset with usbcures off = %d USB resets, state %q; want 1, hung", st.Resets.USB, st.State)
	}
	c := dialTTY(t, path)
	c.write("AT\r")
	c.silent(300 * time.Millisecond)
	c.close()

	do(t, s, "usbcures on")
	reenumerate()
	if st := s.Stats(); st.Resets.USB != 2 || st.State != StateReady {
		t.Errorf("Stats() after a USB reset with usbcures on = %d USB resets, state %q; want 2, ready", st.Resets.USB, st.State)
	}
	if got, want := dialTTY(t, path).at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after the cure = %q, want %q", got, want)
	}
}

func TestIntegrationPowerReset(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{ResetDelay: 200 * time.Millisecond})
	path := s.TTYPath()
	root := filepath.Dir(filepath.Dir(path))
	led := filepath.Join(root, "sys/class/leds/Mobile_RESETN")
	for name, want := range map[string]string{"trigger": "none [oneshot]\n", "delay_on": "100\n", "delay_off": "100\n", "invert": "0\n"} {
		if b, err := os.ReadFile(filepath.Join(led, name)); err != nil || string(b) != want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", name, b, err, want)
		}
	}
	do(t, s, "hung on")
	if err := os.WriteFile(filepath.Join(led, "shot"), []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !waitFor(time.Second, func() bool { return gone(path) }) {
		t.Fatalf("%s still there 1 s after the pulse", path)
	}
	if !waitFor(2*time.Second, func() bool { return exists(path) }) {
		t.Fatalf("%s not back 2 s after the pulse", path)
	}
	if st := s.Stats(); st.Resets.Power != 1 || st.State != StateReady {
		t.Errorf("Stats() after a power reset = %d power resets, state %q; want 1, ready", st.Resets.Power, st.State)
	}
	if got, want := dialTTY(t, path).at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after the power reset = %q, want %q (the hang cleared)", got, want)
	}
}

func TestIntegrationFlashWrites(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		model      string
		flash, nvm int
	}{
		{"AMM570", 3, 3},
		{"LISA-U200", 0, 3},
	} {
		t.Run(tt.model, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{Model: mustModel(t, tt.model)})
			c := dialTTY(t, s.TTYPath())
			for _, cmd := range []string{"ATE0", `AT+CGDCONT=1,"IP","iijmio.jp"`, `AT+COPS=1,2,"44020"`, "AT+COPS=0", "AT&W", "AT+CSQ"} {
				if got := c.at(cmd); !strings.HasSuffix(got, "\r\nOK\r\n") {
					t.Fatalf("%s = %q, want OK", cmd, got)
				}
			}
			st := s.Stats()
			if st.FlashWrites != tt.flash || st.NVMWrites != tt.nvm || st.Commands != 6 {
				t.Errorf("Stats() = %d flash writes, %d NVM writes, %d commands; want %d, %d, 6", st.FlashWrites, st.NVMWrites, st.Commands, tt.flash, tt.nvm)
			}
		})
	}
}

func TestIntegrationUnplugReplug(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	path := s.TTYPath()
	root := filepath.Dir(filepath.Dir(path))
	do(t, s, "rename on")
	if got, want := do(t, s, "unplug"), "ok unplugged"; got != want {
		t.Errorf("Do(unplug) = %q, want %q", got, want)
	}
	if !gone(path) {
		t.Errorf("%s still there after unplug", path)
	}
	if _, err := modem.Detect(root); err != modem.ErrNotFound {
		t.Errorf("modem.Detect(ROOT) after unplug = %v, want ErrNotFound", err)
	}
	if st := s.Stats(); st.State != StateUnplugged {
		t.Errorf("Stats().State = %q, want unplugged", st.State)
	}
	if got, want := do(t, s, "replug"), "ok replugged as ttyACM1"; got != want {
		t.Errorf("Do(replug) = %q, want %q", got, want)
	}
	f, err := modem.Detect(root)
	if err != nil || f.KernelTTY != "ttyACM1" {
		t.Errorf("modem.Detect(ROOT) after replug = %q, %v; want ttyACM1", f.KernelTTY, err)
	}
	if got, want := dialTTY(t, devPath(root, "ttyACM1")).at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after replug = %q, want %q", got, want)
	}
}

func TestIntegrationControlSocket(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "sim.sock")
	s := startSim(t, Config{Control: sock})
	for _, tt := range []struct{ cmd, want string }{
		{"nocarrier on", "ok nocarrier on"},
		{"nocarrier", "ok nocarrier on"},
		{"resetdelay 0.25", "ok resetdelay 250ms"},
		{"hangup", "ok no call"},
		{"sim absent", "ok sim absent"},
		{"sim", "ok sim absent"},
		{"sim pin", "ok sim pin"},
		{"reg roaming", "ok reg roaming"},
		{"reg", "ok reg roaming"},
		{"reg searching 2", "ok reg searching 2s"},
		{"noreg on", "ok noreg on"},
		{"reg", "ok reg denied"},
		{"noreg off", "ok noreg off"},
		{"reg", "ok reg home"},
		{"reg roaming", "ok reg roaming"},
		{"noreg off", "ok noreg off"}, // not denied: leaves roaming alone
		{"reg", "ok reg roaming"},
		{"regdelay 0.5", "ok regdelay 500ms"},
		{"regdelay", "ok regdelay 500ms"},
		{"callend", "ok callend after-connect off"},
		{"callend after-connect on", "ok callend after-connect on"},
		{"callend", "ok callend after-connect on"},
	} {
		if got, err := Control(sock, tt.cmd); err != nil || got != tt.want {
			t.Errorf("Control(%q) = %q, %v; want %q", tt.cmd, got, err, tt.want)
		}
	}
	for _, cmd := range []string{"bogus", "hung maybe", "resetdelay soon", "sim gone", "sim pin 1234", "reg home 3",
		"reg searching soon", "reg searching 0", "reg away", "callend on", "callend after-connect", "regdelay soon", "noreg maybe"} {
		if got, err := Control(sock, cmd); err == nil || !strings.HasPrefix(got, "error ") {
			t.Errorf("Control(%q) = %q, %v; want an error reply", cmd, got, err)
		}
	}
	c := dialTTY(t, s.TTYPath())
	c.at("AT")
	c.at("AT+CPIN?")
	c.at("ATD*99#")
	got, err := Control(sock, "stats")
	if err != nil {
		t.Fatalf("Control(stats) = %v", err)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(got), &st); err != nil {
		t.Fatalf("Control(stats) = %q: not JSON: %v", got, err)
	}
	want := map[string]any{
		"commands": 3.0, "flash_writes": 0.0, "nvm_writes": 0.0, "dials": 1.0, "calls": 0.0,
		"refused": 1.0, "dropped": 0.0, "cpin_queries": 1.0,
		"resets": map[string]any{"at": 0.0, "usb": 0.0, "power": 0.0}, "state": "ready", "tty": "ttyACM0",
		"knobs": map[string]any{
			"hung": false, "nocarrier": true, "blackhole": false, "termloss": false, "rename": false,
			"usbcures": true, "atreset": true, "resetdelay": "250ms", "regdelay": "500ms",
			"sim": "pin", "reg": "roaming", "callend": "after-connect",
		},
	}
	if g, w := jsonText(t, st), jsonText(t, want); g != w {
		t.Errorf("Control(stats) = %s, want %s", g, w)
	}
}

func jsonText(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestIntegrationUnreadRepliesDropped(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{})
	c := dialTTY(t, s.TTYPath())
	c.write("ATI\r") // and leave without reading the reply
	time.Sleep(100 * time.Millisecond)
	c.close()
	// The simulator learns of the close from inotify, a moment later; the
	// next program to open the tty is never that quick.
	time.Sleep(20 * time.Millisecond)
	c = dialTTY(t, s.TTYPath())
	if got, want := c.at("AT+CGMM"), "AT+CGMM\r\r\nLISA-U200\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CGMM after another client left a reply unread = %q, want %q", got, want)
	}
	c.at("ATD*99#")
	c.close()
	time.Sleep(20 * time.Millisecond)
	do(t, s, "hangup") // NO CARRIER while nobody has the tty open
	c = dialTTY(t, s.TTYPath())
	if got, want := c.at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after a hangup with the tty closed = %q, want %q", got, want)
	}
}

// TestIntegrationGivenTTY serves a tty made by the test, as the VM serves
// the gadget's ttyGS0; the test talks on the other side.
func TestIntegrationGivenTTY(t *testing.T) {
	t.Parallel()
	needPTY(t)
	far, err := openPTY()
	if err != nil {
		t.Fatal(err)
	}
	defer far.close()
	s := startSim(t, Config{TTY: far.slave, ResetDelay: 200 * time.Millisecond})
	if got := s.TTYPath(); got != far.slave {
		t.Errorf("TTYPath() = %q, want the given tty %q", got, far.slave)
	}
	c := &client{t: t, f: far.rw, path: "the far side of " + far.slave}
	if got, want := c.at("AT+CGMM"), "AT+CGMM\r\r\nLISA-U200\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CGMM = %q, want %q", got, want)
	}
	c.at("AT+CFUN=16")
	c.write("AT\r")
	c.silent(100 * time.Millisecond) // restarting
	if !waitFor(2*time.Second, func() bool { return s.Stats().State == StateReady }) {
		t.Fatalf("Stats().State = %q 2 s after the reset, want ready", s.Stats().State)
	}
	if got, want := c.at("AT"), "AT\r\r\nOK\r\n"; got != want {
		t.Errorf("AT after the reset = %q, want %q", got, want)
	}
}

// TestIntegrationModelWithoutUSBID: a model whose USB id is unknown has no
// fake sysfs device, only its tty links, and resets by its power line.
func TestIntegrationModelWithoutUSBID(t *testing.T) {
	t.Parallel()
	s := startSim(t, Config{Model: mustModel(t, "KYM11"), AliasLink: true, ResetDelay: 100 * time.Millisecond})
	root := filepath.Dir(filepath.Dir(s.TTYPath()))
	if got, want := filepath.Base(s.TTYPath()), "ttyUSB0"; got != want {
		t.Errorf("TTYPath() = %q, want ROOT/dev/%s", s.TTYPath(), want)
	}
	if !exists(filepath.Join(root, "sys/class/leds/KYM1x_Power/shot")) || exists(filepath.Join(root, "sys/bus/usb")) {
		t.Errorf("want the LED KYM1x_Power and no fake USB device under ROOT")
	}
	alias := devPath(root, "ttyKYM11")
	if got, want := dialTTY(t, alias).at("AT+CGMM"), "AT+CGMM\r\r\nKYM11\r\n\r\nOK\r\n"; got != want {
		t.Errorf("AT+CGMM on ttyKYM11 = %q, want %q", got, want)
	}
	if err := os.WriteFile(filepath.Join(root, "sys/class/leds/KYM1x_Power/shot"), []byte("1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !waitFor(2*time.Second, func() bool { st := s.Stats(); return st.Resets.Power == 1 && st.State == StateReady }) {
		t.Errorf("Stats() = %+v 2 s after a pulse, want 1 power reset and ready", s.Stats())
	}
}

// The network side ends a call while the host waits for the answer to its
// LCP Terminate-Request: the module acknowledges it before NO CARRIER,
// once, and not at all when the network side did.
func TestIntegrationTerminateAckedAtCallEnd(t *testing.T) {
	t.Parallel()
	ack := string(termAckFrame(2))
	// The network side reads the whole request, then goes.
	read := fmt.Sprintf("head -c %d >/dev/null", len(hostTermReq(2)))
	// The network's acknowledgement carries data, so that it is told apart
	// from the module's.
	netAck := string(encodeFrame([]byte{0xff, 0x03, 0xc0, 0x21, lcpTermAck, 2, 0, 6, 'n', 'w'}))
	answer := read + "; printf '" + shellOctal(netAck) + "'"
	for _, tc := range []struct {
		name, script, knob, want string
	}{
		{"network gone without an answer", read, "", ack + "\r\nNO CARRIER\r\n"},
		{"network answered", answer, "", netAck + "\r\nNO CARRIER\r\n"},
		// Only the flags of the network's frame reach the host.
		{"network's answer lost", answer, "termloss on", "~~" + ack + "\r\nNO CARRIER\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSim(t, Config{DataCommand: []string{"sh", "-c", tc.script}})
			if tc.knob != "" {
				do(t, s, tc.knob)
			}
			c := dialTTY(t, s.TTYPath())
			c.at("ATE0")
			if got, want := c.at("ATD*99#"), "\r\nCONNECT 460800\r\n"; got != want {
				t.Fatalf("ATD*99# = %q, want %q", got, want)
			}
			c.write(string(hostTermReq(2)))
			if got := c.expect("\r\nNO CARRIER\r\n", 3*time.Second); got != tc.want {
				t.Errorf("after the host's Terminate-Request 2, read %q, want %q", got, tc.want)
			}
		})
	}
}

// shellOctal writes s as printf octal escapes.
func shellOctal(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "\\%03o", s[i])
	}
	return b.String()
}
