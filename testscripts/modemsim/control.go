package modemsim

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
)

// Commands lists the control commands, for usage texts.
const Commands = `  hung on|off        stop answering AT entirely (a hung module); read and drop
  nocarrier on|off   dialing answers NO CARRIER
  noreg on|off       the network refuses registration: stat 3, dialing fails
                     (on is reg denied; off ends a denial: reg home)
  sim absent|pin|puk|ready
                     the SIM card: AT+CPIN? answers +CME ERROR: 10 (as AT+CMEE
                     asks), +CPIN: SIM PIN, +CPIN: SIM PUK or +CPIN: READY;
                     until ready, registration stat 0, AT+CIMI and AT+CGDCONT=
                     fail (+CME ERROR 10, 11, 12) and dialing answers NO CARRIER;
                     ready again, the module registers after the regdelay
  reg home|roaming|denied|searching [SECONDS]
                     the network: registration stat 1, 5, 3, 2 (CREG, CGREG,
                     CEREG); searching N: 2 for N seconds, then home; dialing
                     fails unless home or roaming; back from denied or
                     searching, the module registers after the regdelay
  regdelay SECONDS   time from power-on (or a registration restart) to
                     registration (default --reg-delay)
  callend after-connect on|off
                     the network ends each call right after CONNECT, before
                     any data passes: at the host's first bytes (its LCP
                     Configure-Request) or 5 s after CONNECT, NO CARRIER, then
                     the line hangs up (the host's pppd: exit 16, modem hangup)
  blackhole on|off   during calls, drop every data byte both ways
  termloss on|off    the network side's LCP Terminate-Ack never reaches the host
                     (the module answers the host's request itself at call end)
  rename on|off      come back from a reset or replug under the next tty name
  usbcures on|off    whether a USB re-enumeration clears a hang (default on)
  atreset on|off     whether the model's AT reset command works (default on)
  resetdelay SECONDS how long a reset module stays away (default 1)
  hangup             end the current call: NO CARRIER
  unplug             disappear: tty links and fake USB device removed
  replug             come back
  stats              counters, state and knobs as one JSON line`

// switches maps a knob's name to its field.
func (k *knobs) switches(name string) *bool {
	switch name {
	case "hung":
		return &k.hung
	case "nocarrier":
		return &k.nocarrier
	case "blackhole":
		return &k.blackhole
	case "termloss":
		return &k.termloss
	case "rename":
		return &k.rename
	case "usbcures":
		return &k.usbcures
	case "atreset":
		return &k.atreset
	}
	return nil
}

// Do runs a control command ("hung on", "stats"; see Commands) and returns
// its reply: "ok …", or for stats one line of JSON. A knob without on or
// off reports its setting.
func (s *Sim) Do(cmd string) (string, error) {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return "", errors.New("modemsim: empty control command")
	}
	s.mu.Lock()
	reply, p, out, err := s.doLocked(strings.ToLower(f[0]), f[1:])
	s.mu.Unlock()
	if p != nil {
		p.write(out)
	}
	if err != nil {
		return "", fmt.Errorf("modemsim: %s: %w", f[0], err)
	}
	return reply, nil
}

// doLocked runs a control command; what it returns to send on a port is
// sent after the lock is released.
func (s *Sim) doLocked(name string, args []string) (string, *port, []byte, error) {
	if sw := s.knobs.switches(name); sw != nil {
		if len(args) == 0 {
			return fmt.Sprintf("ok %s %s", name, onOff(*sw)), nil, nil, nil
		}
		if len(args) > 1 || (args[0] != "on" && args[0] != "off") {
			return "", nil, nil, fmt.Errorf("want on or off, not %q", strings.Join(args, " "))
		}
		*sw = args[0] == "on"
		s.log.printf("control: %s %s", name, args[0])
		return fmt.Sprintf("ok %s %s", name, args[0]), nil, nil, nil
	}
	switch name {
	case "noreg":
		return s.noregLocked(args)
	case "sim":
		return s.simLocked(args)
	case "reg":
		return s.regKnobLocked(args)
	case "callend":
		return s.callendLocked(args)
	case "regdelay":
		if len(args) == 0 {
			return fmt.Sprintf("ok regdelay %v", s.eng.regDelay), nil, nil, nil
		}
		d, err := parseDelay(args[0])
		if err != nil || len(args) > 1 {
			return "", nil, nil, fmt.Errorf("want seconds (1, 0.5) or a duration (500ms), not %q", strings.Join(args, " "))
		}
		s.eng.regDelay = d
		s.log.printf("control: regdelay %v", d)
		return fmt.Sprintf("ok regdelay %v", d), nil, nil, nil
	}
	if len(args) > 0 && name != "resetdelay" {
		return "", nil, nil, fmt.Errorf("unexpected argument %q", args[0])
	}
	switch name {
	case "resetdelay":
		if len(args) == 0 {
			return fmt.Sprintf("ok resetdelay %v", s.knobs.resetDelay), nil, nil, nil
		}
		d, err := parseDelay(args[0])
		if err != nil || len(args) > 1 {
			return "", nil, nil, fmt.Errorf("want seconds (1, 0.5) or a duration (500ms), not %q", strings.Join(args, " "))
		}
		s.knobs.resetDelay = d
		s.log.printf("control: resetdelay %v", d)
		return fmt.Sprintf("ok resetdelay %v", d), nil, nil, nil
	case "hangup":
		p, out := s.hangupLocked()
		if p == nil {
			return "ok no call", nil, nil, nil
		}
		return "ok hung up", p, out, nil
	case "unplug":
		if !s.running || s.stopped {
			return "", nil, nil, errors.New("the simulator is not running")
		}
		if s.unplugged {
			return "ok already unplugged", nil, nil, nil
		}
		s.unplugged, s.deauthorized = true, false
		s.gen++
		s.teardownLocked()
		if s.fakeUSB() {
			if err := modemtest.RemoveFakeUSB(s.cfg.Root, s.cfg.Dev); err != nil {
				s.log.printf("%v", err)
			}
			s.devWd = -1
		}
		s.log.printf("control: unplugged")
		return "ok unplugged", nil, nil, nil
	case "replug":
		if !s.running || s.stopped {
			return "", nil, nil, errors.New("the simulator is not running")
		}
		if !s.unplugged {
			return "ok already plugged", nil, nil, nil
		}
		s.unplugged = false
		s.knobs.hung = false // the power was off
		if s.knobs.rename {
			s.index++
		}
		s.log.printf("control: replug")
		if err := s.appearLocked(); err != nil {
			return "", nil, nil, err
		}
		return "ok replugged as " + s.ttyName, nil, nil, nil
	case "stats":
		b, err := json.Marshal(s.statsLocked())
		return string(b), nil, nil, err
	}
	return "", nil, nil, errors.New("unknown command; the commands are hung, nocarrier, noreg, sim, reg, regdelay, callend, blackhole, termloss, rename, usbcures, atreset, resetdelay, hangup, unplug, replug, stats")
}

// noregLocked is the older form of reg: on is reg denied; off ends a
// denial (reg home), and leaves any other setting alone.
func (s *Sim) noregLocked(args []string) (string, *port, []byte, error) {
	if len(args) == 0 {
		return "ok noreg " + onOff(s.knobs.net == netDenied), nil, nil, nil
	}
	if len(args) > 1 || (args[0] != "on" && args[0] != "off") {
		return "", nil, nil, fmt.Errorf("want on or off, not %q", strings.Join(args, " "))
	}
	switch {
	case args[0] == "on":
		s.setNetLocked(netDenied, 0)
	case s.knobs.net == netDenied:
		s.setNetLocked(netHome, 0)
	}
	s.log.printf("control: noreg %s", args[0])
	return "ok noreg " + args[0], nil, nil, nil
}

// simLocked sets the SIM card's state.
func (s *Sim) simLocked(args []string) (string, *port, []byte, error) {
	if len(args) == 0 {
		return "ok sim " + s.knobs.sim.String(), nil, nil, nil
	}
	i := -1
	if len(args) == 1 {
		i = slices.Index(simNames[:], args[0])
	}
	if i < 0 {
		return "", nil, nil, fmt.Errorf("want absent, pin, puk or ready, not %q", strings.Join(args, " "))
	}
	was := s.knobs.sim
	s.knobs.sim = simState(i)
	if was != simReady && s.knobs.sim == simReady {
		// A usable SIM at last: the module starts to register.
		s.eng.register(time.Now())
	}
	s.log.printf("control: sim %s", args[0])
	return "ok sim " + args[0], nil, nil, nil
}

// regKnobLocked sets what the network makes of the module's registration.
func (s *Sim) regKnobLocked(args []string) (string, *port, []byte, error) {
	now := time.Now()
	if len(args) == 0 {
		if left := s.knobs.searching.Sub(now); s.knobs.net == netHome && left > 0 {
			return fmt.Sprintf("ok reg searching %v", left.Round(time.Millisecond)), nil, nil, nil
		}
		return "ok reg " + s.knobs.net.String(), nil, nil, nil
	}
	n := slices.Index(networkNames[:], args[0])
	var d time.Duration
	switch {
	case n < 0, len(args) > 2, len(args) == 2 && network(n) != netSearching:
		return "", nil, nil, fmt.Errorf("want home, roaming, denied, or searching [SECONDS], not %q", strings.Join(args, " "))
	case len(args) == 2:
		var err error
		if d, err = parseDelay(args[1]); err != nil || d == 0 {
			return "", nil, nil, fmt.Errorf("want seconds (1, 0.5) or a duration (500ms) to search, not %q", args[1])
		}
	}
	s.setNetLocked(network(n), d)
	reply := "ok reg " + args[0]
	if d > 0 {
		reply += " " + d.String()
	}
	s.log.printf("control: %s", strings.TrimPrefix(reply, "ok "))
	return reply, nil, nil, nil
}

// setNetLocked changes the network's answer; searching for d > 0 is
// searching for that long, then home. A module the network turned away
// (denied, or searching) registers anew, after the registration delay,
// once it is let in; one already registered just changes network.
func (s *Sim) setNetLocked(n network, d time.Duration) {
	now := time.Now()
	k := &s.knobs
	wasIn := (k.net == netHome || k.net == netRoaming) && !now.Before(k.searching)
	k.searching = time.Time{}
	if n == netSearching && d > 0 {
		n, k.searching = netHome, now.Add(d)
	}
	k.net = n
	if !wasIn && (n == netHome || n == netRoaming) && k.searching.IsZero() {
		s.eng.register(now)
	}
}

// callendLocked switches whether the network ends each call right after
// CONNECT.
func (s *Sim) callendLocked(args []string) (string, *port, []byte, error) {
	switch {
	case len(args) == 0:
		return "ok callend after-connect " + onOff(s.knobs.callend), nil, nil, nil
	case len(args) == 2 && args[0] == "after-connect" && (args[1] == "on" || args[1] == "off"):
		s.knobs.callend = args[1] == "on"
	case len(args) == 1 && args[0] == "off":
		s.knobs.callend = false
	default:
		return "", nil, nil, fmt.Errorf("want after-connect on or after-connect off, not %q", strings.Join(args, " "))
	}
	reply := "ok callend after-connect " + onOff(s.knobs.callend)
	s.log.printf("control: %s", strings.TrimPrefix(reply, "ok "))
	return reply, nil, nil, nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// parseDelay takes seconds ("1", "0.5") or a Go duration ("500ms").
func parseDelay(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || f > 3600 {
			return 0, errors.New("out of range")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New("bad delay")
	}
	return d, nil
}

func (s *Sim) listen() error {
	path := s.cfg.Control
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		os.Remove(path) // left by a simulator that was killed
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("modemsim: control socket: %w", err)
	}
	s.mu.Lock()
	s.listener = l
	s.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			if s.stopped {
				s.mu.Unlock()
				conn.Close()
				return
			}
			s.conns[conn] = true
			s.wg.Add(1)
			s.mu.Unlock()
			go s.serveControl(conn)
		}
	}()
	return nil
}

// serveControl answers one control connection, one reply line per command.
func (s *Sim) serveControl(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		reply, err := s.Do(line)
		if err != nil {
			reply = "error " + strings.TrimPrefix(err.Error(), "modemsim: ")
		}
		if _, err := fmt.Fprintln(conn, reply); err != nil {
			return
		}
	}
}

// Control sends one command to the control socket of a simulator and
// returns the reply. A reply "error …" is returned with an error.
func Control(socket, cmd string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), controlTimeout)
	defer cancel()
	return control(ctx, socket, cmd)
}

// controlTimeout bounds a control command; none blocks for long.
const controlTimeout = 10 * time.Second

func control(ctx context.Context, socket, cmd string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return "", fmt.Errorf("modemsim: control: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	if _, err := fmt.Fprintln(conn, strings.ReplaceAll(cmd, "\n", " ")); err != nil {
		return "", fmt.Errorf("modemsim: control: %w", err)
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("modemsim: control %q: no reply: %w", cmd, err)
	}
	reply = strings.TrimRight(reply, "\n")
	if rest, ok := strings.CutPrefix(reply, "error "); ok {
		return reply, fmt.Errorf("modemsim: control %q: %s", cmd, rest)
	}
	return reply, nil
}
