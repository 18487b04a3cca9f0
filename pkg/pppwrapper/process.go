package pppwrapper

import (
	"errors"
	"io"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// process is a child the wrapper owns (pppd or modem_reset), in a process
// group of its own so that a kill reaches its children too (chat, the
// connect script).
type process struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	done chan struct{}
}

// start runs path with args; onExit gets the exit status (-1 when killed
// by a signal) once it ends.
func start(path string, args []string, out io.Writer, onExit func(code int)) (*process, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode() // -1 when signalled
		} else if err != nil {
			code = -1
		}
		close(p.done)
		onExit(code)
	}()
	return p, nil
}

func (p *process) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// signal sends sig to the process itself (pppd handles SIGTERM by ending
// the link cleanly and killing its own children).
func (p *process) signal(sig syscall.Signal) {
	if p.running() {
		p.cmd.Process.Signal(sig)
	}
}

// kill ends the whole process group at once.
func (p *process) kill() {
	if p.running() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// waitFor waits until the process ended or d passed.
func (p *process) waitFor(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}
