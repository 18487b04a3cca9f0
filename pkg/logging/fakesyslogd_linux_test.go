package logging

import (
	"net"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// fakeSyslogd is a syslog daemon's datagram socket in a temporary
// directory: tests read from it what the logger wrote.
type fakeSyslogd struct {
	path string
	conn *net.UnixConn
}

func listenSyslog(t *testing.T) *fakeSyslogd {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Skipf("skipping: cannot listen on a unix datagram socket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return &fakeSyslogd{path: path, conn: conn}
}

// useAsSystemLogger makes New connect to d instead of /dev/log.
func (d *fakeSyslogd) useAsSystemLogger(t *testing.T) {
	old := dialSyslog
	dialSyslog = func(tag string) (*syslogConn, error) { return dialSyslogAt(tag, d.path) }
	t.Cleanup(func() { dialSyslog = old })
}

// next returns the next datagram; a logger that sent nothing fails the
// test rather than hanging it.
func (d *fakeSyslogd) next(t *testing.T) string {
	t.Helper()
	d.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64<<10)
	n, err := d.conn.Read(buf)
	if err != nil {
		t.Fatalf("syslog got nothing: %v", err)
	}
	return string(buf[:n])
}

// drain reads what is queued without waiting and returns how many
// datagrams that was.
func (d *fakeSyslogd) drain(t *testing.T) int {
	t.Helper()
	raw, err := d.conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	buf := make([]byte, 64<<10)
	raw.Read(func(fd uintptr) bool {
		for {
			if _, _, err := syscall.Recvfrom(int(fd), buf, syscall.MSG_DONTWAIT); err != nil {
				return true
			}
			n++
		}
	})
	return n
}
