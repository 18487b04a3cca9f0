package logging

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// journalStream returns a pipe whose write end JOURNAL_STREAM names, as
// systemd names a service's stderr connected to the journal.
func journalStream(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	var st syscall.Stat_t
	if err := syscall.Fstat(int(w.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	return r, w
}

// readAvailable returns what the pipe holds now, without waiting for more.
func readAvailable(t *testing.T, r *os.File) string {
	t.Helper()
	r.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	b, err := io.ReadAll(r)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal(err)
	}
	return string(b)
}

// Under systemd every line, warnings too, reaches the journal once: through
// syslog, with the tool's name, and nothing on the stream (which journald
// would record a second time, named after the program systemd ran).
func TestUnderSystemdLinesGoToSyslogOnce(t *testing.T) {
	daemon := listenSyslog(t)
	daemon.useAsSystemLogger(t)
	r, w := journalStream(t)
	l := New("gen_pppconfig", w, false)
	defer l.Close()
	l.Infof("wrote /etc/ppp/peers/ppp0")
	l.Warnf("DEVICE=AUTO: no module")

	if got := daemon.next(t); !strings.Contains(got, "gen_pppconfig[") || !strings.Contains(got, "wrote /etc/ppp/peers/ppp0") {
		t.Errorf("syslog got %q, want the info line under the tool's name", got)
	}
	if got := daemon.next(t); !strings.Contains(got, "DEVICE=AUTO: no module") {
		t.Errorf("syslog got %q, want the warning", got)
	}
	if got := readAvailable(t, r); got != "" {
		t.Errorf("the journal's stream got %q, want nothing (the lines went through syslog)", got)
	}
}

// With no syslog to open, the journal's stream takes every line.
func TestUnderSystemdWithoutSyslogTheStreamTakesEveryLine(t *testing.T) {
	old := dialSyslog
	dialSyslog = func(string) (*syslogConn, error) { return nil, errors.New("no syslog here") }
	t.Cleanup(func() { dialSyslog = old })
	r, w := journalStream(t)
	l := New("ppp_wrapper", w, false)
	defer l.Close()
	l.Infof("session 1: link up")
	if got := readAvailable(t, r); got != "ppp_wrapper: session 1: link up\n" {
		t.Errorf("the journal's stream got %q, want the info line", got)
	}
}

// When the stream the logger writes to breaks (journald restarted), lines
// go on to syslog instead of nowhere.
func TestBrokenJournalStreamFallsBackToSyslog(t *testing.T) {
	daemon := listenSyslog(t)
	r, w := journalStream(t)
	old := dialSyslog
	dialSyslog = func(string) (*syslogConn, error) { return nil, errors.New("not yet") }
	l := New("ppp_wrapper", w, false)
	dialSyslog = old
	daemon.useAsSystemLogger(t)
	defer l.Close()
	r.Close() // the journal is gone
	l.Infof("SIGHUP ignored")

	if got := daemon.next(t); !strings.Contains(got, "SIGHUP ignored") {
		t.Errorf("syslog got %q, want the line that stderr could not take", got)
	}
}
