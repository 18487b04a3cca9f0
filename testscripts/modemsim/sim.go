package modemsim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
)

// Defaults of Config.
const (
	DefaultDev        = "1-1"
	DefaultResetDelay = time.Second
)

// resetGrace is how long a module keeps its tty after answering OK to its
// reset command, so that the client reads the OK.
const resetGrace = 100 * time.Millisecond

// maxLine bounds a command line; longer input without a line end is junk.
const maxLine = 1024

// States that Stats reports. A given tty whose line is down for a moment
// after a dropped call (callend) also reports StateResetting.
const (
	StateReady     = "ready"
	StateResetting = "resetting" // restarting, deauthorized, or not started yet
	StateUnplugged = "unplugged"
	StateHung      = "hung"
	StateInCall    = "in-call"
	StateStopped   = "stopped" // Run has returned
)

// Config says which module to play and where.
type Config struct {
	// Model is the module played: its identity, USB id, driver, alias, reset
	// command and reset lines (modem.ByName).
	Model modem.Model
	// Root, when set, makes the module visible as on a real system under
	// Root: a fake sysfs USB device (for models with a known USB id), the
	// tty Root/dev/<kernel name> as a symlink to the pty, and the reset
	// lines as LEDs under Root/sys/class/leds.
	Root string
	// Dev is the USB device name of the fake device (DefaultDev).
	Dev string
	// TTY, when set, is served instead of a new pty (the gadget side of a
	// real USB device, /dev/ttyGS0); there is no fake sysfs device then.
	TTY string
	// AliasLink also makes Root/dev/<Model.Alias>, as the vendor's udev rule.
	AliasLink bool
	// DataCommand is started for each call with the data stream on its
	// stdin and stdout; the call ends when it exits. Empty: data is dropped.
	DataCommand []string
	// Control, when set, is the path of a unix socket that takes the
	// commands of Do, one per line.
	Control string
	// Log receives one line per command, reply and event.
	Log io.Writer
	// RegDelay is the time from power-on to registration.
	RegDelay time.Duration
	// ResetDelay is how long a reset module stays away (DefaultResetDelay
	// when zero, none when negative); the resetdelay command changes it.
	ResetDelay time.Duration
}

// Stats are the counters of a simulator and its state.
type Stats struct {
	Commands int `json:"commands"` // AT command lines received, answered or not
	// FlashWrites counts commands that write the flash of a module that
	// stores settings there (modem.Model.StoresInFlash); NVMWrites counts
	// the same commands on any module.
	FlashWrites int    `json:"flash_writes"`
	NVMWrites   int    `json:"nvm_writes"`
	Resets      Resets `json:"resets"`
	Dials       int    `json:"dials"`
	Calls       int    `json:"calls"`   // dials answered CONNECT
	Refused     int    `json:"refused"` // dials answered otherwise: no call
	// Dropped counts the calls the network ended right after CONNECT
	// (callend after-connect).
	Dropped     int    `json:"dropped"`
	CPINQueries int    `json:"cpin_queries"` // AT+CPIN? asked
	State       string `json:"state"`
	TTY         string `json:"tty"` // kernel tty name while present, else ""
	Knobs       Knobs  `json:"knobs"`
}

// Knobs are the control settings in force, named as the control commands
// name them.
type Knobs struct {
	Hung       bool   `json:"hung"`
	NoCarrier  bool   `json:"nocarrier"`
	Blackhole  bool   `json:"blackhole"`
	TermLoss   bool   `json:"termloss"`
	Rename     bool   `json:"rename"`
	USBCures   bool   `json:"usbcures"`
	ATReset    bool   `json:"atreset"`
	ResetDelay string `json:"resetdelay"` // a Go duration: "1s"
	RegDelay   string `json:"regdelay"`
	SIM        string `json:"sim"`     // ready, absent, pin, puk
	Reg        string `json:"reg"`     // home, roaming, denied, searching
	CallEnd    string `json:"callend"` // off, after-connect
}

// Resets counts the resets by kind.
type Resets struct {
	AT    int `json:"at"`
	USB   int `json:"usb"`
	Power int `json:"power"`
}

// knobs are the faults and behaviours switched through Do.
type knobs struct {
	hung, nocarrier, blackhole, rename, usbcures, atreset, termloss bool

	callend    bool // the network ends each call right after CONNECT
	resetDelay time.Duration
	sim        simState
	net        network
	searching  time.Time // with netHome: the module searches until then
}

// Sim is a simulated 3G/4G module.
type Sim struct {
	cfg    Config
	log    *logger
	ready  chan struct{}
	stopCh chan struct{}
	wg     sync.WaitGroup

	mu           sync.Mutex
	knobs        knobs
	eng          *engine
	stats        Stats
	port         *port
	muted        bool // restarting: the tty is still there but nothing answers
	unplugged    bool
	deauthorized bool // authorized is 0: the tty stays away until it is 1
	gen          int  // bumped by every reset, unplug and stop; stale timers check it
	index        int  // number of the kernel tty name
	ttyName      string
	call         *call
	running      bool
	stopped      bool
	sysfs        *sysfsWatch
	devDir       string // the fake device's directory, watched for authorized
	devWd        int32
	ledWds       map[int32]string
	ledsMade     []string
	listener     net.Listener
	conns        map[net.Conn]bool
}

// New checks cfg and returns a simulator; Run starts it.
func New(cfg Config) (*Sim, error) {
	if cfg.Model.Name == "" {
		return nil, errors.New("modemsim: no model")
	}
	if cfg.Dev == "" {
		cfg.Dev = DefaultDev
	}
	if strings.ContainsAny(cfg.Dev, "/:") {
		return nil, fmt.Errorf("modemsim: USB device name %q: want a name like 1-1", cfg.Dev)
	}
	switch {
	case cfg.ResetDelay == 0:
		cfg.ResetDelay = DefaultResetDelay
	case cfg.ResetDelay < 0:
		cfg.ResetDelay = 0
	}
	if cfg.RegDelay < 0 {
		return nil, fmt.Errorf("modemsim: negative registration delay %v", cfg.RegDelay)
	}
	if len(cfg.DataCommand) > 0 && cfg.DataCommand[0] == "" {
		return nil, errors.New("modemsim: empty data command")
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s := &Sim{
		cfg:    cfg,
		log:    &logger{w: cfg.Log},
		ready:  make(chan struct{}),
		stopCh: make(chan struct{}),
		knobs:  knobs{usbcures: true, atreset: true, resetDelay: cfg.ResetDelay},
		eng:    newEngine(cfg.Model, cfg.RegDelay),
		devWd:  -1,
		ledWds: map[int32]string{},
		conns:  map[net.Conn]bool{},
	}
	s.ttyName = s.kernelName()
	return s, nil
}

// Ready is closed once the module serves its tty.
func (s *Sim) Ready() <-chan struct{} {
	return s.ready
}

// TTYPath is the path a client opens: Root/dev/<kernel name> with Root,
// TTY when given, else the pty slave. The name changes when the module
// comes back renamed; without Root, the pty slave also changes when a
// call ends with callend after-connect (the old one is hung up).
func (s *Sim) TTYPath() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.cfg.TTY != "":
		return s.cfg.TTY
	case s.cfg.Root != "":
		return filepath.Join(s.cfg.Root, "dev", s.ttyName)
	case s.port != nil:
		return s.port.slave
	}
	return ""
}

// Stats returns the counters, the state and the knobs.
func (s *Sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statsLocked()
}

func (s *Sim) statsLocked() Stats {
	st := s.stats
	st.State = s.stateLocked()
	if s.port != nil {
		st.TTY = s.ttyName
	}
	k := s.knobs
	st.Knobs = Knobs{
		Hung: k.hung, NoCarrier: k.nocarrier, Blackhole: k.blackhole, TermLoss: k.termloss,
		Rename: k.rename, USBCures: k.usbcures, ATReset: k.atreset,
		ResetDelay: k.resetDelay.String(), RegDelay: s.eng.regDelay.String(),
		SIM: k.sim.String(), Reg: s.regLocked(time.Now()), CallEnd: "off",
	}
	if k.callend {
		st.Knobs.CallEnd = "after-connect"
	}
	return st
}

// regLocked names the network's answer now: a timed search that is over
// is home again.
func (s *Sim) regLocked(now time.Time) string {
	if s.knobs.net == netHome && now.Before(s.knobs.searching) {
		return netSearching.String()
	}
	return s.knobs.net.String()
}

func (s *Sim) stateLocked() string {
	switch {
	case s.stopped:
		return StateStopped
	case s.unplugged:
		return StateUnplugged
	case s.port == nil || s.muted:
		return StateResetting
	case s.knobs.hung:
		return StateHung
	case s.call != nil:
		return StateInCall
	}
	return StateReady
}

// Run serves the module until ctx ends, then removes its tty links, fake
// device, LEDs and control socket.
func (s *Sim) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("modemsim: Run called twice")
	}
	s.running = true
	s.mu.Unlock()
	if err := s.start(); err != nil {
		s.stop()
		return err
	}
	close(s.ready)
	s.log.printf("ready: %s %s on %s", s.cfg.Model.Maker, s.cfg.Model.Name, s.describeTTY())
	<-ctx.Done()
	s.stop()
	s.log.printf("stopped")
	return nil
}

func (s *Sim) start() error {
	if s.cfg.Root != "" {
		w, err := newSysfsWatch()
		if err != nil {
			return err
		}
		s.sysfs = w
		for _, name := range s.cfg.Model.ResetLines {
			dir := filepath.Join(s.cfg.Root, ledsDir, name)
			if _, err := os.Stat(dir); err != nil {
				s.ledsMade = append(s.ledsMade, dir)
			}
			if err := makeLED(s.cfg.Root, name); err != nil {
				return err
			}
			wd, err := w.add(dir)
			if err != nil {
				return err
			}
			s.ledWds[wd] = name
		}
		s.wg.Add(1)
		go s.watchSysfs()
	}
	s.mu.Lock()
	err := s.appearLocked()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if s.cfg.Control != "" {
		if err := s.listen(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sim) stop() {
	s.mu.Lock()
	s.stopped = true
	close(s.stopCh)
	s.gen++
	s.teardownLocked()
	if s.fakeUSB() {
		if err := modemtest.RemoveFakeUSB(s.cfg.Root, s.cfg.Dev); err != nil {
			s.log.printf("%v", err)
		}
	}
	for c := range s.conns {
		c.Close()
	}
	l := s.listener
	s.mu.Unlock()
	if l != nil {
		l.Close() // removes the socket file
	}
	if s.sysfs != nil {
		s.sysfs.close()
	}
	for _, dir := range s.ledsMade {
		os.RemoveAll(dir)
	}
	s.wg.Wait()
}

// fakeUSB: the module shows as a fake sysfs USB device under Root.
func (s *Sim) fakeUSB() bool {
	return s.cfg.Root != "" && s.cfg.TTY == "" && len(s.cfg.Model.USB) > 0
}

// links: the module's tty shows under Root/dev.
func (s *Sim) links() bool {
	return s.cfg.Root != "" && s.cfg.TTY == ""
}

// kernelName is the tty name the kernel's driver gives the module.
func (s *Sim) kernelName() string {
	prefix := "ttyUSB"
	if s.cfg.Model.Driver == "cdc_acm" {
		prefix = "ttyACM"
	}
	return prefix + strconv.Itoa(s.index)
}

func (s *Sim) describeTTY() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.port == nil {
		return "(no tty)"
	}
	if s.links() {
		return fmt.Sprintf("%s -> %s", filepath.Join(s.cfg.Root, "dev", s.ttyName), s.port.slave)
	}
	return s.port.slave
}

// appearLocked brings the module up: a new pty (or the given tty), the fake
// device with its tty, the /dev links, and a fresh power-on.
func (s *Sim) appearLocked() error {
	var p *port
	var err error
	if s.cfg.TTY != "" {
		p, err = openTTY(s.cfg.TTY)
	} else {
		p, err = openPTY()
	}
	if err != nil {
		return err
	}
	name := s.kernelName()
	if s.fakeUSB() {
		m := s.cfg.Model
		err = modemtest.WriteFakeUSBSysfs(s.cfg.Root, s.cfg.Dev, m.USB[0], m.Driver, map[int]string{max(m.ATInterface, 0): name})
		if err == nil {
			err = s.watchDeviceLocked()
		}
	}
	if err == nil && s.links() {
		// The alias first: whoever waits for the kernel's name to appear
		// then finds the alias there too.
		if s.cfg.AliasLink && s.cfg.Model.Alias != "" {
			err = linkTTY(s.cfg.Root, s.cfg.Model.Alias, p.slave)
		}
		if err == nil {
			err = linkTTY(s.cfg.Root, name, p.slave)
		}
	}
	if err != nil {
		p.close()
		return err
	}
	s.port, s.ttyName, s.muted = p, name, false
	s.eng.powerOn(time.Now())
	s.servePortLocked(p)
	if s.links() {
		s.log.printf("up: %s -> %s", filepath.Join(s.cfg.Root, "dev", name), p.slave)
	} else {
		s.log.printf("up: %s", p.slave)
	}
	return nil
}

// servePortLocked starts reading p, the module's line from now on.
func (s *Sim) servePortLocked(p *port) {
	s.wg.Add(1)
	go s.serve(p)
	if p.watch != nil {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			p.watch.run()
		}()
	}
}

func (s *Sim) watchDeviceLocked() error {
	dir, err := filepath.EvalSymlinks(filepath.Join(s.cfg.Root, usbDevices, s.cfg.Dev))
	if err != nil {
		return fmt.Errorf("modemsim: %w", err)
	}
	wd, err := s.sysfs.add(dir)
	if err != nil {
		return err
	}
	s.devDir, s.devWd = dir, wd
	return nil
}

// teardownLocked makes the tty disappear: the call ends, the pty closes,
// the /dev links and the device's interfaces go.
func (s *Sim) teardownLocked() {
	s.endCallLocked()
	if s.port != nil {
		s.port.close()
		s.port = nil
	}
	s.muted = false
	if s.links() {
		unlinkTTY(s.cfg.Root, s.ttyName)
		if s.cfg.AliasLink && s.cfg.Model.Alias != "" {
			unlinkTTY(s.cfg.Root, s.cfg.Model.Alias)
		}
	}
	if s.fakeUSB() {
		if err := removeInterfaces(s.cfg.Root, s.cfg.Dev); err != nil {
			s.log.printf("%v", err)
		}
	}
}

// resetLocked restarts the module: it stops answering, its tty disappears
// after grace, and it comes back after the reset delay.
func (s *Sim) resetLocked(kind string, grace time.Duration) {
	switch kind {
	case "at":
		s.stats.Resets.AT++
	case "usb":
		s.stats.Resets.USB++
	case "power":
		s.stats.Resets.Power++
	}
	if s.unplugged {
		s.log.printf("%s reset: the module is unplugged; nothing happens", kind)
		return
	}
	if s.knobs.hung && (kind == "power" || kind == "usb" && s.knobs.usbcures) {
		s.knobs.hung = false
		s.log.printf("%s reset clears the hang", kind)
	}
	s.gen++
	g := s.gen
	s.muted = true
	s.endCallLocked()
	s.log.printf("%s reset: restarting", kind)
	if grace <= 0 {
		s.goneLocked(g)
		return
	}
	time.AfterFunc(grace, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.gen == g && !s.stopped {
			s.goneLocked(g)
		}
	})
}

func (s *Sim) goneLocked(g int) {
	s.teardownLocked()
	if s.deauthorized {
		s.log.printf("tty gone; back when authorized is 1")
		return
	}
	d := s.knobs.resetDelay
	s.log.printf("tty gone; back in %v", d)
	time.AfterFunc(d, func() { s.comeBack(g) })
}

func (s *Sim) comeBack(g int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || s.gen != g || s.unplugged || s.deauthorized || s.port != nil {
		return
	}
	if s.knobs.rename {
		s.index++
	}
	if err := s.appearLocked(); err != nil {
		s.log.printf("cannot come back: %v", err)
	}
}

// watchSysfs turns writes to the fake device's authorized file and to the
// LEDs' shot files into resets.
func (s *Sim) watchSysfs() {
	defer s.wg.Done()
	buf := make([]byte, 64*1024)
	for {
		evs, err := s.sysfs.read(buf)
		if err != nil {
			return
		}
		s.sysfsEvents(evs)
	}
}

func (s *Sim) sysfsEvents(evs []sysfsEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	authorized, closes := false, 0
	for _, ev := range evs {
		if ev.wd == s.devWd && ev.name == "authorized" {
			authorized = true
			if ev.mask&syscall.IN_CLOSE_WRITE != 0 {
				closes++
			}
			continue
		}
		led, ok := s.ledWds[ev.wd]
		if !ok || ev.name != "shot" || ev.mask&syscall.IN_CLOSE_WRITE == 0 {
			continue
		}
		dir := filepath.Join(s.cfg.Root, ledsDir, led)
		if b, err := os.ReadFile(filepath.Join(dir, "shot")); err != nil || len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if !ledArmed(dir) {
			s.log.printf("shot on LED %s ignored: its trigger is not oneshot", led)
			continue
		}
		s.log.printf("power line %s pulsed", led)
		s.resetLocked("power", 0)
	}
	if authorized {
		b, err := os.ReadFile(filepath.Join(s.devDir, "authorized"))
		if err == nil {
			s.authorizedLocked(strings.TrimSpace(string(b)), closes)
		}
	}
}

// authorizedLocked follows the device's authorized file: "0" deconfigures
// it (the tty goes), "1" after "0" re-enumerates it, which is a USB reset.
// closes is the number of completed writes seen at once: "0" and "1" both
// written before the file was read.
func (s *Sim) authorizedLocked(content string, closes int) {
	switch {
	case s.unplugged:
	case content == "0" && !s.deauthorized:
		s.deauthorized = true
		s.gen++
		s.log.printf("authorized 0: USB device deconfigured; tty gone")
		s.teardownLocked()
	case content == "1" && s.deauthorized:
		s.deauthorized = false
		s.log.printf("authorized 1: USB device re-enumerates")
		s.resetLocked("usb", 0)
	case content == "1" && closes >= 2:
		s.log.printf("authorized 0 and 1, written before they were read: USB device re-enumerates")
		s.resetLocked("usb", 0)
	}
}

// serve reads what the client sends: command lines, or data during a call.
func (s *Sim) serve(p *port) {
	defer s.wg.Done()
	buf := make([]byte, 4096)
	var line []byte
	for {
		n, err := p.rw.Read(buf)
		if n > 0 {
			line = s.input(p, buf[:n], line)
		}
		if err == nil {
			continue
		}
		if s.cfg.TTY == "" || errors.Is(err, os.ErrClosed) {
			return
		}
		// A gadget tty is hung up when the USB host deconfigures the
		// device (authorized 0, unbind, unplug): from then on it reads
		// end-of-file, and only a new open hears the host again. For the
		// module that is a USB re-enumeration.
		s.mu.Lock()
		if s.port == p && !s.stopped {
			s.log.printf("the USB host deconfigured the device (%s hung up)", s.cfg.TTY)
			s.resetLocked("usb", 0)
		}
		s.mu.Unlock()
		return
	}
}

// input handles data from the client; line is the command line so far.
func (s *Sim) input(p *port, data, line []byte) []byte {
	for len(data) > 0 {
		s.mu.Lock()
		if s.port != p {
			s.mu.Unlock()
			return nil
		}
		if c := s.call; c != nil {
			if c.doomed && !s.knobs.hung {
				// The host speaks PPP (its LCP Configure-Request): the
				// network ends the call before it reaches anyone.
				out := s.dropCallLocked(c, "the host's first bytes after CONNECT")
				s.mu.Unlock()
				p.write(out)
				return line[:0]
			}
			drop := s.knobs.blackhole || s.knobs.hung
			s.mu.Unlock()
			if !drop {
				c.send(data)
			}
			return line[:0]
		}
		s.mu.Unlock()
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			line = append(line, data...)
			if len(line) > maxLine {
				line = line[:0]
			}
			return line
		}
		line = append(line, data[:i]...)
		data = data[i+1:]
		if len(line) > 0 && len(line) <= maxLine {
			s.command(p, string(line))
		}
		line = line[:0]
	}
	return line
}

// command answers one command line.
func (s *Sim) command(p *port, line string) {
	s.mu.Lock()
	if s.port != p {
		s.mu.Unlock()
		return
	}
	if s.muted || s.knobs.hung {
		if len(line) >= 2 && strings.EqualFold(line[:2], "AT") {
			s.stats.Commands++
			why := "hung"
			if s.muted {
				why = "restarting"
			}
			s.log.printf("< %s (no answer: %s)", show(line), why)
		}
		s.mu.Unlock()
		return
	}
	r := s.eng.exec(line, s.conditionsLocked())
	if r.ignored {
		s.mu.Unlock()
		return
	}
	s.stats.Commands++
	s.stats.FlashWrites += r.flash
	s.stats.NVMWrites += r.nvm
	s.stats.CPINQueries += r.cpin
	if r.dialed {
		s.stats.Dials++
		if r.action != actConnect {
			s.stats.Refused++
		}
	}
	s.log.printf("< %s", show(line))
	s.log.printf("> %s", strings.Join(append(r.info, r.final), " | "))
	var c *call
	switch r.action {
	case actReset:
		s.resetLocked("at", resetGrace)
	case actConnect:
		s.stats.Calls++
		c = &call{p: p, doomed: s.knobs.callend}
		s.call = c
		if c.doomed {
			s.doomLocked(c)
		}
	}
	s.mu.Unlock()
	p.write(r.out)
	if c != nil {
		s.startCall(c)
	}
}

func (s *Sim) conditionsLocked() conditions {
	k := s.knobs
	return conditions{now: time.Now(), sim: k.sim, net: k.net, searching: k.searching,
		nocarrier: k.nocarrier, atreset: k.atreset}
}

// show is a command line for the log, quoted when it holds control bytes.
func show(line string) string {
	for _, r := range line {
		if r < ' ' || r > '~' {
			return strconv.Quote(line)
		}
	}
	return line
}

// logger writes time-stamped lines to the log, one writer at a time.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logger) printf(format string, args ...any) {
	line := fmt.Sprintf("%s modemsim: %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, line)
}

// Write passes a data command's stderr to the log.
func (l *logger) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(b)
	return len(b), nil
}
