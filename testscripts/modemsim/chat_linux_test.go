package modemsim

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/pppfiles"
)

// chatScript is the chat script gen_pppconfig writes for a LISA-U200,
// rendered by the same function (a copy by hand would drift from it).
func chatScript(t *testing.T) string {
	t.Helper()
	c, _, err := config.Parse("test", []byte("START=yes\nAPN=dream.jp\nDEVICE=LISA-U200\nAUTH=CHAP\nACCOUNT=user@dream.jp\nPASSWORD=dti\n"))
	if err != nil {
		t.Fatalf("config.Parse = %v", err)
	}
	m, ok := modem.ByName("LISA-U200")
	if !ok {
		t.Fatal("modem.ByName(LISA-U200) = false")
	}
	text, err := pppfiles.Chat(c, m)
	if err != nil {
		t.Fatalf("pppfiles.Chat = %v", err)
	}
	return text
}

// TestIntegrationChat runs pppd's chat against the simulator, as pppd does
// with the generated script.
func TestIntegrationChat(t *testing.T) {
	const chat = "/usr/sbin/chat"
	if _, err := os.Stat(chat); err != nil {
		t.Skipf("skipped: the real chat program is not installed (%v); install the ppp package to run it against the simulator", err)
	}
	needPTY(t)
	script := filepath.Join(t.TempDir(), "ppp0")
	if err := os.WriteFile(script, []byte(chatScript(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		knob  string
		want  int
		calls int
	}{
		{"connects", "", 0, 1},
		{"nocarrier", "nocarrier on", 5, 0}, // 4 + ABORT 'NO CARRIER', the second
		{"hung", "hung on", 3, 0},           // timeout at the first OK (-t 3)
		{"no SIM", "sim absent", 11, 0},     // 4 + ABORT ERROR, the eighth: AT+CGDCONT= fails
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, Config{DataCommand: []string{"cat"}})
			if tt.knob != "" {
				do(t, s, tt.knob)
			}
			tty, err := os.OpenFile(s.TTYPath(), os.O_RDWR|syscall.O_NOCTTY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer tty.Close()
			var log bytes.Buffer
			cmd := exec.Command(chat, "-v", "-s", "-t", "3", "-f", script)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &log
			cmd.WaitDelay = 10 * time.Second
			err = cmd.Run()
			got := 0
			var ee *exec.ExitError
			switch {
			case errors.As(err, &ee):
				got = ee.ExitCode()
			case err != nil:
				t.Fatalf("chat: %v", err)
			}
			if got != tt.want {
				t.Errorf("chat -v -s -t 3 -f SCRIPT with %q = exit %d, want %d; chat said:\n%s", tt.knob, got, tt.want, log.String())
			}
			if st := s.Stats(); st.Calls != tt.calls {
				t.Errorf("Stats().Calls = %d, want %d", st.Calls, tt.calls)
			}
		})
	}
}
