package supervise

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func base() Config {
	return Config{Persist: true, ResetOnFail: true, Holdoff: 5 * time.Second, Retry: 3, ResetWait: 30 * time.Second, Loc: time.UTC}
}

func TestEveryExitCode(t *testing.T) {
	for code := 0; code <= 22; code++ {
		w := newWorld(t, base(), t0)
		first := true
		w.pppd = func(time.Time) (int, time.Duration) {
			if first {
				first = false
				return code, time.Second
			}
			return -1, time.Second
		}
		w.run(t0.Add(time.Minute))
		e := ExitMeaning(code)
		switch {
		case code == 2 || code == 3 || code == 4:
			// Not fixable by dialing again: exit, and systemd restarts.
			if w.exit == nil || *w.exit != 1 {
				t.Errorf("pppd exit %d (%s): wrapper exit = %v, want 1", code, e.Meaning, w.exit)
			}
		case code == 19:
			if w.count(ActRunReset) != 0 || len(w.logs("authentication failure 1 in a row, retrying in 5s")) != 1 {
				t.Errorf("pppd exit 19: resets %d, logs %q; want none and a backoff line", w.count(ActRunReset), w.log)
			}
		case code == 12:
			if w.m.failures != 0 || len(w.logs("idle timeout (pppd exit 12): reconnecting in 5s")) != 1 {
				t.Errorf("pppd exit 12: failures %d, logs %q; want no failure", w.m.failures, w.log)
			}
		case networkExits[code]:
			// The module dialed, the network ended the call: a backoff,
			// no reset, the likely causes named.
			want := fmt.Sprintf("(pppd exit %d) before the link came up: the network ended the call, 1 in a row: check APN, ACCOUNT, PASSWORD, the SIM's data plan and the coverage; no module reset (a reset cannot cure the network's refusal); retrying in 5s (class: network)", code)
			if len(w.logs(want)) != 1 || w.count(ActRunReset) != 0 {
				t.Errorf("pppd exit %d: logs %q, want a network line", code, w.log)
			}
		default:
			if len(w.logs(fmt.Sprintf("(pppd exit %d): 1 of 3 failures, reconnecting in 5s (class: module)", code))) != 1 {
				t.Errorf("pppd exit %d: logs %q, want a module failure line", code, w.log)
			}
		}
		if code != 2 && code != 3 && code != 4 && (w.m.Phase() != PhaseUp || w.m.attempts != 2) {
			t.Errorf("pppd exit %d: phase %s after %d attempts, want up after 2", code, w.m.Phase(), w.m.attempts)
		}
	}
}

func TestRetryThenReset(t *testing.T) {
	w := newWorld(t, base(), t0)
	fails := 7
	w.pppd = func(time.Time) (int, time.Duration) {
		if fails > 0 {
			fails--
			return 8, time.Second
		}
		return -1, time.Second
	}
	w.run(t0.Add(10 * time.Minute))
	// 7 failures: a reset after the 3rd; the 6th comes within the reset
	// budget's pause (no lasting link followed the reset): no second
	// reset; the 7th is 1 of 3.
	if got := w.count(ActRunReset); got != 1 {
		t.Errorf("resets after 7 chat failures in a minute = %d, want 1; log:\n%s", got, strings.Join(w.log, "\n"))
	}
	if len(w.logs("chat failed (the connect script) (pppd exit 8): 3 of 3 failures: resetting the module")) != 1 ||
		len(w.logs("(pppd exit 8): 3 of 3 failures: not resetting the module (resets paused until 12:05: the last 1 not followed by a link lasting 10m0s)")) != 1 {
		t.Errorf("missing the reset line or the paused line; log:\n%s", strings.Join(w.log, "\n"))
	}
	if w.m.Phase() != PhaseUp || w.m.failures != 0 {
		t.Errorf("after the link came up: phase %s, failures %d; want up, 0", w.m.Phase(), w.m.failures)
	}
	if w.count(ActWriteConnectOK) != 1 {
		t.Errorf("CONNECT_OK written %d times, want once", w.count(ActWriteConnectOK))
	}
}

// A link that comes up and dies within StableLink, again and again, is a
// link failure each time: after RETRY in a row, a reset. The refusals in
// between (exit 16 before the link came up) are the network's and do not
// count toward RETRY.
func TestFlappingLinkIsReset(t *testing.T) {
	w := newWorld(t, base(), t0)
	n := 0
	w.pppd = func(time.Time) (int, time.Duration) {
		n++
		if n%2 == 0 { // every other session comes up, then is found dead
			return -1, time.Second
		}
		return 16, time.Second
	}
	// Each time the link is up, the monitor finds it dead 10 s later.
	for i := 0; i < 10; i++ {
		w.run(w.now.Add(9 * time.Second))
		if w.m.Phase() == PhaseUp {
			w.at(Event{Kind: EvLinkDead, At: w.now.Add(time.Second)})
		}
	}
	w.run(t0.Add(10 * time.Minute))
	if w.count(ActRunReset) != 1 || len(w.logs("the monitor found the link dead (pppd exit 5): 3 of 3 failures: resetting the module (RESET_ON_FAIL=1) (class: link)")) != 1 {
		t.Errorf("resets = %d, want 1 after the third death in a row; log:\n%s", w.count(ActRunReset), strings.Join(w.log, "\n"))
	}
	if len(w.logs("(pppd exit 16) before the link came up: the network ended the call, 1 in a row")) == 0 {
		t.Errorf("the refusals between the links are not the network's; log:\n%s", strings.Join(w.log, "\n"))
	}
}

// A link that lasted StableLink before it died starts the count again.
func TestStableLinkClearsTheCount(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return -1, time.Second }
	for i := 0; i < 6; i++ {
		w.at(Event{Kind: EvLinkDead, At: w.now.Add(StableLink + time.Minute)})
		w.run(w.now.Add(StableLink + 2*time.Minute))
	}
	if w.count(ActRunReset) != 0 || len(w.logs("the monitor found the link dead (pppd exit 5): 1 of 3 failures, reconnecting in 5s (class: link)")) != 6 {
		t.Errorf("links that lasted 11 min: resets %d, log:\n%s\nwant each death 1 of 3, no reset", w.count(ActRunReset), strings.Join(w.log, "\n"))
	}
}

func TestResetAlways(t *testing.T) {
	cfg := base()
	cfg.ResetAlways = true
	w := newWorld(t, cfg, t0)
	n := 0
	w.pppd = func(time.Time) (int, time.Duration) {
		n++
		if n <= 3 {
			return 16, 30 * time.Second
		}
		return -1, time.Second
	}
	w.run(t0.Add(10 * time.Minute))
	if got := w.count(ActRunReset); got != 3 {
		t.Errorf("resets with RESET_ALWAYS after 3 hangups = %d, want 3", got)
	}
}

func TestPersistZeroExitsAfterOneSession(t *testing.T) {
	for _, tc := range []struct {
		code, want int
	}{{16, 0}, {12, 0}, {19, 0}} {
		cfg := base()
		cfg.Persist = false
		w := newWorld(t, cfg, t0)
		w.pppd = func(time.Time) (int, time.Duration) { return tc.code, time.Second }
		w.run(t0.Add(time.Hour))
		if w.exit == nil || *w.exit != tc.want || w.m.attempts != 1 || w.count(ActRunReset) != 0 {
			t.Errorf("PERSIST=0, pppd exit %d: exit %v after %d sessions, %d resets; want %d after 1, none", tc.code, w.exit, w.m.attempts, w.count(ActRunReset), tc.want)
		}
	}
}

func TestAuthFailuresBackOffWithoutReset(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.pppd = func(time.Time) (int, time.Duration) { return 19, time.Second }
	w.run(t0.Add(2 * time.Hour))
	if got := w.count(ActRunReset); got != 0 {
		t.Fatalf("resets on a wrong password = %d, want 0", got)
	}
	var got []string
	for _, l := range w.logs("retrying in ") {
		got = append(got, strings.TrimSuffix(l[strings.LastIndex(l, "retrying in ")+len("retrying in "):], " (class: network)"))
	}
	want := []string{"5s", "10s", "20s", "40s", "1m20s", "2m40s", "5m20s", "10m0s", "10m0s"}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("auth backoff = %q, want it to start %q (doubling, capped at 10 min)", got, want)
		}
	}
	if !strings.Contains(w.log[0], "authentication failed: the network refused our account/password (pppd exit 19): check ACCOUNT, PASSWORD and APN") {
		t.Errorf("first log line %q does not name the cause", w.log[0])
	}
}

func TestFailedResetsBackOff(t *testing.T) {
	w := newWorld(t, base(), t0)
	w.resetCode = 3
	w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
	w.run(t0.Add(2 * time.Hour))
	lines := w.logs("failed reset(s) in a row; dialing again in ")
	if len(lines) < 4 || !strings.HasSuffix(lines[0], "1 failed reset(s) in a row; dialing again in 5s") ||
		!strings.HasSuffix(lines[1], "2 failed reset(s) in a row; dialing again in 10s") ||
		!strings.HasSuffix(lines[3], "4 failed reset(s) in a row; dialing again in 40s") {
		t.Errorf("after failed resets: %q, want doubling waits", lines)
	}
}

// A month of RESET_AT=03:00 with RESET_ALWAYS=1 in Berlin, across the
// spring-forward day, with one day on which the link is down at 03:00:
// one forced disconnect and one reset a day, at 03:00 local time.
func TestResetAtForAMonth(t *testing.T) {
	loc := berlin(t)
	cfg := base()
	cfg.ResetAlways, cfg.ResetAt, cfg.Loc = true, &TimeOfDay{3, 0}, loc
	start := time.Date(2026, 3, 10, 12, 0, 0, 0, loc)
	w := newWorld(t, cfg, start)
	down := time.Date(2026, 3, 20, 2, 0, 0, 0, loc)
	w.pppd = func(at time.Time) (int, time.Duration) {
		if at.After(down) && at.Before(down.Add(2*time.Hour)) {
			return 8, 20 * time.Second // the network is away 02:00–04:00 that day
		}
		return -1, 2 * time.Second
	}
	w.at(Event{Kind: EvLinkDead, At: down})
	w.run(start.Add(30 * 24 * time.Hour))
	// One reset a day, within seconds after 03:00 local; on the day the
	// network was away, too.
	perDay := map[string]int{}
	for _, r := range w.resets {
		if !strings.HasPrefix(r.why, "RESET_AT 03:00 with RESET_ALWAYS=1") {
			continue
		}
		l := r.at.In(loc)
		if l.Hour() == 3 && l.Minute() == 0 {
			perDay[l.Format("01-02")]++
		}
	}
	if len(perDay) != 30 {
		t.Errorf("days with a reset at 03:00 = %d, want 30: %v\n%s", len(perDay), perDay, strings.Join(w.log, "\n"))
	}
	for d, n := range perDay {
		if n != 1 {
			t.Errorf("%s: %d resets at 03:00, want 1", d, n)
		}
	}
	if perDay["03-20"] != 1 || perDay["03-29"] != 1 {
		t.Errorf("no reset on the day the link was down (03-20) or the DST day (03-29): %v", perDay)
	}
	if w.exit != nil {
		t.Errorf("wrapper exited %d", *w.exit)
	}
}

func TestStopDuringEachWait(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(w *world)
		want  []ActionKind
	}{
		{"holdoff", func(w *world) { w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second } }, []ActionKind{ActLog, ActCancelWait, ActExit}},
		{"auth backoff", func(w *world) { w.pppd = func(time.Time) (int, time.Duration) { return 19, time.Second } }, []ActionKind{ActLog, ActCancelWait, ActExit}},
		{"link up", func(w *world) {}, []ActionKind{ActLog, ActTerminatePPPD}},
		{"reset", func(w *world) {
			w.pppd = func(time.Time) (int, time.Duration) { return 8, time.Second }
		}, nil},
	} {
		w := newWorld(t, base(), t0)
		tc.setup(w)
		until := t0.Add(3 * time.Second)
		if tc.name == "reset" {
			until = t0.Add(13 * time.Second) // third failure at 13 s: resetting
		}
		w.run(until)
		phase := w.m.Phase()
		acts := w.m.Handle(Event{Kind: EvStop, At: w.now})
		var kinds []ActionKind
		for _, a := range acts {
			kinds = append(kinds, a.Kind)
		}
		if tc.name == "reset" {
			if phase != PhaseResetting || fmt.Sprint(kinds) != fmt.Sprint([]ActionKind{ActLog, ActCancelReset, ActExit}) {
				t.Errorf("stop while %s: %v, want a cancelled reset and exit", phase, kinds)
			}
			continue
		}
		if fmt.Sprint(kinds) != fmt.Sprint(tc.want) {
			t.Errorf("stop during %s (phase %s) = %v, want %v", tc.name, phase, kinds, tc.want)
		}
		if tc.name == "link up" {
			end := w.m.Handle(Event{Kind: EvSessionExited, At: w.now.Add(time.Second), Code: 5})
			if len(end) != 2 || end[1].Kind != ActExit || end[1].Code != 0 {
				t.Errorf("pppd ended after a stop: %v, want exit 0", end)
			}
		}
	}
}

func TestDeviceMissingLeadsToReset(t *testing.T) {
	cfg := base()
	cfg.WaitDevice = true
	m := New(cfg)
	acts := m.Handle(Event{Kind: EvStart, At: t0})
	if len(acts) != 1 || acts[0].Kind != ActWaitDevice || acts[0].At != t0.Add(time.Minute) {
		t.Fatalf("start with a device to wait for = %v, want one ActWaitDevice until +1m", acts)
	}
	acts = m.Handle(Event{Kind: EvDeviceTimeout, At: t0.Add(time.Minute)})
	if len(acts) != 1 || acts[0].Kind != ActRunReset || !strings.Contains(acts[0].Reason, "missing for 1m0s") {
		t.Errorf("tty missing for a minute = %v, want a reset", acts)
	}
	if m.attempts != 0 {
		t.Errorf("attempts while waiting for the device = %d, want 0 (no RETRY burnt)", m.attempts)
	}
}

// A router that boots in 1970 and sets its clock by NTP must not take the
// jump for a RESET_AT time.
func TestClockJumpDoesNotFire(t *testing.T) {
	cfg := base()
	cfg.ResetAt = &TimeOfDay{3, 0}
	m := New(cfg)
	boot := time.Date(1970, 1, 1, 0, 0, 5, 0, time.UTC)
	m.Handle(Event{Kind: EvStart, At: boot})
	m.Handle(Event{Kind: EvLinkUp, At: boot.Add(time.Second)})
	later := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	acts := m.Handle(Event{Kind: EvDaily, At: later})
	for _, a := range acts {
		if a.Kind == ActTerminatePPPD {
			t.Fatalf("EvDaily after a clock jump = %v, want no disconnect", acts)
		}
	}
	var armed time.Time
	for _, a := range acts {
		if a.Kind == ActArmDaily {
			armed = a.At
		}
	}
	if !armed.Equal(time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("EvDaily after a clock jump = %v, want the next 03:00 armed", acts)
	}
}
