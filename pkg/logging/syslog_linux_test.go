package logging

import (
	"fmt"
	"io"
	"log/syslog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// What the daemon receives, byte for byte: facility daemon, the level,
// the tag and our pid, one datagram per call.
func TestSyslogGetsTagPidAndLevel(t *testing.T) {
	daemon := listenSyslog(t)
	daemon.useAsSystemLogger(t)
	l := New("ppp_wrapper", io.Discard, false)
	defer l.Close()
	if l.sys == nil {
		t.Fatalf("New(%q) did not connect to the syslog socket %s", "ppp_wrapper", daemon.path)
	}
	l.sys.now = func() time.Time { return time.Date(2026, 3, 7, 9, 5, 3, 0, time.Local) }

	l.Infof("pppd (pid %d) started", 4242)
	l.Warnf("modem not answering")
	l.Errorf("no SIM\n")
	pid := os.Getpid()
	for _, want := range []string{
		fmt.Sprintf("<30>Mar  7 09:05:03 ppp_wrapper[%d]: pppd (pid 4242) started\n", pid),
		fmt.Sprintf("<28>Mar  7 09:05:03 ppp_wrapper[%d]: modem not answering\n", pid),
		fmt.Sprintf("<27>Mar  7 09:05:03 ppp_wrapper[%d]: no SIM\n", pid),
	} {
		if got := daemon.next(t); got != want {
			t.Errorf("syslog got %q, want %q", got, want)
		}
	}
}

// Go's log/syslog writes the format journald, rsyslogd and busybox
// syslogd have long parsed from Go programs: we write the same bytes.
func TestSyslogLinesMatchLogSyslog(t *testing.T) {
	daemon := listenSyslog(t)
	std, err := syslog.Dial("unixgram", daemon.path, syslog.LOG_DAEMON|syslog.LOG_INFO, "ppp_monitor")
	if err != nil {
		t.Fatal(err)
	}
	defer std.Close()
	ours, err := dialSyslogAt("ppp_monitor", daemon.path)
	if err != nil {
		t.Fatal(err)
	}
	defer ours.close()

	for _, tc := range []struct {
		sev severity
		std func(string) error
		msg string
	}{
		{sevInfo, std.Info, "ping to 8.8.8.8 succeeded."},
		{sevWarning, std.Warning, "ping failed 3 times"},
		{sevErr, std.Err, "two\nlines"},
		{sevInfo, std.Info, "ends in a newline\n"},
		{sevInfo, std.Info, ""},
	} {
		if err := tc.std(tc.msg); err != nil {
			t.Fatal(err)
		}
		want := daemon.next(t)
		stamp, err := time.ParseInLocation(time.Stamp, stampOf(want), time.Local)
		if err != nil {
			t.Fatalf("log/syslog wrote %q, want a %q time stamp: %v", want, time.Stamp, err)
		}
		ours.now = func() time.Time { return stamp }
		if err := ours.send(tc.sev, tc.msg); err != nil {
			t.Fatalf("send(%d, %q) = %v, want nil", tc.sev, tc.msg, err)
		}
		if got := daemon.next(t); got != want {
			t.Errorf("send(%d, %q) wrote %q, want %q as log/syslog does", tc.sev, tc.msg, got, want)
		}
	}
}

// stampOf returns the time stamp of a local syslog line, after "<PRI>".
func stampOf(line string) string {
	_, rest, _ := strings.Cut(line, ">")
	if len(rest) < len(time.Stamp) {
		return rest
	}
	return rest[:len(time.Stamp)]
}

// A daemon that only offers a stream socket (some syslog-ng setups) still
// gets our lines, newline-ended; paths are tried in order.
func TestSyslogFallsBackToStream(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "log")
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Skipf("skipping: cannot listen on a unix stream socket: %v", err)
	}
	defer ln.Close()
	c, err := dialSyslogAt("modem_reset", filepath.Join(dir, "missing"), path)
	if err != nil {
		t.Fatalf("dialSyslogAt(missing, stream socket) = %v, want a connection", err)
	}
	defer c.close()
	c.now = func() time.Time { return time.Date(2026, 12, 24, 23, 59, 59, 0, time.Local) }
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	for _, msg := range []string{"AT+CFUN=16 sent", "modem back"} {
		if err := c.send(sevInfo, msg); err != nil {
			t.Fatalf("send(%q) = %v, want nil", msg, err)
		}
	}
	c.close()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	pid := os.Getpid()
	want := fmt.Sprintf("<30>Dec 24 23:59:59 modem_reset[%d]: AT+CFUN=16 sent\n<30>Dec 24 23:59:59 modem_reset[%d]: modem back\n", pid, pid)
	if string(got) != want {
		t.Errorf("stream got %q, want %q", got, want)
	}
}

// A syslog daemon that restarts makes a new socket at the same path: the
// next line reconnects to it instead of being lost for good.
func TestSyslogReconnectsAfterDaemonRestart(t *testing.T) {
	first := listenSyslog(t)
	first.useAsSystemLogger(t)
	l := New("ppp_monitor", io.Discard, false)
	defer l.Close()
	l.Infof("before restart")
	if got := first.next(t); !strings.HasSuffix(got, ": before restart\n") {
		t.Fatalf("syslog got %q, want the line before the restart", got)
	}

	first.conn.Close()
	os.Remove(first.path)
	second, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: first.path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	restarted := &fakeSyslogd{path: first.path, conn: second}
	l.Infof("after restart")
	if got := restarted.next(t); !strings.HasSuffix(got, ": after restart\n") {
		t.Errorf("restarted syslog got %q, want the line after the restart", got)
	}
}

// A syslog daemon that stopped reading (stuck, or stopped with SIGSTOP)
// must not stop the tool: lines it cannot take are dropped, stderr still
// gets warnings, and once it reads again lines flow again.
func TestStuckSyslogDoesNotHangTheTool(t *testing.T) {
	daemon := listenSyslog(t)
	daemon.useAsSystemLogger(t)
	var stderr strings.Builder
	l := New("ppp_monitor", &stderr, false)
	// Not deferred: a Close waiting on a hung line would hide the failure.

	const lines = 2000 // more than a unix datagram queue holds (net.unix.max_dgram_qlen, 10 to 512)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range lines {
			l.Infof("line %d", i)
		}
		l.Warnf("still logging")
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("Infof blocked on a syslog socket nobody reads, want lines dropped")
	}
	if want := "ppp_monitor: warning: still logging\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}

	// The daemon wakes up and drains its queue: the next line arrives.
	queued := daemon.drain(t)
	if queued == 0 || queued >= lines {
		t.Fatalf("syslog queue held %d of %d lines, want it full and the rest dropped", queued, lines)
	}
	l.Infof("caught up")
	if got := daemon.next(t); !strings.HasSuffix(got, ": caught up\n") {
		t.Errorf("syslog got %q after draining, want the next line", got)
	}
	l.Close()
}
