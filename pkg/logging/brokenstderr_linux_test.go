package logging

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// Under systemd, lines go to the journal on stderr only. When that stream
// breaks (journald restarted), they go on to syslog instead of nowhere.
func TestBrokenJournalStreamFallsBackToSyslog(t *testing.T) {
	daemon := listenSyslog(t)
	daemon.useAsSystemLogger(t)

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(w.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	l := New("ppp_wrapper", w, false)
	defer l.Close()
	if l.sys != nil {
		t.Fatalf("New with stderr the journal opened syslog, want the journal only")
	}
	r.Close() // the journal is gone
	l.Infof("SIGHUP ignored")

	if got := daemon.next(t); !strings.Contains(got, "SIGHUP ignored") {
		t.Errorf("syslog got %q, want the line that stderr could not take", got)
	}
}
