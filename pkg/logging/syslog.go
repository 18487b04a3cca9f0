package logging

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Our own syslog client instead of log/syslog: that package links in net,
// a fifth of every tool's size on the routers, to open one local socket.

// severity is a syslog level; the facility is always daemon.
type severity int

const (
	sevErr     severity = 3
	sevWarning severity = 4
	sevInfo    severity = 6

	facilityDaemon = 3 << 3
)

// systemSockets are where a local syslog daemon listens, tried in this
// order (as the C library and Go's log/syslog do).
var systemSockets = []string{"/dev/log", "/var/run/syslog", "/var/run/log"}

// sendTimeout bounds the wait for a syslog daemon whose socket is full
// (journald or rsyslogd stopped, or stuck on a full disk). A line that
// cannot go within it is dropped: a tool that keeps the link up must not
// hang on its logger, and its warnings still reach stderr.
const sendTimeout = 200 * time.Millisecond

// syslogConn sends lines to the local syslog daemon over a unix socket,
// as datagrams, or newline-ended on a stream where only that is offered.
// It is not safe for concurrent use (Logger serialises it).
type syslogConn struct {
	tag    string
	paths  []string
	pid    int
	now    func() time.Time
	fd     int // -1 while not connected
	stream bool
	// stalled is set when a line timed out: later lines do not wait at
	// all until one goes through, so a stuck daemon costs one wait, not
	// one per line.
	stalled bool
}

// dialSyslog connects to the system logger (a seam for tests).
var dialSyslog = func(tag string) (*syslogConn, error) {
	return dialSyslogAt(tag, systemSockets...)
}

// dialSyslogAt connects to the first syslog socket among paths that
// accepts datagrams, or else to the first that accepts a stream.
func dialSyslogAt(tag string, paths ...string) (*syslogConn, error) {
	c := &syslogConn{tag: tag, paths: paths, pid: os.Getpid(), now: time.Now, fd: -1}
	if err := c.connect(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *syslogConn) connect() error {
	c.close()
	var err error
	for _, stream := range []bool{false, true} {
		for _, path := range c.paths {
			var fd int
			if fd, err = connectUnix(path, stream); err == nil {
				c.fd, c.stream = fd, stream
				return nil
			}
		}
	}
	return fmt.Errorf("logging: no syslog socket at %s: %w", strings.Join(c.paths, ", "), err)
}

func connectUnix(path string, stream bool) (int, error) {
	typ := syscall.SOCK_DGRAM
	if stream {
		typ = syscall.SOCK_STREAM
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, typ|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	tv := syscall.NsecToTimeval(sendTimeout.Nanoseconds())
	if err = syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_SNDTIMEO, &tv); err == nil {
		err = ignoringEINTR(func() error { return syscall.Connect(fd, &syscall.SockaddrUnix{Name: path}) })
	}
	if err != nil {
		syscall.Close(fd)
		return -1, err
	}
	return fd, nil
}

// send writes msg at severity sev. Like log/syslog, it reconnects once
// when the daemon has gone (restarted, socket replaced); a line that
// timed out on a full socket is dropped without reconnecting.
func (c *syslogConn) send(sev severity, msg string) error {
	line := formatLocal(facilityDaemon|int(sev), c.now(), c.tag, c.pid, msg)
	if c.fd >= 0 {
		err := c.write(line)
		if err == nil || errors.Is(err, syscall.EAGAIN) {
			return err
		}
	}
	if err := c.connect(); err != nil {
		return err
	}
	return c.write(line)
}

func (c *syslogConn) write(line []byte) error {
	flags := syscall.MSG_NOSIGNAL // a daemon gone from a stream: EPIPE, not death
	if c.stalled {
		flags |= syscall.MSG_DONTWAIT
	}
	for sent := 0; sent < len(line); {
		var n int
		err := ignoringEINTR(func() (err error) {
			n, err = syscall.SendmsgN(c.fd, line[sent:], nil, nil, flags)
			return err
		})
		if errors.Is(err, syscall.EAGAIN) {
			c.stalled = true
			if sent > 0 {
				// Part of a line on a stream: the next would be glued to it.
				c.close()
			}
			return fmt.Errorf("logging: syslog socket full, line dropped: %w", err)
		}
		if err != nil {
			return err
		}
		c.stalled = false
		sent += n
	}
	return nil
}

// formatLocal renders a line the way log/syslog and the C library write
// to the local socket, "<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG\n", which
// journald, rsyslogd and busybox syslogd parse.
func formatLocal(pri int, t time.Time, tag string, pid int, msg string) []byte {
	b := make([]byte, 0, 32+len(tag)+len(msg))
	b = append(b, '<')
	b = strconv.AppendInt(b, int64(pri), 10)
	b = append(b, '>')
	b = t.AppendFormat(b, time.Stamp)
	b = append(b, ' ')
	b = append(b, tag...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(pid), 10)
	b = append(b, "]: "...)
	b = append(b, msg...)
	if !strings.HasSuffix(msg, "\n") {
		b = append(b, '\n')
	}
	return b
}

func (c *syslogConn) close() {
	if c.fd >= 0 {
		syscall.Close(c.fd)
		c.fd = -1
	}
}

// ignoringEINTR retries a socket call that a signal interrupted: calls
// on a socket with a send timeout are not restarted by the kernel.
func ignoringEINTR(f func() error) error {
	for {
		if err := f(); !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
