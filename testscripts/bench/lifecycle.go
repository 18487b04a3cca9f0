package main

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// child is a process the harness started, in a process group of its own so
// that its children go with it.
type child struct {
	cmd      *exec.Cmd
	done     chan struct{}
	err      error // cmd.Wait's, once done is closed
	stopOnce sync.Once
}

func startChild(cmd *exec.Cmd) (*child, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	atExit(c.stop)
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func (c *child) running() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// stop ends the child: SIGTERM, up to 5 s, then SIGKILL to its whole
// process group (which also reaches children it left behind).
func (c *child) stop() {
	c.stopOnce.Do(func() {
		if c.running() {
			c.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
			}
		}
		syscall.Kill(-c.pid(), syscall.SIGKILL)
		<-c.done
	})
}

// wait waits for the child to end by itself, at most d.
func (c *child) wait(d time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(d):
		return false
	}
}

// killPid ends a process the harness did not start itself but made
// happen (the wrapper's stand-in pppd), when it is still there.
func killPid(pid int) {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return
	}
	syscall.Kill(pid, syscall.SIGTERM)
	for range 50 {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
}

var (
	exitMu   sync.Mutex
	exitFunc []func()
)

// atExit registers f to run, last registered first, when the harness
// ends: normally, on a fatal error or on SIGINT/SIGTERM.
func atExit(f func()) {
	exitMu.Lock()
	defer exitMu.Unlock()
	exitFunc = append(exitFunc, f)
}

func runAtExit() {
	exitMu.Lock()
	fs := exitFunc
	exitFunc = nil
	exitMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// exit runs the registered cleanups and ends the harness.
func exit(code int) {
	runAtExit()
	os.Exit(code)
}
