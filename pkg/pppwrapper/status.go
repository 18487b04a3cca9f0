package pppwrapper

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// printStatus shows state.json of the running wrapper, for a person or
// (asJSON) for a program. It reads files only, so it works from any shell
// while the service runs.
func printStatus(stdout, stderr io.Writer, root string, asJSON bool) int {
	pid, running := runstate.ReadLive(runstate.WrapperPidfile(root), tool)
	s, err := runstate.ReadState(root)
	if asJSON {
		// {"running": ..., then state.json's keys}, or running alone
		// when there is no state to show.
		state := &s
		if err != nil {
			state = nil
		}
		lead := []runstate.Member{{Key: "running", Value: strconv.FormatBool(running)}}
		if err == nil && running {
			lead = append(lead, runstate.Member{Key: "verdict", Value: runstate.JSONString(supervise.Verdict(s, time.Now()))})
		}
		b, err := runstate.EncodeWith(lead, state)
		if err != nil {
			// A time the file cannot hold, which reading the file
			// never gives: show running alone.
			b, _ = runstate.EncodeWith(lead, nil)
		}
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		human(stdout, pid, running, s, err)
	}
	if !running {
		return exitcode.Failure
	}
	return exitcode.OK
}

func human(w io.Writer, pid int, running bool, s runstate.State, err error) {
	now := time.Now()
	ago := func(t time.Time) string {
		return fmt.Sprintf("%s (%s ago)", t.Local().Format("2006-01-02 15:04:05"), now.Sub(t).Round(time.Second))
	}
	if !running {
		fmt.Fprintf(w, "ppp_wrapper: not running\n")
		if err != nil {
			return
		}
		fmt.Fprintf(w, "last state (pid %d): %s since %s\n", s.PID, printable(s.Phase), ago(s.Since))
	} else {
		if err == nil {
			fmt.Fprintf(w, "%s\n", printable(supervise.Verdict(s, now)))
		}
		fmt.Fprintf(w, "ppp_wrapper: running (pid %d)\n", pid)
		if err != nil {
			fmt.Fprintf(w, "state: %s\n", printable(err.Error()))
			return
		}
		fmt.Fprintf(w, "phase:      %s since %s\n", printable(s.Phase), ago(s.Since))
	}
	if s.Detail != "" {
		fmt.Fprintf(w, "why:        %s\n", printable(s.Detail))
	}
	dev := s.Device
	if dev == "" {
		dev = "(as in the peer file)"
	}
	fmt.Fprintf(w, "peer:       %s on %s\n", printable(s.Peer), printable(dev))
	fmt.Fprintf(w, "sessions:   %d started; failures in a row: %d\n", s.Attempts, s.Failures)
	if !s.LinkUpAt.IsZero() {
		fmt.Fprintf(w, "link up:    %s\n", ago(s.LinkUpAt))
	}
	if s.LastExit != nil {
		fmt.Fprintf(w, "last exit:  pppd %d, %s, at %s\n", *s.LastExit, printable(s.LastExitMeaning), ago(s.LastExitAt))
	}
	if s.Resets > 0 {
		fmt.Fprintf(w, "resets:     %d; last %s: %s: %s%s\n", s.Resets, ago(s.LastReset), printable(s.LastResetWhy), printable(s.LastResetResult), stepText(s.LastResetStep))
	}
	if s.Class != "" {
		fmt.Fprintf(w, "class:      %s; in a row: %d module failure(s), %d link failure(s), %d network refusal(s) (%d of them authentication)\n",
			printable(s.Class), s.Failures-s.AuthFailures, s.LinkFailures, s.NetworkRefusals, s.AuthFailures)
	}
	if s.ResetsUnproven > 0 && s.Phase != supervise.PhaseUp {
		fmt.Fprintf(w, "budget:     %d reset(s) without the link coming up", s.ResetsUnproven)
		if s.ResetsPausedUntil.After(now) {
			fmt.Fprintf(w, "; resets paused until %s", s.ResetsPausedUntil.Local().Format("2006-01-02 15:04:05"))
		}
		fmt.Fprintln(w)
	}
	if s.Model != "" {
		fmt.Fprintf(w, "model:      %s, firmware %s, IMEI %s\n", printable(s.Model), orUnknown(s.Firmware), orUnknown(s.IMEI))
	}
	if !s.CheckedAt.IsZero() {
		fmt.Fprintf(w, "module:     SIM %s; %s; %s; operator %s; ICCID %s (checked %s)\n", orUnknown(s.SIM), orUnknown(s.Registration),
			signalText(s.SignalDBm), orUnknown(s.Operator), orUnknown(s.ICCID), ago(s.CheckedAt))
	}
	if !s.NextResetAt.IsZero() {
		fmt.Fprintf(w, "RESET_AT:   next %s\n", s.NextResetAt.Local().Format("2006-01-02 15:04"))
	}
}

// stepText names the last step of an ended reset, for the resets line.
func stepText(step string) string {
	switch step {
	case "", runstate.NoResetStep:
		return ""
	}
	return " (last step: " + printable(step) + ")"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return printable(s)
}

func signalText(dbm *int) string {
	if dbm == nil {
		return "signal unknown"
	}
	return fmt.Sprintf("signal %d dBm", *dbm)
}

// printable shows a string from state.json on a terminal as it is when it
// is printable text, else escaped as a Go string literal's body (\x1b,
// \r, \xff): a bug or a hostile file must not send escape sequences to
// the operator's terminal or rewrite the line they read.
func printable(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
