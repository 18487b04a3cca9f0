package runstate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// exitedChild is a child of the test that has ended but is not reaped: a
// zombie, whose /proc entry and comm are still there.
func exitedChild(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("skipping: %s is not installed", name)
	}
	cmd := exec.Command(path, args...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, cmd.Process.Pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			if err != nil {
				t.Fatal(err)
			}
			return cmd
		}
	}
}

// A pidfile is obeyed only for a live process of the named program.
func TestIntegrationIsProgram(t *testing.T) {
	self := filepath.Base(os.Args[0])
	if !IsProgram(os.Getpid(), self) {
		t.Errorf("IsProgram(self %d, %q) = false, want true", os.Getpid(), self)
	}
	if IsProgram(os.Getpid(), "pppd") {
		t.Errorf("IsProgram(self %d, %q) = true, want false", os.Getpid(), "pppd")
	}
	dead := exitedChild(t, "true")
	pid := dead.Process.Pid
	dead.Wait()
	if IsProgram(pid, "true") {
		t.Errorf("IsProgram(reaped child %d, %q) = true, want false", pid, "true")
	}
}

// A process that has ended is not alive, even while its parent has not
// reaped it yet: it can do nothing, and a signal to it is lost.
func TestIntegrationIsProgramZombieIsNotAlive(t *testing.T) {
	z := exitedChild(t, "true")
	if IsProgram(z.Process.Pid, "true") {
		t.Errorf("IsProgram(zombie %d, %q) = true, want false", z.Process.Pid, "true")
	}
}
