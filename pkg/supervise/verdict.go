package supervise

import (
	"fmt"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// Verdict is the one line that says how the link is, for the first line
// of `ppp_wrapper --status` (and what a supervisor shows): "up 3h12m,
// session 5", "down 4m: the network ends each call before IP (5 in a
// row): check APN, ACCOUNT, PASSWORD; next dial in 1m20s; resets paused
// until 13:10", "down: SIM not inserted".
func Verdict(s runstate.State, now time.Time) string { return verdict(s, now, false) }

// StatusLine is the verdict with times of day instead of durations, for
// systemd's STATUS= (sent on a change and shown as it is until the next):
// "up since 12:03:04, session 5", "down since 12:00:01: …; next dial at
// 12:05:10".
func StatusLine(s runstate.State) string { return verdict(s, time.Time{}, true) }

func verdict(s runstate.State, now time.Time, clock bool) string {
	ago := func(t time.Time) string {
		if clock {
			return "since " + t.Local().Format("15:04:05")
		}
		return short(now.Sub(t))
	}
	in := func(t time.Time) string {
		if clock {
			return "at " + t.Local().Format("15:04:05")
		}
		return "in " + short(t.Sub(now))
	}
	switch s.Phase {
	case PhaseUp:
		return fmt.Sprintf("up %s, session %d", ago(s.LinkUpAt), s.Attempts)
	case PhaseDone:
		return "stopped"
	case PhaseStopping:
		return "stopping"
	case PhaseConnecting:
		if s.Class == "" {
			return fmt.Sprintf("connecting, session %d", s.Attempts)
		}
	case PhaseChecking:
		if s.Class == "" {
			return fmt.Sprintf("checking the module, session %d", s.Attempts)
		}
	}
	down := "down"
	if !s.DownSince.IsZero() {
		down += " " + ago(s.DownSince)
	}
	var parts []string
	switch s.Class {
	case ClassSIM.String():
		parts = append(parts, "SIM "+orElse(s.SIM, "not ready"))
	case ClassNetwork.String():
		if s.Registration == "denied" && s.Phase == PhaseBackoff {
			parts = append(parts, "the network denies registration: check the SIM's plan and whether the operator bars it")
		} else {
			parts = append(parts, fmt.Sprintf("the network ends each call before IP (%d in a row): check APN, ACCOUNT, PASSWORD", s.NetworkRefusals))
		}
	case ClassModule.String():
		parts = append(parts, "the module fails"+inARow(s.Failures))
	case ClassLink.String():
		parts = append(parts, "the link keeps dying"+inARow(s.LinkFailures))
	}
	switch s.Phase {
	case PhaseResetting:
		parts = append(parts, "resetting the module ("+s.LastResetWhy+")")
	case PhaseWaitDevice:
		parts = append(parts, "waiting for the module's tty")
	case PhaseWaitNetwork:
		parts = append(parts, "the module searches for the network ("+orElse(s.Registration, "not registered")+")")
	case PhaseConnecting:
		parts = append(parts, fmt.Sprintf("dialing, session %d", s.Attempts))
	case PhaseChecking:
		parts = append(parts, fmt.Sprintf("checking the module, session %d", s.Attempts))
	}
	if !s.NextDialAt.IsZero() && (clock || s.NextDialAt.After(now)) {
		next := "next dial "
		if s.Class == ClassSIM.String() || s.Registration == "denied" || s.Phase == PhaseWaitNetwork {
			next = "next check " // no dial until the module is fit for one
		}
		parts = append(parts, next+in(s.NextDialAt))
	}
	if !s.ResetsPausedUntil.IsZero() && (clock || s.ResetsPausedUntil.After(now)) {
		parts = append(parts, fmt.Sprintf("resets paused until %s", s.ResetsPausedUntil.Local().Format("15:04")))
	}
	if len(parts) == 0 {
		return down
	}
	return down + ": " + strings.Join(parts, "; ")
}

// inARow is " (N in a row)", or nothing for 0 (the count just started
// again: at a reset, or while resets are paused).
func inARow(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d in a row)", n)
}

// short is a duration as a person reads it: 45s, 4m, 3h12m.
func short(d time.Duration) string {
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String()
	case d < time.Hour:
		d = d.Round(time.Second)
		if d%time.Minute == 0 {
			return fmt.Sprintf("%dm", int(d.Minutes()))
		}
		return d.String()
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func orElse(s, other string) string {
	if s == "" {
		return other
	}
	return s
}
