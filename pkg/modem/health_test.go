package modem_test

import (
	"context"
	"errors"
	"io/fs"
	"syscall"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// greeted is a module's side of a check that answers AT and AT+CMEE=1,
// then goes on with rest.
func greeted(rest ...step) []step {
	return append([]step{{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()}}, rest...)
}

// healthyLISA is the dialogue of a LISA-U200 that is ready to dial: a 3G
// module, so AT+CEREG? is refused.
var healthyLISA = greeted(
	step{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
	step{expect: "AT+CREG?", reply: ok("+CREG: 0,1")},
	step{expect: "AT+CGREG?", reply: ok("+CGREG: 0,1")},
	step{expect: "AT+CEREG?", reply: errorReply},
	step{expect: "AT+CSQ", reply: ok("+CSQ: 15,99")},
	step{expect: "AT+COPS?", reply: ok(`+COPS: 0,0,"NTT DOCOMO",2`)},
	step{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")},
)

func TestCheckHealth(t *testing.T) {
	const cme10 = "\r\n+CME ERROR: 10\r\n"
	lisaReg := modem.Registration{CS: modem.RegHome, PS: modem.RegHome, HaveCS: true, HavePS: true}
	tests := []struct {
		name        string
		model       string
		script      []step
		want        modem.Health // without At and Err
		wantErr     string
		wantSummary string
	}{
		{
			name:   "healthy LISA-U200",
			model:  "LISA-U200",
			script: healthyLISA,
			want: modem.Health{Answered: true, SIM: modem.SIMReady, Reg: lisaReg, HaveReg: true,
				Signal: modem.Signal{RSSI: 15, BER: 99}, HaveSignal: true,
				Operator: "NTT DOCOMO", ICCID: "8981100022152967705"},
			wantSummary: `SIM ready, registered, home (CGREG), signal -83 dBm, operator "NTT DOCOMO"`,
		},
		{
			// Seen under systemd after the wrapper was killed with a call
			// up: the call ends as the new wrapper checks the module.
			name:   "NO CARRIER of a call that ends as the check begins",
			model:  "LISA-U200",
			script: append([]step{{expect: "AT", reply: "\r\nNO CARRIER\r\n"}}, healthyLISA...),
			want: modem.Health{Answered: true, SIM: modem.SIMReady, Reg: lisaReg, HaveReg: true,
				Signal: modem.Signal{RSSI: 15, BER: 99}, HaveSignal: true,
				Operator: "NTT DOCOMO", ICCID: "8981100022152967705"},
			wantSummary: `SIM ready, registered, home (CGREG), signal -83 dBm, operator "NTT DOCOMO"`,
		},
		{
			name:  "unsolicited lines between and inside the replies",
			model: "LISA-U200",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{reply: "\r\n+CREG: 2\r\n"},
				{expect: "AT+CPIN?", reply: "\r\n+CGREG: 2\r\n" + ok("+CPIN: READY")},
				{expect: "AT+CREG?", reply: ok("+CREG: 1", "+CREG: 0,1")},
				{reply: "\r\n+CGREG: 1\r\n\r\nRING\r\n"},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,1", `+CGREG: 5,"0F5A","0A3F41D2"`)},
				{expect: "AT+CEREG?", reply: errorReply},
				{expect: "AT+CSQ", reply: "\r\n+CREG: 5\r\n" + ok("+CSQ: 15,99")},
				{expect: "AT+COPS?", reply: ok(`+COPS: 0,0,"NTT DOCOMO",2`)},
				{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")},
			},
			want: modem.Health{Answered: true, SIM: modem.SIMReady, Reg: lisaReg, HaveReg: true,
				Signal: modem.Signal{RSSI: 15, BER: 99}, HaveSignal: true,
				Operator: "NTT DOCOMO", ICCID: "8981100022152967705"},
			wantSummary: `SIM ready, registered, home (CGREG), signal -83 dBm, operator "NTT DOCOMO"`,
		},
		{
			name:        "SIM absent: +CME ERROR: 10, and nothing more is asked",
			model:       "LISA-U200",
			script:      greeted(step{expect: "AT+CPIN?", reply: cme10}),
			want:        modem.Health{Answered: true, SIM: modem.SIMAbsent, SIMText: "+CME ERROR: 10 (SIM not inserted)"},
			wantSummary: "SIM not inserted",
		},
		{
			name:        "SIM absent: verbose +CME ERROR",
			model:       "LN940A",
			script:      greeted(step{expect: "AT+CPIN?", reply: cmeReply("SIM not inserted")}),
			want:        modem.Health{Answered: true, SIM: modem.SIMAbsent, SIMText: "+CME ERROR: SIM not inserted"},
			wantSummary: "SIM not inserted",
		},
		{
			name:        "SIM absent: +CPIN: NOT INSERTED",
			model:       "AMP520",
			script:      greeted(step{expect: "AT+CPIN?", reply: ok("+CPIN: NOT INSERTED")}),
			want:        modem.Health{Answered: true, SIM: modem.SIMAbsent, SIMText: "NOT INSERTED"},
			wantSummary: "SIM not inserted",
		},
		{
			name:        "PIN required",
			model:       "LISA-U200",
			script:      greeted(step{expect: "AT+CPIN?", reply: ok("+CPIN: SIM PIN")}),
			want:        modem.Health{Answered: true, SIM: modem.SIMPIN, SIMText: "SIM PIN"},
			wantSummary: "SIM PIN required",
		},
		{
			name:        "PUK required",
			model:       "LISA-U200",
			script:      greeted(step{expect: "AT+CPIN?", reply: cmeReply("12")}),
			want:        modem.Health{Answered: true, SIM: modem.SIMPUK, SIMText: "+CME ERROR: 12 (SIM PUK required)"},
			wantSummary: "SIM PUK required",
		},
		{
			name:        "SIM wrong: the module's words tell which failure",
			model:       "LISA-U200",
			script:      greeted(step{expect: "AT+CPIN?", reply: cmeReply("15")}),
			want:        modem.Health{Answered: true, SIM: modem.SIMFailure, SIMText: "+CME ERROR: 15 (SIM wrong)"},
			wantSummary: `SIM failure ("+CME ERROR: 15 (SIM wrong)")`,
		},
		{
			name:  "registration denied",
			model: "LISA-U200",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
				{expect: "AT+CREG?", reply: ok("+CREG: 0,3")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,3")},
				{expect: "AT+CEREG?", reply: errorReply},
				{expect: "AT+CSQ", reply: ok("+CSQ: 20,99")},
				{expect: "AT+COPS?", reply: ok("+COPS: 0")},
				{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")},
			},
			want: modem.Health{Answered: true, SIM: modem.SIMReady,
				Reg: modem.Registration{CS: modem.RegDenied, PS: modem.RegDenied, HaveCS: true, HavePS: true}, HaveReg: true,
				Signal: modem.Signal{RSSI: 20, BER: 99}, HaveSignal: true, ICCID: "8981100022152967705"},
			wantSummary: "SIM ready, network denied (CGREG), signal -73 dBm",
		},
		{
			name:  "LTE module searching, no signal, AT+CCID refused",
			model: "LN940A",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
				{expect: "AT+CREG?", reply: ok("+CREG: 0,0")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,0")},
				{expect: "AT+CEREG?", reply: ok(`+CEREG: 2,2`)},
				{expect: "AT+CSQ", reply: ok("+CSQ: 99,99")},
				{expect: "AT+COPS?", reply: ok("+COPS: 0")},
				{expect: "AT+CCID", reply: errorReply},
				{expect: "AT+ICCID", reply: ok("+ICCID: 89490200000863940628")},
			},
			want: modem.Health{Answered: true, SIM: modem.SIMReady,
				Reg: modem.Registration{CS: modem.RegNotRegistered, PS: modem.RegNotRegistered, EPS: modem.RegSearching,
					HaveCS: true, HavePS: true, HaveEPS: true}, HaveReg: true,
				Signal: modem.Signal{RSSI: 99, BER: 99}, HaveSignal: true, ICCID: "89490200000863940628"},
			wantSummary: "SIM ready, network searching (CEREG), signal unknown",
		},
		{
			name:  "refusals leave fields empty and the check goes on",
			model: "AMM570",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{expect: "AT+CPIN?", reply: errorReply},
				{expect: "AT+CREG?", reply: errorReply},
				{expect: "AT+CGREG?", reply: errorReply},
				{expect: "AT+CEREG?", reply: errorReply},
				{expect: "AT+CSQ", reply: errorReply},
				{expect: "AT+COPS?", reply: errorReply},
				{expect: "AT+CCID", reply: errorReply},
				{expect: "AT+ICCID", reply: errorReply},
				{expect: "AT+QCCID", reply: errorReply},
			},
			want:        modem.Health{Answered: true},
			wantSummary: "SIM state unknown, registration unknown, signal unknown",
		},
		{
			name:  "a garbled reply counts as no answer to that query",
			model: "LISA-U200",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
				{expect: "AT+CREG?", reply: ok("+CREG: 0,1")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,1")},
				{expect: "AT+CEREG?", reply: errorReply},
				{expect: "AT+CSQ", reply: ok("+CSQ: ,")},
				{expect: "AT+COPS?", reply: ok(`+COPS: 0,0,"NTT DOCOMO",2`)},
				{expect: "AT+CCID", reply: ok("+CCID: 8981100022152967705F")},
			},
			want: modem.Health{Answered: true, SIM: modem.SIMReady, Reg: lisaReg, HaveReg: true,
				Operator: "NTT DOCOMO", ICCID: "8981100022152967705"},
			wantSummary: `SIM ready, registered, home (CGREG), signal unknown, operator "NTT DOCOMO"`,
		},
		{
			name:  "AT answered with ERROR is an answer",
			model: "LISA-U200",
			script: []step{
				{expect: "AT", reply: errorReply},
				{expect: "AT+CMEE=1", reply: errorReply},
				{expect: "AT+CPIN?", reply: ok("+CPIN: SIM PUK")},
			},
			want:        modem.Health{Answered: true, SIM: modem.SIMPUK, SIMText: "SIM PUK"},
			wantSummary: "SIM PUK required",
		},
		{
			name:  "the module goes silent: the check stops, keeping what it learned",
			model: "LISA-U200",
			script: []step{
				{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
				{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
				{expect: "AT+CREG?", reply: ok("+CREG: 0,1")},
				{expect: "AT+CGREG?", reply: ok("+CGREG: 0,1")},
				{expect: "AT+CEREG?", reply: errorReply},
				{expect: "AT+CSQ"},
			},
			want:        modem.Health{Answered: true, SIM: modem.SIMReady, Reg: lisaReg, HaveReg: true},
			wantErr:     "modem: AT+CSQ: timed out",
			wantSummary: "SIM ready, registered, home (CGREG), signal unknown; check stopped: modem: AT+CSQ: timed out",
		},
		{
			name:        "the module unplugged during the check",
			model:       "LISA-U200",
			script:      greeted(step{expect: "AT+CPIN?", hangup: true}),
			want:        modem.Health{Answered: true},
			wantErr:     "modem: AT+CPIN?: session closed: EOF",
			wantSummary: "SIM state unknown; check stopped: modem: AT+CPIN?: session closed: EOF",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t, true, tt.script, modem.WithTimeout(200*time.Millisecond))
			before := time.Now()
			h := modem.CheckHealth(context.Background(), s, model(t, tt.model))
			if h.At.Before(before) || h.At.After(time.Now()) {
				t.Errorf("Health.At = %v, want the start of the check (after %v)", h.At, before)
			}
			if errText(h.Err) != tt.wantErr {
				t.Errorf("Health.Err = %q, want %q", errText(h.Err), tt.wantErr)
			}
			got := h
			got.At, got.Err = time.Time{}, nil
			if got != tt.want {
				t.Errorf("CheckHealth() =\n%+v\nwant\n%+v", got, tt.want)
			}
			if sum := h.Summary(); sum != tt.wantSummary {
				t.Errorf("Summary() = %q, want %q", sum, tt.wantSummary)
			}
		})
	}
}

// A module that does not answer at all: the check gives up after the AT
// command's timeout and sends nothing else (the script would report it).
func TestCheckHealthSilentModule(t *testing.T) {
	s := newSession(t, false, []step{{expect: "AT"}}, modem.WithTimeout(100*time.Millisecond))
	start := time.Now()
	h := modem.CheckHealth(context.Background(), s, model(t, "LISA-U200"))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("CheckHealth() of a silent module took %v with a 100ms timeout", d)
	}
	if h.Answered || !errors.Is(h.Err, modem.ErrTimeout) {
		t.Errorf("CheckHealth() = Answered %v, Err %v, want false and a timeout", h.Answered, h.Err)
	}
	if got, want := h.Summary(), "no answer to AT"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}

// The caller's context bounds the whole check, whatever the session's
// per-command timeout.
func TestCheckHealthContext(t *testing.T) {
	s := newSession(t, false, []step{
		{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
		{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
		{expect: "AT+CREG?"}, // and nothing more
	}, modem.WithTimeout(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	h := modem.CheckHealth(ctx, s, model(t, "LISA-U200"))
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("CheckHealth() took %v with a context of 300ms", d)
	}
	if !h.Answered || h.SIM != modem.SIMReady || h.HaveReg || !errors.Is(h.Err, modem.ErrTimeout) {
		t.Errorf("CheckHealth() = %+v, want Answered, SIM ready, no registration and a timeout", h)
	}

	// A context that is over before the check starts sends nothing.
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	s2 := newSession(t, false, nil)
	h = modem.CheckHealth(done, s2, model(t, "LISA-U200"))
	if h.Answered || !errors.Is(h.Err, context.Canceled) {
		t.Errorf("CheckHealth(cancelled) = Answered %v, Err %v, want false and context.Canceled", h.Answered, h.Err)
	}
}

// failingWrites is a serial line whose writes fail with EIO after the
// first n, as a tty does whose USB device has gone.
type failingWrites struct {
	duplex
	n int
}

func (f *failingWrites) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, &fs.PathError{Op: "write", Path: "/dev/ttyACM0", Err: syscall.EIO}
	}
	f.n--
	return f.duplex.Write(p)
}

func TestCheckHealthPortError(t *testing.T) {
	host, dce := line()
	done := serveScript(t, dce, false, []step{
		{expect: "AT", reply: ok()}, {expect: "AT+CMEE=1", reply: ok()},
		{expect: "AT+CPIN?", reply: ok("+CPIN: READY")},
	})
	s := modem.NewSession(&failingWrites{duplex: host, n: 3})
	defer func() {
		s.Close()
		<-done
	}()
	h := modem.CheckHealth(context.Background(), s, model(t, "LISA-U200"))
	wantErr := "modem: AT+CREG?: write /dev/ttyACM0: input/output error"
	if !h.Answered || h.SIM != modem.SIMReady || h.HaveReg || errText(h.Err) != wantErr {
		t.Errorf("CheckHealth() = %+v, want Answered, SIM ready and Err %q", h, wantErr)
	}
	if got, want := h.Summary(), "SIM ready; check stopped: "+wantErr; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
}
