package pppwrapper

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// process is a child the wrapper owns (pppd or modem_reset), in a process
// group of its own so that a kill reaches its children too (chat, the
// connect script). It gets SIGTERM if the wrapper dies, and once it has
// ended, whatever is left of its group is killed.
type process struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	done chan struct{}
}

// start runs path with args; onExit gets the exit status (-1 when killed
// by a signal) once it ends and its process group is gone.
func start(path string, args []string, out io.Writer, onExit func(code int)) (*process, error) {
	return startReporting(path, args, out, "", func(code int, _ string) { onExit(code) })
}

// startReporting is start for a child that reports as it goes: with
// reportEnv set, the child gets a pipe as fd 3 and reportEnv=3 in its
// environment, and onExit gets what it wrote there too.
func startReporting(path string, args []string, out io.Writer, reportEnv string, onExit func(code int, report string)) (*process, error) {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	var r *os.File
	if reportEnv != "" {
		var w *os.File
		var err error
		if r, w, err = os.Pipe(); err != nil {
			return nil, err
		}
		defer w.Close()
		cmd.ExtraFiles = []*os.File{w}
		cmd.Env = append(os.Environ(), reportEnv+"=3")
	}
	if err := spawn(cmd); err != nil {
		if r != nil {
			r.Close()
		}
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		pid := cmd.Process.Pid
		// Until it is reaped, the ended leader keeps its pid, and so the
		// group id, from being reused: the group kill cannot hit a
		// stranger.
		waitExited(pid)
		syscall.Kill(-pid, syscall.SIGKILL)
		report := readReport(r)
		err := cmd.Wait()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode() // -1 when signalled
		} else if err != nil {
			code = -1
		}
		close(p.done)
		onExit(code, report)
	}()
	return p, nil
}

// readReport is what the child wrote on its report pipe. Its group is gone,
// so the pipe's end comes at once, unless something that left the group
// holds it: a second is waited, then what came is taken.
func readReport(r *os.File) string {
	if r == nil {
		return ""
	}
	defer r.Close()
	r.SetReadDeadline(time.Now().Add(time.Second))
	b, _ := io.ReadAll(io.LimitReader(r, 4096))
	return string(b)
}

// waitExited waits until pid has ended, without reaping it.
func waitExited(pid int) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
	}
}

// spawn starts cmd from the one thread that starts every child. The
// kernel sends a child its Pdeathsig when the thread that forked it ends,
// not the process; Go ends a thread when a goroutine locked to it returns,
// so children are forked from a goroutine that keeps its thread locked and
// never returns: their signal comes with the wrapper's death only.
func spawn(cmd *exec.Cmd) error {
	spawnerOnce.Do(func() {
		spawnReqs = make(chan spawnReq)
		go func() {
			runtime.LockOSThread()
			for r := range spawnReqs {
				r.done <- r.cmd.Start()
			}
		}()
	})
	done := make(chan error, 1)
	spawnReqs <- spawnReq{cmd: cmd, done: done}
	return <-done
}

type spawnReq struct {
	cmd  *exec.Cmd
	done chan error
}

var (
	spawnerOnce sync.Once
	spawnReqs   chan spawnReq
)

func (p *process) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Pid is the child's process id.
func (p *process) Pid() int { return p.cmd.Process.Pid }

// Terminate sends SIGTERM to the process itself (pppd handles it by ending
// the link cleanly and killing its own children).
func (p *process) Terminate() {
	if p.Running() {
		p.cmd.Process.Signal(syscall.SIGTERM)
	}
}

// Kill ends the whole process group at once.
func (p *process) Kill() {
	if p.Running() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// Stop ends the process: SIGTERM, then, if it is still there after grace,
// SIGKILL to its group. It reports whether the kill was needed.
func (p *process) Stop(grace time.Duration) (killed bool) {
	p.Terminate()
	if p.Wait(grace) {
		return false
	}
	p.Kill()
	p.Wait(grace)
	return true
}

// Wait waits until the process ended or d passed.
func (p *process) Wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
		return false
	}
}
