package runstate

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// sleeper is a child that runs until it is signalled.
func sleeper(t *testing.T) *exec.Cmd {
	t.Helper()
	path, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("skipping: sleep is not installed")
	}
	cmd := exec.Command(path, "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// A process we signal ends, and Wait sees it end (the parent has not
// reaped it: the zombie counts as ended), by pidfd and by pid alike.
func TestIntegrationProcessSignalAndWait(t *testing.T) {
	for _, byPid := range []bool{false, true} {
		cmd := sleeper(t)
		pid := cmd.Process.Pid
		p, err := Open(pid)
		if err != nil {
			t.Fatalf("Open(%d) = %v, want the running sleep", pid, err)
		}
		if byPid {
			// What Open falls back to on kernels without pidfds.
			p.Close()
			p = &Process{pid: pid, fd: -1}
		}
		if p.Wait(20 * time.Millisecond) {
			t.Errorf("Wait of running sleep %d (by pid %v) = true, want false", pid, byPid)
		}
		if err := p.Signal(syscall.SIGTERM); err != nil {
			t.Errorf("Signal(%d, SIGTERM) (by pid %v) = %v, want nil", pid, byPid, err)
		}
		if !p.Wait(10 * time.Second) {
			t.Errorf("Wait of sleep %d after SIGTERM (by pid %v) = false, want true", pid, byPid)
		}
		p.Close()
	}
}

// A pid that runs nothing cannot be opened.
func TestIntegrationOpenOfEndedProcess(t *testing.T) {
	cmd := sleeper(t)
	pid := cmd.Process.Pid
	cmd.Process.Kill()
	cmd.Wait()
	if p, err := Open(pid); !errors.Is(err, syscall.ESRCH) {
		if p != nil {
			p.Close()
		}
		t.Errorf("Open(reaped %d) = %v, want ESRCH", pid, err)
	}
}

// Stop ends a process that ends on SIGTERM without SIGKILL, and kills one
// that ignores it after the grace; one already gone is ESRCH, and
// termSent runs only when SIGTERM reached a process.
func TestIntegrationProcessStop(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("skipping: sh is not installed")
	}
	for _, tc := range []struct {
		name       string
		script     string
		wantKilled bool
	}{
		{"ends on SIGTERM", "exec sleep 60", false},
		{"ignores SIGTERM", "trap '' TERM; sleep 60 & wait; sleep 60", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(sh, "-c", tc.script)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			time.Sleep(100 * time.Millisecond) // the trap set
			p, err := Open(cmd.Process.Pid)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			sent := false
			start := time.Now()
			killed, err := p.Stop(time.Second, 5*time.Second, func() { sent = true })
			took := time.Since(start)
			if err != nil || killed != tc.wantKilled || !sent {
				t.Errorf("Stop = killed %v, %v (termSent ran: %v), want killed %v, nil, and termSent run", killed, err, sent, tc.wantKilled)
			}
			if Alive(cmd.Process.Pid) {
				t.Errorf("after Stop (%v) the process still runs", took)
			}
			if tc.wantKilled && took < time.Second {
				t.Errorf("Stop killed after %v, want the grace of 1s first", took)
			}
		})
	}
	cmd := sleeper(t)
	p, err := Open(cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cmd.Process.Kill()
	cmd.Wait()
	sent := false
	if _, err := p.Stop(time.Second, time.Second, func() { sent = true }); !errors.Is(err, syscall.ESRCH) || sent {
		t.Errorf("Stop of an ended process = %v (termSent ran: %v), want ESRCH and termSent not run", err, sent)
	}
}
