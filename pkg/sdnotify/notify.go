package sdnotify

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Notifier sends notifications to the service manager.
type Notifier struct {
	fd   int
	addr *unix.SockaddrUnix
	name string
}

// FromEnv is the Notifier $NOTIFY_SOCKET names, or nil when it is unset:
// not started by systemd, or by a unit that is not Type=notify.
func FromEnv() (*Notifier, error) {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return nil, nil
	}
	if name[0] != '/' && name[0] != '@' {
		return nil, fmt.Errorf("sdnotify: NOTIFY_SOCKET=%q is neither a path nor an abstract name (@…)", name)
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("sdnotify: socket: %w", err)
	}
	path := name
	if path[0] == '@' {
		path = "\x00" + path[1:] // the abstract namespace
	}
	return &Notifier{fd: fd, addr: &unix.SockaddrUnix{Name: path}, name: name}, nil
}

// Send sends the assignments, one per line, in one datagram.
func (n *Notifier) Send(assignments ...string) error {
	for _, a := range assignments {
		if !strings.Contains(a, "=") || strings.Contains(a, "\n") {
			return fmt.Errorf("sdnotify: %q is not one KEY=VALUE line", a)
		}
	}
	if err := unix.Sendto(n.fd, []byte(strings.Join(assignments, "\n")), 0, n.addr); err != nil {
		return fmt.Errorf("sdnotify: send to %s: %w", n.name, err)
	}
	return nil
}

// Close closes the socket.
func (n *Notifier) Close() error { return unix.Close(n.fd) }

// WatchdogInterval is the WatchdogSec= systemd expects WATCHDOG=1
// within, from $WATCHDOG_USEC, when it is meant for this process
// ($WATCHDOG_PID, when set, is our pid); ok false without a watchdog.
func WatchdogInterval() (d time.Duration, ok bool) {
	usec, err := strconv.ParseInt(os.Getenv("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return 0, false
	}
	if p := os.Getenv("WATCHDOG_PID"); p != "" && p != strconv.Itoa(os.Getpid()) {
		return 0, false
	}
	return time.Duration(usec) * time.Microsecond, true
}
