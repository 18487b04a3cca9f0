package modem_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// step is one exchange of a modem script: the fake module waits for the
// command expect ("" waits for nothing: the reply is unsolicited), tells
// heard (if set) that it has it, echoes it when echo is on, sleeps delay and
// writes reply verbatim. With hangup set it then closes its end of the line,
// as an unplugged module does.
type step struct {
	expect string
	heard  chan<- string
	delay  time.Duration
	reply  string
	hangup bool
}

// duplex is one end of an in-memory serial line.
type duplex struct {
	r *io.PipeReader
	w *io.PipeWriter
}

func (d duplex) Read(p []byte) (int, error)  { return d.r.Read(p) }
func (d duplex) Write(p []byte) (int, error) { return d.w.Write(p) }
func (d duplex) Close() error {
	d.r.Close()
	return d.w.Close()
}

// line returns the two ends of an in-memory serial line.
func line() (host, dce duplex) {
	hr, dw := io.Pipe()
	dr, hw := io.Pipe()
	return duplex{hr, hw}, duplex{dr, dw}
}

// serveScript plays the module on rw: it runs script in order and then
// reports any further command as unexpected. The returned channel is closed
// when the fake has stopped, which it does when the host side goes away.
func serveScript(t *testing.T, rw io.ReadWriter, echo bool, script []step) <-chan struct{} {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		br := bufio.NewReader(rw)
		for i, st := range script {
			if st.expect != "" {
				cmd, err := readCommand(br)
				if err != nil {
					t.Errorf("modem script step %d: waiting for %q: %v", i, st.expect, err)
					return
				}
				if cmd != st.expect {
					t.Errorf("modem script step %d: got command %q, want %q", i, cmd, st.expect)
				}
				if st.heard != nil {
					st.heard <- cmd
				}
				if echo {
					if _, err := io.WriteString(rw, cmd+"\r"); err != nil {
						return
					}
				}
			}
			time.Sleep(st.delay)
			if st.reply != "" {
				if _, err := io.WriteString(rw, st.reply); err != nil {
					return // the session was closed meanwhile
				}
			}
			if st.hangup {
				if c, ok := rw.(duplex); ok {
					c.w.Close()
				}
				return
			}
		}
		for {
			cmd, err := readCommand(br)
			if err != nil {
				return
			}
			t.Errorf("modem script: unexpected command %q after the script", cmd)
		}
	}()
	return done
}

// serveFunc plays a module that answers every command with answer(cmd).
func serveFunc(rw io.ReadWriter, answer func(cmd string) string) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		br := bufio.NewReader(rw)
		for {
			cmd, err := readCommand(br)
			if err != nil {
				return
			}
			reply := answer(cmd)
			if reply == "" {
				continue
			}
			if _, err := io.WriteString(rw, reply); err != nil {
				return
			}
		}
	}()
	return done
}

func readCommand(br *bufio.Reader) (string, error) {
	cmd, err := br.ReadString('\r')
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(cmd, "\r"), nil
}

// newSession starts a session on a fake module that plays script.
func newSession(t *testing.T, echo bool, script []step, opts ...modem.Option) *modem.Session {
	t.Helper()
	host, dce := line()
	done := serveScript(t, dce, echo, script)
	s := modem.NewSession(host, opts...)
	t.Cleanup(func() {
		s.Close()
		<-done
	})
	return s
}

// pendingURCs takes what URCs holds right now.
func pendingURCs(s *modem.Session) []string {
	var urcs []string
	for {
		select {
		case u, ok := <-s.URCs():
			if !ok {
				return urcs
			}
			urcs = append(urcs, u)
		default:
			return urcs
		}
	}
}

func ok(reply ...string) string {
	var b strings.Builder
	for _, r := range reply {
		b.WriteString("\r\n" + r + "\r\n")
	}
	return b.String() + "\r\nOK\r\n"
}

func TestCommand(t *testing.T) {
	tests := []struct {
		name     string
		echo     bool
		script   []step
		cmd      string
		wantInfo []string
		wantErr  string // the error's text; "" for none
		wantIs   error
		wantURCs []string
	}{
		{
			name:   "OK",
			script: []step{{expect: "AT", reply: "\r\nOK\r\n"}},
			cmd:    "AT",
		},
		{
			name:     "echo on",
			echo:     true,
			script:   []step{{expect: "AT+CSQ", reply: ok("+CSQ: 17,99")}},
			cmd:      "AT+CSQ",
			wantInfo: []string{"+CSQ: 17,99"},
		},
		{
			name:     "echo off",
			script:   []step{{expect: "AT+CSQ", reply: ok("+CSQ: 17,99")}},
			cmd:      "AT+CSQ",
			wantInfo: []string{"+CSQ: 17,99"},
		},
		{
			name: "several information lines",
			echo: true,
			script: []step{{expect: "ATI",
				reply: "\r\nManufacturer: u-blox\r\nModel: LISA-U200\r\nRevision: 22.40\r\n\r\nOK\r\n"}},
			cmd:      "ATI",
			wantInfo: []string{"Manufacturer: u-blox", "Model: LISA-U200", "Revision: 22.40"},
		},
		{
			name: "URCs in the middle of a reply",
			echo: true,
			script: []step{{expect: "AT+CSQ",
				reply: "\r\n+CREG: 2\r\n\r\n+CSQ: 17,99\r\n\r\nRING\r\n\r\n^MODE: 5,4\r\n\r\nOK\r\n"}},
			cmd:      "AT+CSQ",
			wantInfo: []string{"+CSQ: 17,99"},
			wantURCs: []string{"+CREG: 2", "RING", "^MODE: 5,4"},
		},
		{
			name:     "a URC while idle",
			script:   []step{{reply: "\r\n+CMTI: \"SM\",3\r\n"}, {expect: "AT", reply: "\r\nOK\r\n"}},
			cmd:      "AT",
			wantURCs: []string{`+CMTI: "SM",3`},
		},
		{
			name:     "+CREG: is the reply to AT+CREG?",
			script:   []step{{expect: "AT+CREG?", reply: "\r\n+CGREG: 1\r\n" + ok("+CREG: 0,1")}},
			cmd:      "AT+CREG?",
			wantInfo: []string{"+CREG: 0,1"},
			wantURCs: []string{"+CGREG: 1"},
		},
		{
			name:     "compound command",
			script:   []step{{expect: "AT+CREG?;+CGREG?", reply: ok("+CREG: 0,1", "+CGREG: 0,5")}},
			cmd:      "AT+CREG?;+CGREG?",
			wantInfo: []string{"+CREG: 0,1", "+CGREG: 0,5"},
		},
		{
			name:     "lines ended by CR alone",
			script:   []step{{expect: "AT+CSQ", reply: "+CSQ: 17,99\rOK\r"}},
			cmd:      "AT+CSQ",
			wantInfo: []string{"+CSQ: 17,99"},
		},
		{
			name:     "lines ended by LF alone",
			script:   []step{{expect: "AT+CSQ", reply: "\n+CSQ: 17,99\n\nOK\n"}},
			cmd:      "AT+CSQ",
			wantInfo: []string{"+CSQ: 17,99"},
		},
		{
			name:    "ERROR",
			echo:    true,
			script:  []step{{expect: "AT+CEREG?", reply: "\r\nERROR\r\n"}},
			cmd:     "AT+CEREG?",
			wantErr: "modem: AT+CEREG?: ERROR",
			wantIs:  modem.ErrError,
		},
		{
			name:    "+CME ERROR with a number",
			script:  []step{{expect: "AT+CPIN?", reply: "\r\n+CME ERROR: 10\r\n"}},
			cmd:     "AT+CPIN?",
			wantErr: "modem: AT+CPIN?: +CME ERROR: 10 (SIM not inserted)",
			wantIs:  modem.ErrError,
		},
		{
			name:    "+CME ERROR with text",
			script:  []step{{expect: "AT+CPIN?", reply: "\r\n+CME ERROR: SIM not inserted\r\n"}},
			cmd:     "AT+CPIN?",
			wantErr: "modem: AT+CPIN?: +CME ERROR: SIM not inserted",
			wantIs:  modem.ErrError,
		},
		{
			name:    "+CMS ERROR",
			script:  []step{{expect: "AT+CMGL", reply: "\r\n+CMS ERROR: 310\r\n"}},
			cmd:     "AT+CMGL",
			wantErr: "modem: AT+CMGL: +CMS ERROR: 310",
			wantIs:  modem.ErrError,
		},
		{
			name:   "dial connects",
			echo:   true,
			script: []step{{expect: "ATD*99***1#", reply: "\r\nCONNECT 460800\r\n"}},
			cmd:    "ATD*99***1#",
		},
		{
			name:    "NO CARRIER",
			script:  []step{{expect: "ATD*99***1#", reply: "\r\nNO CARRIER\r\n"}},
			cmd:     "ATD*99***1#",
			wantErr: "modem: ATD*99***1#: NO CARRIER",
			wantIs:  modem.ErrNoCarrier,
		},
		{
			name:    "BUSY",
			script:  []step{{expect: "ATD*99#", reply: "\r\nBUSY\r\n"}},
			cmd:     "ATD*99#",
			wantErr: "modem: ATD*99#: BUSY",
			wantIs:  modem.ErrBusy,
		},
		{
			name:    "NO ANSWER",
			script:  []step{{expect: "ATD*99#", reply: "\r\nNO ANSWER\r\n"}},
			cmd:     "ATD*99#",
			wantErr: "modem: ATD*99#: NO ANSWER",
			wantIs:  modem.ErrNoAnswer,
		},
		{
			name:    "NO DIAL TONE",
			script:  []step{{expect: "ATD*99#", reply: "\r\nNO DIAL TONE\r\n"}},
			cmd:     "ATD*99#",
			wantErr: "modem: ATD*99#: NO DIALTONE",
			wantIs:  modem.ErrNoDialtone,
		},
		{
			name:    "the PIN stays out of the error",
			script:  []step{{expect: `AT+CPIN="1234"`, reply: "\r\n+CME ERROR: 16\r\n"}},
			cmd:     `AT+CPIN="1234"`,
			wantErr: "modem: AT+CPIN=***: +CME ERROR: 16 (incorrect password)",
			wantIs:  modem.ErrError,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, tt.echo, tt.script)
			info, err := s.Command(context.Background(), tt.cmd)
			if !slices.Equal(info, tt.wantInfo) {
				t.Errorf("Command(%q) = %q, want %q", tt.cmd, info, tt.wantInfo)
			}
			if gotErr := errText(err); gotErr != tt.wantErr {
				t.Errorf("Command(%q) error = %q, want %q", tt.cmd, gotErr, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Command(%q) error = %v, want one that is %v", tt.cmd, err, tt.wantIs)
			}
			if urcs := pendingURCs(s); !slices.Equal(urcs, tt.wantURCs) {
				t.Errorf("URCs after Command(%q) = %q, want %q", tt.cmd, urcs, tt.wantURCs)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCommandCMEErrorAs(t *testing.T) {
	tests := []struct {
		reply string
		want  modem.CMEError
	}{
		{"+CME ERROR: 10", modem.CMEError{Code: 10}},
		{"+CME ERROR: SIM not inserted", modem.CMEError{Code: -1, Text: "SIM not inserted"}},
	}
	for _, tt := range tests {
		s := newSession(t, false, []step{{expect: "AT+CPIN?", reply: "\r\n" + tt.reply + "\r\n"}})
		_, err := s.Command(context.Background(), "AT+CPIN?")
		var cme *modem.CMEError
		if !errors.As(err, &cme) {
			t.Errorf("reply %q: Command error = %v, want a *CMEError", tt.reply, err)
			continue
		}
		if *cme != tt.want {
			t.Errorf("reply %q: CMEError = %+v, want %+v", tt.reply, *cme, tt.want)
		}
	}
}

func TestCommandRefusesControlCharacters(t *testing.T) {
	// The script is empty: anything that reaches the module fails the test.
	s := newSession(t, false, nil)
	for _, cmd := range []string{"", "AT\rAT+CFUN=16", "AT+CMGS=1\x1a", "AT\n"} {
		if _, err := s.Command(context.Background(), cmd); err == nil {
			t.Errorf("Command(%q) = nil error, want one", cmd)
		}
	}
}

func TestCommandCancelledBefore(t *testing.T) {
	// The script is empty: a command that reaches the module fails the test.
	s := newSession(t, false, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if _, err := s.Command(ctx, "AT+CFUN=16"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Command(AT+CFUN=16) with a cancelled context: error = %v, want context.Canceled", err)
		}
	}
}

func TestCommandTimeout(t *testing.T) {
	heard := make(chan string, 1)
	s := newSession(t, false, []step{{expect: "AT+CFUN=16", heard: heard}}, modem.WithTimeout(50*time.Millisecond))
	start := time.Now()
	_, err := s.Command(context.Background(), "AT+CFUN=16")
	<-heard
	if got, want := errText(err), "modem: AT+CFUN=16: timed out"; got != want {
		t.Errorf("Command(AT+CFUN=16) error = %q, want %q", got, want)
	}
	if !errors.Is(err, modem.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Command(AT+CFUN=16) error = %v, want one that is ErrTimeout and context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Command(AT+CFUN=16) took %v with a 50ms timeout", d)
	}
}

// shortCtx is the context of a command that is meant to time out.
func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	t.Cleanup(cancel)
	return ctx
}

// A reply that comes after its command timed out must not be taken as the
// answer to the next command, whether it arrives before or after the next
// command is sent, with echo on or off.
func TestCommandLateReply(t *testing.T) {
	for _, echo := range []bool{false, true} {
		t.Run(fmt.Sprintf("echo %v, late reply while idle", echo), func(t *testing.T) {
			got := make(chan string, 16)
			s := newSession(t, echo, []step{
				{expect: "AT+CREG?", delay: 100 * time.Millisecond, reply: ok("+CREG: 0,5")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,1")},
			}, modem.WithLog(func(dir, line string) {
				if dir == "<" && line == "OK" {
					got <- line
				}
			}))
			if _, err := s.Command(shortCtx(t), "AT+CREG?"); !errors.Is(err, modem.ErrTimeout) {
				t.Fatalf("Command(AT+CREG?) error = %v, want a timeout", err)
			}
			<-got // the late reply has been read
			info, err := s.Command(context.Background(), "AT+CGREG?")
			if want := []string{"+CGREG: 0,1"}; err != nil || !slices.Equal(info, want) {
				t.Errorf("Command(AT+CGREG?) = %q, %v, want %q, nil", info, err, want)
			}
			if urcs := pendingURCs(s); len(urcs) != 0 {
				t.Errorf("URCs = %q, want none (the late +CREG: line is a reply, not a URC)", urcs)
			}
		})
		t.Run(fmt.Sprintf("echo %v, late reply after the next command", echo), func(t *testing.T) {
			// The module answers in order: the slow reply to the first
			// AT+CSQ comes while the second one waits.
			s := newSession(t, echo, []step{
				{expect: "AT+CSQ", delay: 150 * time.Millisecond, reply: ok("+CSQ: 5,99")},
				{expect: "AT+CSQ", reply: ok("+CSQ: 17,99")},
			})
			if _, err := s.Command(shortCtx(t), "AT+CSQ"); !errors.Is(err, modem.ErrTimeout) {
				t.Fatalf("Command(AT+CSQ) error = %v, want a timeout", err)
			}
			info, err := s.Command(context.Background(), "AT+CSQ")
			if want := []string{"+CSQ: 17,99"}; err != nil || !slices.Equal(info, want) {
				t.Errorf("second Command(AT+CSQ) = %q, %v, want %q, nil", info, err, want)
			}
		})
	}
}

// A module that never answers a command: with echo on, the next command's
// echo shows that the module has moved on; with echo off the session cannot
// tell the next command's result from a late one, loses one more command,
// and is in step again after that.
func TestCommandNeverAnswered(t *testing.T) {
	t.Run("echo on", func(t *testing.T) {
		s := newSession(t, true, []step{
			{expect: "AT+COPS=?"},
			{expect: "AT+CSQ", reply: ok("+CSQ: 17,99")},
		})
		if _, err := s.Command(shortCtx(t), "AT+COPS=?"); !errors.Is(err, modem.ErrTimeout) {
			t.Fatalf("Command(AT+COPS=?) error = %v, want a timeout", err)
		}
		info, err := s.Command(context.Background(), "AT+CSQ")
		if want := []string{"+CSQ: 17,99"}; err != nil || !slices.Equal(info, want) {
			t.Errorf("Command(AT+CSQ) = %q, %v, want %q, nil", info, err, want)
		}
	})
	t.Run("echo off", func(t *testing.T) {
		s := newSession(t, false, []step{
			{expect: "AT+COPS=?"},
			{expect: "AT+CSQ", reply: ok("+CSQ: 17,99")},
			{expect: "AT+CREG?", reply: ok("+CREG: 0,1")},
		})
		if _, err := s.Command(shortCtx(t), "AT+COPS=?"); !errors.Is(err, modem.ErrTimeout) {
			t.Fatalf("Command(AT+COPS=?) error = %v, want a timeout", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if info, err := s.Command(ctx, "AT+CSQ"); !errors.Is(err, modem.ErrTimeout) {
			t.Errorf("Command(AT+CSQ) = %q, %v, want a timeout (its OK counts as the late one)", info, err)
		}
		info, err := s.Command(context.Background(), "AT+CREG?")
		if want := []string{"+CREG: 0,1"}; err != nil || !slices.Equal(info, want) {
			t.Errorf("Command(AT+CREG?) = %q, %v, want %q, nil", info, err, want)
		}
	})
}

func TestCommandCancel(t *testing.T) {
	heard := make(chan string, 1)
	s := newSession(t, false, []step{{expect: "AT+COPS=?", heard: heard}}, modem.WithTimeout(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-heard
		cancel()
	}()
	start := time.Now()
	_, err := s.Command(ctx, "AT+COPS=?")
	if got, want := errText(err), "modem: AT+COPS=?: context canceled"; got != want {
		t.Errorf("Command(AT+COPS=?) error = %q, want %q", got, want)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, modem.ErrTimeout) {
		t.Errorf("Command(AT+COPS=?) error = %v, want context.Canceled and not ErrTimeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Command(AT+COPS=?) returned %v after it was cancelled", d)
	}
}

// A command waiting for another one to finish can be cancelled too.
func TestCommandCancelWhileQueued(t *testing.T) {
	heard := make(chan string, 1)
	s := newSession(t, false, []step{{expect: "AT+COPS=?", heard: heard}}, modem.WithTimeout(time.Minute))
	go s.Command(context.Background(), "AT+COPS=?")
	<-heard
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := s.Command(ctx, "AT+CSQ")
	if got, want := errText(err), "modem: AT+CSQ: timed out"; got != want {
		t.Errorf("queued Command(AT+CSQ) error = %q, want %q", got, want)
	}
}

func TestClose(t *testing.T) {
	host, dce := line()
	heard := make(chan string, 1)
	done := serveFunc(dce, func(cmd string) string {
		heard <- cmd
		return "" // a module busy with its reset says nothing
	})
	defer func() { <-done }()
	s := modem.NewSession(host, modem.WithTimeout(time.Minute))
	errc := make(chan error, 1)
	go func() {
		_, err := s.Command(context.Background(), "AT+CFUN=16")
		errc <- err
	}()
	<-heard
	if err := s.Close(); err != nil {
		t.Errorf("Close() = %v, want nil", err)
	}
	select {
	case err := <-errc:
		if got, want := errText(err), "modem: AT+CFUN=16: session closed"; got != want {
			t.Errorf("Command(AT+CFUN=16) during Close error = %q, want %q", got, want)
		}
		if !errors.Is(err, modem.ErrClosed) {
			t.Errorf("Command(AT+CFUN=16) during Close error = %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Command(AT+CFUN=16) still waits 5s after Close")
	}
	if _, err := s.Command(context.Background(), "AT"); !errors.Is(err, modem.ErrClosed) {
		t.Errorf("Command(AT) after Close error = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close() = %v, want nil", err)
	}
	if _, open := <-s.URCs(); open {
		t.Error("URCs() still open after Close")
	}
}

// An unplugged module ends the session: the waiting command fails at once.
func TestCommandPortGone(t *testing.T) {
	s := newSession(t, false, []step{{expect: "AT+CFUN=16", hangup: true}}, modem.WithTimeout(time.Minute))
	_, err := s.Command(context.Background(), "AT+CFUN=16")
	if got, want := errText(err), "modem: AT+CFUN=16: session closed: EOF"; got != want {
		t.Errorf("Command(AT+CFUN=16) error = %q, want %q", got, want)
	}
	if !errors.Is(err, modem.ErrClosed) || !errors.Is(err, io.EOF) {
		t.Errorf("Command(AT+CFUN=16) error = %v, want ErrClosed and io.EOF", err)
	}
}

func TestCommandConcurrent(t *testing.T) {
	host, dce := line()
	done := serveFunc(dce, func(cmd string) string {
		n, _ := strings.CutPrefix(cmd, "AT+TEST=")
		// Unsolicited lines between replies and inside them.
		return "\r\n+CREG: 1\r\n" + cmd + "\r" + ok("+TEST: "+n, "+CGREG: 5")
	})
	s := modem.NewSession(host)
	defer func() {
		s.Close()
		<-done
	}()
	go func() {
		for range s.URCs() {
		}
	}()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 25 {
				cmd := fmt.Sprintf("AT+TEST=%d-%d", g, i)
				info, err := s.Command(context.Background(), cmd)
				want := []string{fmt.Sprintf("+TEST: %d-%d", g, i)}
				if err != nil || !slices.Equal(info, want) {
					t.Errorf("Command(%q) = %q, %v, want %q, nil", cmd, info, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestURCsDropOldest(t *testing.T) {
	var flood strings.Builder
	for i := range 200 {
		fmt.Fprintf(&flood, "\r\n+CMTI: \"SM\",%d\r\n", i)
	}
	s := newSession(t, false, []step{{reply: flood.String()}, {expect: "AT", reply: "\r\nOK\r\n"}})
	if _, err := s.Command(context.Background(), "AT"); err != nil {
		t.Fatalf("Command(AT) = %v, want nil", err)
	}
	urcs := pendingURCs(s)
	n := cap(s.URCs())
	if len(urcs) != n {
		t.Fatalf("URCs() holds %d lines after a flood of 200, want its capacity %d", len(urcs), n)
	}
	if first, want := urcs[0], fmt.Sprintf("+CMTI: \"SM\",%d", 200-n); first != want {
		t.Errorf("oldest kept URC = %q, want %q", first, want)
	}
	if last, want := urcs[n-1], `+CMTI: "SM",199`; last != want {
		t.Errorf("newest URC = %q, want %q", last, want)
	}
}

func TestLog(t *testing.T) {
	var mu sync.Mutex
	var got []string
	s := newSession(t, true, []step{{expect: `AT+CPIN="1234"`, reply: "\r\n+CREG: 1\r\n\r\nOK\r\n"}},
		modem.WithLog(func(dir, line string) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, dir+" "+line)
		}))
	if _, err := s.Command(context.Background(), `AT+CPIN="1234"`); err != nil {
		t.Fatalf("Command(AT+CPIN=...) = %v, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"> AT+CPIN=***", "< AT+CPIN=***", "! +CREG: 1", "< OK"}
	if !slices.Equal(got, want) {
		t.Errorf("log = %q, want %q", got, want)
	}
}

// After CONNECT the line carries data, which is neither reply nor URC, until
// the module drops back to command mode with NO CARRIER.
func TestDataMode(t *testing.T) {
	s := newSession(t, false, []step{
		{expect: "ATD*99***1#", reply: "\r\nCONNECT 460800\r\n"},
		{reply: "~\xff\x7d\x23\xc0\x21\x7d\x21\r\n~\x7d\x20RING\n~", delay: 10 * time.Millisecond},
		{reply: "\r\nNO CARRIER\r\n"},
		{expect: "AT", reply: "\r\nOK\r\n"},
	})
	info, err := s.Command(context.Background(), "ATD*99***1#")
	if err != nil || info != nil {
		t.Fatalf("Command(ATD*99***1#) = %q, %v, want nil, nil", info, err)
	}
	select {
	case u := <-s.URCs():
		if u != "NO CARRIER" {
			t.Errorf("first URC after CONNECT = %q, want %q", u, "NO CARRIER")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no NO CARRIER on URCs() within 5s")
	}
	if _, err := s.Command(context.Background(), "AT"); err != nil {
		t.Errorf("Command(AT) after NO CARRIER = %v, want nil", err)
	}
}
