package modemsim

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// killDelay is how long a data command has to exit after SIGTERM.
const killDelay = 2 * time.Second

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
	ended := c.ended
	s.mu.Unlock()
	if ended {
		return // hung up or reset before it started
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
