package logging

import (
	"fmt"
	"log/syslog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Under systemd, lines go to the journal on stderr only. When that stream
// breaks (journald restarted), they go on to syslog instead of nowhere.
func TestBrokenJournalStreamFallsBackToSyslog(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Skipf("skipping: cannot listen on a unix datagram socket: %v", err)
	}
	defer conn.Close()
	old := dialSyslog
	dialSyslog = func(tag string) (*syslog.Writer, error) {
		return syslog.Dial("unixgram", sock, syslog.LOG_DAEMON|syslog.LOG_INFO, tag)
	}
	defer func() { dialSyslog = old }()

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

	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("syslog got nothing after stderr broke: %v", err)
	}
	if got := string(buf[:n]); !strings.Contains(got, "SIGHUP ignored") {
		t.Errorf("syslog got %q, want the line that stderr could not take", got)
	}
}
