package pppwrapper

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// machineRun drives the real supervise.Machine and hands each state it
// saves to a metrics file, as the driver and SaveState do; pppd's pid is
// the driver's part.
type machineRun struct {
	t        *testing.T
	m        *supervise.Machine
	clock    *fakeClock
	f        *metricsFile
	dir      string
	pid, max int
	step     string
}

func newMachineRun(t *testing.T, cfg supervise.Config, start time.Time, bytes map[int][2]uint64) *machineRun {
	r := &machineRun{t: t, m: supervise.New(cfg), clock: &fakeClock{now: start}, dir: t.TempDir()}
	r.f = &metricsFile{
		dir: r.dir, clock: r.clock,
		warnf: func(format string, args ...any) { t.Errorf("warning: "+format, args...) },
		infof: t.Logf,
		bytes: func(pid int) (uint64, uint64, bool) { b, ok := bytes[pid]; return b[0], b[1], ok },
	}
	return r
}

// ev: d after the event before, ev comes; the state after it is saved.
func (r *machineRun) ev(d time.Duration, step string, ev supervise.Event) {
	r.clock.advance(d)
	r.step = step
	ev.At = r.clock.now
	if ev.Kind == supervise.EvSessionExited {
		r.pid = 0
	}
	for _, a := range r.m.Handle(ev) {
		if a.Kind == supervise.ActStartPPPD {
			r.max++
			r.pid = r.max
		}
	}
	var st runstate.State
	r.m.Fill(&st)
	st.PPPDPID = r.pid
	r.f.save(st)
}

// want checks the file as the collector would read it: each
// "name{l=v|l2=v2}" key with its value; a key whose value is absent must
// not be there (without labels: the whole family).
func (r *machineRun) want(values map[string]float64) {
	r.t.Helper()
	p := readProm(r.t, r.dir)
	for key, want := range values {
		name, labels := key, []string(nil)
		if i := strings.IndexByte(key, '{'); i >= 0 {
			name = key[:i]
			for _, kv := range strings.Split(strings.TrimSuffix(key[i+1:], "}"), "|") {
				k, v, _ := strings.Cut(kv, "=")
				labels = append(labels, k, v)
			}
		}
		got, ok := p.Value(name, labels...)
		if want == absent && labels == nil && p[name] != nil {
			r.t.Errorf("%s: %s is in the file (%v), want none", r.step, name, p[name].GetMetric())
			continue
		}
		switch {
		case want == absent && ok:
			r.t.Errorf("%s: %s = %v, want none", r.step, key, got)
		case want != absent && !ok:
			r.t.Errorf("%s: no %s in the file, want %v", r.step, key, want)
		case want != absent && got != want:
			r.t.Errorf("%s: %s = %v, want %v", r.step, key, got, want)
		}
	}
}

// absent: the key must not be in the file.
const absent = -1e300

func unixOf(t time.Time) float64 { return float64(t.Unix()) }

// A link's life as the collector sees it, one write per change: up, dead
// (class link, a reset), a RESET_AT disconnect (no fault, though the
// machine keeps the class "link"), a chat failure (module, resets
// paused), up again (one recovery, 80 s after the first failure), and the
// stop, whose file is written at once although the last was a second
// before.
func TestMetricsFollowTheMachine(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 2, 59, 0, 0, time.UTC)
	cfg := supervise.Config{Persist: true, ResetOnFail: true, Retry: 1, Holdoff: time.Second, ResetWait: 30 * time.Second,
		Loc: time.UTC, ResetAt: &supervise.TimeOfDay{Hour: 3}}
	// pppd 3's chat failed: no IPCP, no ip-down hook, no figures.
	r := newMachineRun(t, cfg, t0, map[int][2]uint64{1: {1000, 2000}, 2: {200, 400}, 4: {30, 60}})
	s := 10 * time.Second

	r.ev(0, "start", supervise.Event{Kind: supervise.EvStart})
	r.want(map[string]float64{
		"pppkeep_link_up": 0, "pppkeep_phase{phase=connecting}": 1, "pppkeep_phase{phase=up}": 0,
		"pppkeep_verdict_class{class=none}": 1, "pppkeep_verdict_class{class=link}": 0,
		"pppkeep_sessions_total": 1, "pppkeep_session_ends_total{class=none}": 0, "pppkeep_session_ends_total{class=link}": 0,
		"pppkeep_down_since_seconds": unixOf(t0), "pppkeep_up_since_seconds": absent,
		"pppkeep_last_change_timestamp_seconds": unixOf(t0), "pppkeep_resets_started_total": 0,
		"pppkeep_resets_total{result=ok|step=at}": 0, "pppkeep_resets_total{result=not_started|step=none}": 0, "pppkeep_recoveries_total": 0, "pppkeep_session_bytes_sent_total": 0,
		"pppkeep_signal_dbm": absent, "pppkeep_module_info": absent, "pppkeep_last_session_bytes_sent": absent,
	})
	r.ev(s, "link up", supervise.Event{Kind: supervise.EvLinkUp})
	r.want(map[string]float64{
		"pppkeep_link_up": 1, "pppkeep_phase{phase=up}": 1, "pppkeep_phase{phase=connecting}": 0,
		"pppkeep_up_since_seconds": unixOf(t0.Add(s)), "pppkeep_down_since_seconds": absent,
		"pppkeep_recoveries_total": 0, // the first link up is no recovery
	})
	r.ev(s, "link dead", supervise.Event{Kind: supervise.EvLinkDead})
	r.ev(s, "session 1 ended", supervise.Event{Kind: supervise.EvSessionExited, Code: 5})
	r.want(map[string]float64{
		"pppkeep_link_up": 0, "pppkeep_phase{phase=resetting}": 1, "pppkeep_verdict_class{class=link}": 1,
		"pppkeep_session_ends_total{class=link}": 1, "pppkeep_resets_started_total": 1,
		"pppkeep_session_bytes_sent_total": 1000, "pppkeep_session_bytes_received_total": 2000,
		"pppkeep_last_session_bytes_sent": 1000, "pppkeep_last_session_bytes_received": 2000,
		"pppkeep_down_since_seconds": unixOf(t0.Add(3 * s)), "pppkeep_up_since_seconds": absent,
	})
	r.ev(s, "reset done", supervise.Event{Kind: supervise.EvResetDone, Code: 0, Step: "usb"})
	r.want(map[string]float64{"pppkeep_resets_total{result=ok|step=usb}": 1, "pppkeep_resets_total{result=ok|step=at}": 0,
		"pppkeep_resets_total{result=failed|step=usb}": 0, "pppkeep_phase{phase=holdoff}": 1})
	r.ev(s, "session 2", supervise.Event{Kind: supervise.EvWaitOver})
	r.ev(s, "RESET_AT", supervise.Event{Kind: supervise.EvDaily})
	r.ev(s, "session 2 ended", supervise.Event{Kind: supervise.EvSessionExited, Code: 5})
	r.want(map[string]float64{
		"pppkeep_session_ends_total{class=none}": 1, "pppkeep_session_ends_total{class=link}": 1,
		"pppkeep_verdict_class{class=link}": 1, "pppkeep_sessions_total": 2,
		"pppkeep_session_bytes_sent_total": 1200, "pppkeep_session_bytes_received_total": 2400,
		"pppkeep_last_session_bytes_sent": 200, "pppkeep_last_session_bytes_received": 400,
	})
	r.ev(s, "session 3", supervise.Event{Kind: supervise.EvWaitOver})
	r.ev(s, "session 3 ended", supervise.Event{Kind: supervise.EvSessionExited, Code: 8})
	r.want(map[string]float64{
		"pppkeep_session_ends_total{class=module}": 1, "pppkeep_verdict_class{class=module}": 1,
		"pppkeep_verdict_class{class=link}": 0, "pppkeep_resets_started_total": 1, // paused
		"pppkeep_session_bytes_sent_total": 1200, "pppkeep_last_session_bytes_sent": 200, // no hook ran for it
	})
	r.ev(s, "session 4", supervise.Event{Kind: supervise.EvWaitOver})
	r.ev(s, "session 4 up", supervise.Event{Kind: supervise.EvLinkUp})
	r.want(map[string]float64{
		"pppkeep_link_up": 1, "pppkeep_recoveries_total": 1, "pppkeep_recovery_seconds_total": 80,
		"pppkeep_verdict_class{class=none}": 1, "pppkeep_sessions_total": 4,
	})
	r.ev(s, "stop", supervise.Event{Kind: supervise.EvStop})
	r.want(map[string]float64{"pppkeep_phase{phase=stopping}": 1, "pppkeep_link_up": 0})
	r.ev(time.Second, "stopped", supervise.Event{Kind: supervise.EvSessionExited, Code: 5})
	r.want(map[string]float64{
		"pppkeep_phase{phase=done}": 1, "pppkeep_link_up": 0, "pppkeep_session_ends_total{class=none}": 2,
		"pppkeep_session_ends_total{class=link}": 1, "pppkeep_session_ends_total{class=module}": 1,
		"pppkeep_session_ends_total{class=network}": 0, "pppkeep_session_ends_total{class=SIM}": 0,
		"pppkeep_session_bytes_sent_total": 1230, "pppkeep_session_bytes_received_total": 2460,
	})
	if at := r.clock.armed(); len(at) != 0 {
		t.Errorf("timers left armed at the end: %v", at)
	}
}

// Attempts the pre-dial check ends count too (no pppd): a missing SIM
// twice, then a dial that fails in chat; every attempt has its end. What
// the check learned is in the file, label values as the module said them.
func TestMetricsCountTheChecksEnds(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cfg := supervise.Config{Persist: true, ResetOnFail: true, Retry: 3, Holdoff: time.Second, ResetWait: 30 * time.Second,
		Loc: time.UTC, WaitDevice: true, Check: true}
	r := newMachineRun(t, cfg, t0, nil)
	s := 10 * time.Second
	dbm := -71
	model, firmware := `u-blox "LISA-U200"`, `22.40 \beta`+"\n"+"build 7"
	noSIM := supervise.Check{Verdict: supervise.CheckSIM, Text: "SIM not inserted",
		Module: supervise.ModuleFacts{SIM: "not inserted", Model: model, Firmware: firmware, SignalDBm: &dbm}}

	r.ev(0, "start", supervise.Event{Kind: supervise.EvStart})
	r.want(map[string]float64{"pppkeep_phase{phase=waiting-for-device}": 1, "pppkeep_sessions_total": 0})
	for i := 1; i <= 2; i++ {
		if i > 1 {
			r.ev(s, "backoff over", supervise.Event{Kind: supervise.EvWaitOver})
		}
		r.ev(s, "tty", supervise.Event{Kind: supervise.EvDeviceReady, TTY: "/dev/ttyUSB2"})
		r.want(map[string]float64{"pppkeep_phase{phase=checking}": 1})
		noSIM.Module.At = r.clock.now.Add(s)
		r.ev(s, fmt.Sprintf("check %d: no SIM", i), supervise.Event{Kind: supervise.EvCheckDone, Check: noSIM})
		r.want(map[string]float64{
			"pppkeep_session_ends_total{class=SIM}": float64(i), "pppkeep_verdict_class{class=SIM}": 1,
			"pppkeep_phase{phase=backoff}": 1, "pppkeep_sessions_total": float64(i),
			"pppkeep_signal_dbm": -71, "pppkeep_registration": absent,
			"pppkeep_module_checked_timestamp_seconds": unixOf(r.clock.now), "pppkeep_module_info{firmware=" + firmware + "|model=" + model + "}": 1,
		})
	}
	r.ev(s, "backoff over", supervise.Event{Kind: supervise.EvWaitOver})
	r.ev(s, "tty", supervise.Event{Kind: supervise.EvDeviceReady, TTY: "/dev/ttyUSB2"})
	dbm2 := -65
	r.ev(s, "check 3: ready", supervise.Event{Kind: supervise.EvCheckDone, Check: supervise.Check{Verdict: supervise.CheckReady,
		Module: supervise.ModuleFacts{At: r.clock.now, SIM: "ready", Registration: "registered, home", SignalDBm: &dbm2,
			ICCID: "8981100000000000001", Model: model, Firmware: firmware, IMEI: "004999010640000"}}})
	r.want(map[string]float64{
		"pppkeep_phase{phase=connecting}": 1, "pppkeep_session_ends_total{class=SIM}": 2, "pppkeep_sessions_total": 3,
		"pppkeep_signal_dbm": -65, "pppkeep_registration{state=registered, home}": 1,
		"pppkeep_module_info{firmware=" + firmware + "|iccid=8981100000000000001|imei=004999010640000|model=" + model + "}": 1,
	})
	r.ev(s, "chat failed", supervise.Event{Kind: supervise.EvSessionExited, Code: 8})
	r.want(map[string]float64{
		"pppkeep_session_ends_total{class=module}": 1, "pppkeep_session_ends_total{class=SIM}": 2,
		"pppkeep_session_ends_total{class=none}": 0, "pppkeep_verdict_class{class=module}": 1,
	})
}

// The result labels are the machine's own words for modem_reset's
// outcome, each a label of its own: a rewording in supervise shows here.
// The step label is the last step modem_reset reported, none when it
// reported none or was not started.
func TestResetResultsAreTheMachines(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		ev   supervise.Event
		want string
	}{
		{supervise.Event{Kind: supervise.EvResetDone, Code: 0, Step: "power"}, "result=ok|step=power"},
		{supervise.Event{Kind: supervise.EvResetDone, Code: 1, Step: "none"}, "result=failed|step=none"},
		{supervise.Event{Kind: supervise.EvResetDone, Code: 3, Step: "usb"}, "result=not_ready|step=usb"},
		{supervise.Event{Kind: supervise.EvResetStartFailed, Text: "modem_reset: not found"}, "result=not_started|step=none"},
		{supervise.Event{Kind: supervise.EvResetDone, Code: 2, Step: "at"}, "result=other|step=at"},
	} {
		cfg := supervise.Config{Persist: true, ResetOnFail: true, Retry: 1, Holdoff: time.Second, Loc: time.UTC}
		r := newMachineRun(t, cfg, t0, nil)
		r.ev(0, "start", supervise.Event{Kind: supervise.EvStart})
		r.ev(10*time.Second, "chat failed", supervise.Event{Kind: supervise.EvSessionExited, Code: 8})
		r.want(map[string]float64{"pppkeep_phase{phase=resetting}": 1})
		r.ev(10*time.Second, "reset ended", c.ev)
		want := map[string]float64{"pppkeep_resets_total{" + c.want + "}": 1}
		for _, k := range resetKinds {
			result, step, _ := strings.Cut(k, " ")
			if key := "result=" + result + "|step=" + step; key != c.want {
				want["pppkeep_resets_total{"+key+"}"] = 0
			}
		}
		r.step = fmt.Sprintf("reset ended (%v %d)", c.ev.Kind, c.ev.Code)
		r.want(want)
	}
}

// At most one write every 5 s: a change inside the window is written when
// it ends (the latest state, nothing lost), by one timer; with nothing
// changed there is no timer at all; the wrapper's last state (done) is
// written at once.
func TestMetricsWrittenAtMostEvery5s(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	clock := &fakeClock{now: t0}
	dir := t.TempDir()
	f := &metricsFile{dir: dir, clock: clock, warnf: t.Errorf, infof: t.Logf}
	phase := func() string {
		t.Helper()
		p := readProm(t, dir)
		for _, ph := range phases {
			if v, _ := p.Value("pppkeep_phase", "phase", ph); v == 1 {
				return ph
			}
		}
		return "?"
	}
	state := func(ph string) runstate.State { return runstate.State{Phase: ph, Since: clock.now} }

	f.save(state(supervise.PhaseConnecting))
	if got := phase(); got != supervise.PhaseConnecting {
		t.Fatalf("first state: the file says %s, want it written at once", got)
	}
	clock.advance(time.Second)
	f.save(state(supervise.PhaseUp))
	clock.advance(time.Second)
	f.save(state(supervise.PhaseHoldoff))
	if got := phase(); got != supervise.PhaseConnecting {
		t.Errorf("2 s after a write: the file says %s, want it unchanged until the window ends", got)
	}
	if at := clock.armed(); len(at) != 1 || !at[0].Equal(t0.Add(metricsEvery)) {
		t.Errorf("timers armed: %v, want one at the window's end %v", at, t0.Add(metricsEvery))
	}
	clock.advance(3 * time.Second)
	if got := phase(); got != supervise.PhaseHoldoff {
		t.Errorf("at the window's end: the file says %s, want the latest state, holdoff", got)
	}
	if at := clock.armed(); len(at) != 0 {
		t.Errorf("after the pending write: timers armed %v, want none", at)
	}

	// The same state again (an event that changed nothing): no write, no timer.
	fi, _ := os.Stat(filepath.Join(dir, metricsName))
	clock.advance(time.Second)
	same := state(supervise.PhaseHoldoff)
	same.Since = t0.Add(2 * time.Second)
	f.save(same)
	if at := clock.armed(); len(at) != 0 {
		t.Errorf("nothing changed: timers armed %v, want none", at)
	}
	if fi2, _ := os.Stat(filepath.Join(dir, metricsName)); !os.SameFile(fi, fi2) {
		t.Errorf("nothing changed, yet the file was rewritten")
	}

	// A change and a change back inside the window: nothing to write.
	clock.advance(time.Second)
	f.save(state(supervise.PhaseConnecting))
	f.save(same)
	if at := clock.armed(); len(at) != 0 {
		t.Errorf("changed and back: timers armed %v, want none", at)
	}

	// The last state goes out at once, inside the window.
	clock.advance(time.Second)
	f.save(state(supervise.PhaseStopping))
	f.save(state(supervise.PhaseDone))
	if got := phase(); got != supervise.PhaseDone {
		t.Errorf("the wrapper's last state: the file says %s, want done at once", got)
	}
	if at := clock.armed(); len(at) != 0 {
		t.Errorf("after the last state: timers armed %v, want none", at)
	}
}

// A directory that cannot be written is said once, not at every change;
// once it can be, the file is written again and that is said too.
func TestMetricsDirMissing(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	dir := filepath.Join(t.TempDir(), "node-exporter")
	var warned, told []string
	f := &metricsFile{dir: dir, clock: clock,
		warnf: func(format string, args ...any) { warned = append(warned, fmt.Sprintf(format, args...)) },
		infof: func(format string, args ...any) { told = append(told, fmt.Sprintf(format, args...)) }}
	for i, ph := range []string{supervise.PhaseConnecting, supervise.PhaseUp, supervise.PhaseHoldoff} {
		clock.advance(10 * time.Second)
		f.save(runstate.State{Phase: ph, Attempts: i})
	}
	if len(warned) != 1 || !strings.Contains(warned[0], dir) || !strings.Contains(warned[0], "METRICS_DIR must be a directory ppp_wrapper can write") {
		t.Errorf("warnings: %q, want one naming %s and what to do", warned, dir)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	clock.advance(10 * time.Second)
	f.save(runstate.State{Phase: supervise.PhaseUp, Attempts: 4})
	if v, ok := readProm(t, dir).Value("pppkeep_sessions_total"); !ok || v != 4 {
		t.Errorf("once the directory exists: sessions_total = %v, %v, want 4", v, ok)
	}
	if len(told) != 1 || !strings.Contains(told[0], "written again") {
		t.Errorf("info lines: %q, want one saying the file is written again", told)
	}
}

// The ip-down hook's figures count for the wrapper's own pppd only, once.
func TestTakeSessionBytes(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, runstate.Dir, sessionBytesName)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		content string
		pid     int
		ok      bool
	}{
		{"4242 1200 34000\n", 4242, true},
		{"4243 1200 34000\n", 4242, false}, // another pppd's (a VPN)
		{"4242 12x 34000\n", 4242, false},
		{"4242 1200\n", 4242, false},
	} {
		if err := os.WriteFile(p, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		sent, received, ok := takeSessionBytes(root, c.pid)
		if ok != c.ok || ok && (sent != 1200 || received != 34000) {
			t.Errorf("%q for pppd %d: %d, %d, %v; want ok=%v (1200, 34000)", c.content, c.pid, sent, received, ok, c.ok)
		}
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%q: the file is still there after it was taken", c.content)
		}
	}
	if _, _, ok := takeSessionBytes(root, 4242); ok {
		t.Errorf("no file: figures found")
	}
}

// A stop while the pre-dial check asks the module ends that attempt, for
// no fault; the module's silence at the next wrapper's check is a module
// end. The machine says so: nothing is inferred from the phases.
func TestEndsAtTheCheck(t *testing.T) {
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cfg := supervise.Config{Persist: true, ResetOnFail: true, Retry: 3, Holdoff: time.Second, Loc: time.UTC, WaitDevice: true, Check: true}
	r := newMachineRun(t, cfg, t0, nil)
	s := 10 * time.Second // the file is written at most every 5 s
	r.ev(0, "start", supervise.Event{Kind: supervise.EvStart})
	r.ev(s, "tty", supervise.Event{Kind: supervise.EvDeviceReady, TTY: "/dev/ttyUSB2"})
	r.ev(s, "silent", supervise.Event{Kind: supervise.EvCheckDone, Check: supervise.Check{Verdict: supervise.CheckSilent, Text: "no answer to AT"}})
	r.want(map[string]float64{"pppkeep_session_ends_total{class=module}": 1, "pppkeep_session_ends_total{class=none}": 0})
	r.ev(s, "holdoff over", supervise.Event{Kind: supervise.EvWaitOver})
	r.ev(s, "tty", supervise.Event{Kind: supervise.EvDeviceReady, TTY: "/dev/ttyUSB2"})
	r.want(map[string]float64{"pppkeep_phase{phase=checking}": 1})
	r.ev(s, "stop", supervise.Event{Kind: supervise.EvStop})
	r.want(map[string]float64{"pppkeep_session_ends_total{class=module}": 1, "pppkeep_session_ends_total{class=none}": 1,
		"pppkeep_sessions_total": 2, "pppkeep_phase{phase=done}": 1})
}
