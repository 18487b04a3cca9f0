package sdnotify

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// listen is the service manager's end: a datagram socket at name.
func listen(t *testing.T, name string) func() string {
	t.Helper()
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	path := name
	if path[0] == '@' {
		path = "\x00" + path[1:]
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		t.Fatal(err)
	}
	unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Sec: 5})
	return func() string {
		b := make([]byte, 4096)
		n, _, err := unix.Recvfrom(fd, b, 0)
		if err != nil {
			t.Fatalf("no notification: %v", err)
		}
		return string(b[:n])
	}
}

// What we send is byte for byte what systemd's own sender, systemd-notify,
// sends for the same state, on a path and in the abstract namespace.
func TestSendsWhatSystemdNotifySends(t *testing.T) {
	sdNotify, err := exec.LookPath("systemd-notify")
	if err != nil {
		t.Skip("systemd-notify is not installed (Debian's systemd package), so there is no reference sender to compare with")
	}
	for _, name := range []string{filepath.Join(t.TempDir(), "notify"), "@pppkeep-test-" + strconv.Itoa(os.Getpid())} {
		recv := listen(t, name)
		cmd := exec.Command(sdNotify, "--no-block", "--ready", "--status=up 3h12m, session 5")
		cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+name)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("systemd-notify: %v: %s", err, out)
		}
		theirs := recv()
		t.Setenv("NOTIFY_SOCKET", name)
		n, err := FromEnv()
		if err != nil || n == nil {
			t.Fatalf("FromEnv() = %v, %v", n, err)
		}
		if err := n.Send("READY=1", "STATUS=up 3h12m, session 5"); err != nil {
			t.Fatal(err)
		}
		n.Close()
		if ours := recv(); ours != theirs {
			t.Errorf("NOTIFY_SOCKET=%s: we sent %q, systemd-notify sent %q", name, ours, theirs)
		}
	}
}

func TestNoSocketNoNotifier(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if n, err := FromEnv(); n != nil || err != nil {
		t.Errorf("FromEnv() without NOTIFY_SOCKET = %v, %v; want nil, nil", n, err)
	}
	t.Setenv("NOTIFY_SOCKET", "relative/name")
	if _, err := FromEnv(); err == nil {
		t.Errorf("FromEnv(NOTIFY_SOCKET=relative/name) = nil error, want one")
	}
}

// A value with a newline would add an assignment of its own: refused.
func TestSendRefusesANewline(t *testing.T) {
	name := filepath.Join(t.TempDir(), "notify")
	listen(t, name)
	t.Setenv("NOTIFY_SOCKET", name)
	n, _ := FromEnv()
	defer n.Close()
	if err := n.Send("STATUS=up\nREADY=1"); err == nil {
		t.Error("Send(\"STATUS=up\\nREADY=1\") = nil, want an error")
	}
}

func TestWatchdogInterval(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "30000000")
	t.Setenv("WATCHDOG_PID", "")
	if d, ok := WatchdogInterval(); !ok || d != 30*time.Second {
		t.Errorf("WATCHDOG_USEC=30000000: %v, %v; want 30s", d, ok)
	}
	t.Setenv("WATCHDOG_PID", "1")
	if _, ok := WatchdogInterval(); ok {
		t.Error("WATCHDOG_PID of another process: a watchdog, want none")
	}
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	t.Setenv("WATCHDOG_USEC", "")
	if _, ok := WatchdogInterval(); ok {
		t.Error("no WATCHDOG_USEC: a watchdog, want none")
	}
}
