package modemsim

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// killDelay is how long a data command has to exit after SIGTERM.
const killDelay = 2 * time.Second

// Timing of a call the network ends right after CONNECT (callend).
const (
	// doomWait: the call ends when the host first sends data, or after
	// this long. pppd heeds the carrier only once its connect script has
	// exited (pppd's tty.c sets CLOCAL while the script runs and clears
	// it after, under the default "modem" option); a drop before that
	// would go unseen. The generated chat script waits a second after
	// CONNECT (its "\d", chat(8)); the host's first bytes after that are
	// its LCP Configure-Request.
	doomWait = 5 * time.Second
	// carrierGrace: NO CARRIER goes out this long before the line hangs
	// up, so that a reader of the tty gets it before the hangup.
	carrierGrace = 100 * time.Millisecond
	// carrierGap: how long a given tty stays closed, so that the ACM
	// gadget's carrier-off notification reaches the USB host before the
	// carrier comes back.
	carrierGap = 300 * time.Millisecond
)

// call is a data call: the byte stream between the client and the data
// command. Its fields but p are guarded by Sim.mu once the command runs.
type call struct {
	p      *port
	cmd    *exec.Cmd
	in     *os.File // the command's stdin
	out    *os.File // the command's stdout
	pumped chan struct{}
	exited bool
	ended  bool
	doomed bool        // the network ends it before any data passes (callend)
	term   termTracker // the LCP terminate handshake, see lcpterm.go
}

// send passes client data to the command; without one it is dropped.
func (c *call) send(b []byte) {
	if c.in != nil {
		c.term.host(b)
		_, _ = c.in.Write(b)
	}
}

// stopCallLocked ends the command of c: SIGTERM to its process group,
// SIGKILL if it is still there after killDelay.
func (s *Sim) stopCallLocked(c *call) {
	c.ended = true
	if c.cmd == nil || c.exited {
		return
	}
	pid := c.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	time.AfterFunc(killDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !c.exited {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	})
}

// endCallLocked ends the call without a word to the client: the module is
// going away.
func (s *Sim) endCallLocked() {
	if c := s.call; c != nil {
		s.call = nil
		s.stopCallLocked(c)
		s.log.printf("call ended")
	}
}

// hangupLocked ends the call as the network would: the client reads NO
// CARRIER. It returns the port and the text to send there.
func (s *Sim) hangupLocked() (*port, []byte) {
	c := s.call
	if c == nil {
		return nil, nil
	}
	s.call = nil
	s.stopCallLocked(c)
	s.log.printf("call hung up: > NO CARRIER")
	return c.p, []byte(s.eng.format(nil, "NO CARRIER"))
}

// startCall runs the data command of call c, which the client just heard
// CONNECT for.
func (s *Sim) startCall(c *call) {
	argv := s.cfg.DataCommand
	if len(argv) == 0 {
		s.log.printf("call up; no data command: data is dropped")
		return
	}
	s.mu.Lock()
	ended, doomed := c.ended, c.doomed
	s.mu.Unlock()
	if ended || doomed {
		return // hung up or reset before it started, or refused by the network
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		s.callFailed(c, err)
		return
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		s.callFailed(c, err)
		return
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, s.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = killDelay
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		s.callFailed(c, err)
		return
	}
	s.log.printf("call up: data command %s (pid %d)", argv[0], cmd.Process.Pid)
	s.mu.Lock()
	c.cmd, c.in, c.out, c.pumped = cmd, inW, outR, make(chan struct{})
	if c.ended {
		s.stopCallLocked(c) // hung up while it started
	}
	s.mu.Unlock()
	s.wg.Add(2)
	go s.pump(c)
	go s.waitCall(c)
}

func (s *Sim) callFailed(c *call, err error) {
	s.log.printf("call: data command: %v", err)
	s.mu.Lock()
	var out []byte
	if s.call == c {
		_, out = s.hangupLocked()
	}
	s.mu.Unlock()
	c.p.write(out)
}

// pump carries the command's output to the client.
func (s *Sim) pump(c *call) {
	defer s.wg.Done()
	defer close(c.pumped)
	buf := make([]byte, 4096)
	for {
		n, err := c.out.Read(buf)
		if n > 0 {
			s.mu.Lock()
			pass := s.call == c && !s.knobs.blackhole && !s.knobs.hung
			lose := s.knobs.termloss
			s.mu.Unlock()
			if pass {
				out, lost := c.term.remote(buf[:n], lose)
				if lost > 0 {
					s.log.printf("termloss: the network's LCP Terminate-Ack is lost on its way to the host")
				}
				c.p.write(out)
			}
		}
		if err != nil {
			return
		}
	}
}

// waitCall ends the call when the command exits: NO CARRIER, back to
// command mode.
func (s *Sim) waitCall(c *call) {
	defer s.wg.Done()
	err := c.cmd.Wait()
	s.mu.Lock()
	c.exited = true
	s.mu.Unlock()
	select {
	case <-c.pumped:
	case <-time.After(500 * time.Millisecond):
		// Its children still hold the pipe.
	}
	c.out.Close()
	<-c.pumped
	c.in.Close()
	s.mu.Lock()
	var out []byte
	if s.call == c {
		s.call = nil
		how := "exited"
		if err != nil {
			how = err.Error()
		}
		if id, ok := c.term.unanswered(); ok {
			s.log.printf("call ended: the host's LCP Terminate-Request (id %#x) went unanswered: the module acknowledges it", id)
			out = termAckFrame(id)
		}
		s.log.printf("call ended: data command %s: > NO CARRIER", how)
		out = append(out, s.eng.format(nil, "NO CARRIER")...)
	}
	s.mu.Unlock()
	c.p.write(out)
}

// doomLocked arms the end of a call the network refuses after CONNECT:
// doomWait after CONNECT if the host says nothing before. A hung module
// says nothing; the host's next bytes end the call once it answers again.
func (s *Sim) doomLocked(c *call) {
	s.log.printf("callend: the network will end the call before any data passes")
	time.AfterFunc(doomWait, func() {
		s.mu.Lock()
		var out []byte
		if s.call == c && !s.knobs.hung {
			out = s.dropCallLocked(c, fmt.Sprintf("%v after CONNECT", doomWait))
		}
		s.mu.Unlock()
		c.p.write(out)
	})
}

// dropCallLocked ends call c as a lost carrier does on a real module: NO
// CARRIER, which it returns to send, then carrierGrace later the line
// hangs up (dropLineLocked), so that the host's pppd sees the modem hang
// up (exit 16) rather than a PPP peer that says goodbye.
func (s *Sim) dropCallLocked(c *call, why string) []byte {
	s.call = nil
	c.ended = true
	s.stats.Dropped++
	s.log.printf("callend: the network ends the call (%s): > NO CARRIER, carrier off", why)
	p, g := c.p, s.gen
	time.AfterFunc(carrierGrace, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.gen == g && s.port == p && !s.muted && !s.stopped {
			s.dropLineLocked(p)
		}
	})
	return []byte(s.eng.format(nil, "NO CARRIER"))
}

// dropLineLocked hangs up the host's side of the line p without restarting
// the module (its settings stay). A pty has no carrier line: closing its
// master hangs up the slave (the kernel's tty_vhangup: reads end, SIGHUP to
// the session that has it as controlling tty), so the module goes on on a
// new pty and ROOT/dev/<tty> now points there, as a real tty is opened
// again after a hangup. A given tty (a USB gadget's ttyGS0) is closed and
// opened again carrierGap later: the ACM gadget reports carrier (DCD) to
// the USB host while its tty is open (Linux's u_serial.c and f_acm.c), and
// the host's cdc-acm.c hangs up its ttyACM when DCD drops on a tty without
// CLOCAL, as pppd's is once chat is done.
func (s *Sim) dropLineLocked(p *port) {
	if s.cfg.TTY != "" {
		s.port = nil
		p.close()
		s.log.printf("callend: %s closed: carrier off for %v", s.cfg.TTY, carrierGap)
		g := s.gen
		time.AfterFunc(carrierGap, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.gen != g || s.port != nil || s.muted || s.stopped || s.unplugged || s.deauthorized {
				return
			}
			np, err := openTTY(s.cfg.TTY)
			if err != nil {
				s.log.printf("callend: cannot open %s again: %v", s.cfg.TTY, err)
				return
			}
			s.port = np
			s.servePortLocked(np)
			s.log.printf("callend: %s open again: carrier on", s.cfg.TTY)
		})
		return
	}
	np, err := openPTY()
	if err == nil && s.links() {
		if s.cfg.AliasLink && s.cfg.Model.Alias != "" {
			err = linkTTY(s.cfg.Root, s.cfg.Model.Alias, np.slave)
		}
		if err == nil {
			err = linkTTY(s.cfg.Root, s.ttyName, np.slave)
		}
	}
	if err != nil {
		if np != nil {
			np.close()
		}
		s.log.printf("callend: no new pty: %v; the line stays up", err)
		return
	}
	s.port = np
	s.servePortLocked(np)
	p.close()
	s.log.printf("callend: %s hung up; the module goes on on %s", p.slave, np.slave)
}
