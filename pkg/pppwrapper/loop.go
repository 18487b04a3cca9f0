package pppwrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
	"github.com/pppkeep/pppkeep/pkg/wallclock"
)

// TermWait is how long pppd gets to end the link after SIGTERM (LCP
// TermReq, the ip-down hook) before it is killed. ppp.service's
// TimeoutStopSec is longer.
const TermWait = 20 * time.Second

type wrapper struct {
	cfg              *config.Config
	log              *logging.Logger
	root, configPath string
	pppd, modemReset string
	genConfig        string
	foreground       bool
	stderr           io.Writer
	machine          *supervise.Machine
	tty              string // the tty pppd was last given ("" = the peer file's)
	session          *process
	reset            *process
	waitTimer        *time.Timer
	// daily wakes the loop at the RESET_AT instant of the wall clock and
	// when the clock is set (nil without RESET_AT: no alarm at all).
	daily        *wallclock.Alarm
	deviceCancel context.CancelFunc
	events       chan supervise.Event
	deviceFound  chan deviceResult
	killTimer    *time.Timer
	exitCode     int
	done         bool
	fixedTT      bool
}

func (w *wrapper) run() int {
	w.events = make(chan supervise.Event, 16)
	w.deviceFound = make(chan deviceResult, 1)
	w.machine = supervise.New(w.machineConfig())
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sigs)
	w.waitTimer = time.NewTimer(time.Hour)
	w.waitTimer.Stop()
	var dailyC <-chan wallclock.Fired
	if w.cfg.ResetAt != nil {
		a, err := wallclock.New()
		if err != nil {
			w.log.Errorf("RESET_AT is off: %v", err)
		} else {
			w.daily, dailyC = a, a.C()
			defer a.Close()
		}
	}

	w.log.Infof("starting: pppd call %s nodetach (HOLDOFF %v, RETRY %d, RESET_ON_FAIL %v, RESET_ALWAYS %v%s)",
		w.cfg.Peer(), w.cfg.Holdoff, w.cfg.Retry, w.cfg.ResetOnFail, w.cfg.ResetAlways, resetAtText(w.cfg))
	w.handle(supervise.Event{Kind: supervise.EvStart, At: time.Now()})
	for !w.done {
		var ev supervise.Event
		select {
		case s := <-sigs:
			switch s {
			case syscall.SIGUSR2:
				ev = supervise.Event{Kind: supervise.EvLinkUp}
			case syscall.SIGUSR1:
				ev = supervise.Event{Kind: supervise.EvLinkDead}
			case syscall.SIGHUP:
				w.log.Infof("SIGHUP ignored: restart the service to read a changed configuration")
				continue
			default:
				ev = supervise.Event{Kind: supervise.EvStop}
			}
		case ev = <-w.events:
		case r := <-w.deviceFound:
			w.deviceCancel = nil
			if r.timeout {
				ev = supervise.Event{Kind: supervise.EvDeviceTimeout}
			} else {
				if r.tty != w.tty && w.tty != "" {
					w.log.Infof("the module's tty is now %s (was %s)", r.tty, w.tty)
				}
				w.tty, w.fixedTT = r.tty, r.fixed
				ev = supervise.Event{Kind: supervise.EvDeviceReady}
			}
		case <-w.waitTimer.C:
			ev = supervise.Event{Kind: supervise.EvWaitOver}
		case f, ok := <-dailyC:
			if !ok {
				w.log.Errorf("RESET_AT is off: the wall-clock alarm stopped")
				dailyC = nil
				continue
			}
			ev = supervise.Event{Kind: supervise.EvDaily}
			if f.ClockSet {
				ev.Kind = supervise.EvClockSet
			}
		case <-w.killC():
			w.log.Warnf("pppd did not end within %v of SIGTERM: killing it", TermWait)
			w.session.kill()
			continue
		}
		ev.At = time.Now()
		w.handle(ev)
	}
	w.cleanup()
	return w.exitCode
}

func (w *wrapper) killC() <-chan time.Time {
	if w.killTimer == nil {
		return nil
	}
	return w.killTimer.C
}

func resetAtText(c *config.Config) string {
	if c.ResetAt == nil {
		return ""
	}
	return ", RESET_AT " + c.ResetAt.String()
}

func (w *wrapper) machineConfig() supervise.Config {
	c := w.cfg
	mc := supervise.Config{
		Persist: c.Persist, ResetOnFail: c.ResetOnFail, ResetAlways: c.ResetAlways,
		Holdoff: c.Holdoff, Retry: c.Retry, ResetWait: c.ResetWait, ConnectOK: c.ConnectOK,
		WaitDevice: c.Generated(), Loc: time.Local,
	}
	if c.ResetAt != nil {
		mc.ResetAt = &supervise.TimeOfDay{Hour: c.ResetAt.Hour, Minute: c.ResetAt.Minute}
	}
	return mc
}

// handle feeds one event to the machine and carries out its actions.
func (w *wrapper) handle(ev supervise.Event) {
	switch ev.Kind {
	case supervise.EvSessionExited:
		w.session = nil
		if w.killTimer != nil {
			w.killTimer.Stop()
			w.killTimer = nil
		}
	case supervise.EvResetDone:
		w.reset = nil
	}
	for _, a := range w.machine.Handle(ev) {
		w.do(a)
	}
	w.saveState()
}

func (w *wrapper) do(a supervise.Action) {
	switch a.Kind {
	case supervise.ActLog:
		switch a.Level {
		case supervise.LevelError:
			w.log.Errorf("%s", a.Text)
		case supervise.LevelWarning:
			w.log.Warnf("%s", a.Text)
		default:
			w.log.Infof("%s", a.Text)
		}
	case supervise.ActWaitDevice:
		w.waitDevice(a.At)
	case supervise.ActStartPPPD:
		w.startPPPD()
	case supervise.ActTerminatePPPD:
		if w.session != nil {
			w.session.signal(syscall.SIGTERM)
			w.killTimer = time.NewTimer(TermWait)
		}
	case supervise.ActRunReset:
		w.runReset(a.Reason)
	case supervise.ActCancelReset:
		if w.reset != nil {
			w.reset.signal(syscall.SIGTERM)
		}
	case supervise.ActWaitUntil:
		w.waitTimer.Reset(time.Until(a.At))
	case supervise.ActCancelWait:
		w.waitTimer.Stop()
		if w.deviceCancel != nil {
			w.deviceCancel()
		}
	case supervise.ActArmDaily:
		if w.daily != nil {
			if err := w.daily.Set(a.At); err != nil {
				w.log.Errorf("RESET_AT: %v", err)
			}
		}
	case supervise.ActWriteConnectOK:
		// The write-back replaces the file: a hard-linked configuration
		// keeps the old content under its other names.
		if r, err := atomicfile.Inspect(w.configPath); err == nil && r.Warning() != "" {
			w.log.Warnf("%s", r.Warning())
		}
		if err := config.SetKey(w.configPath, "CONNECT_OK", "1"); err != nil {
			w.log.Warnf("could not write CONNECT_OK=1: %v", err)
		} else {
			w.log.Infof("first connection: wrote CONNECT_OK=1 to %s", w.configPath)
		}
	case supervise.ActExit:
		w.exitCode, w.done = a.Code, true
	}
}

func (w *wrapper) startPPPD() {
	if w.killTimer != nil {
		w.killTimer.Stop()
		w.killTimer = nil
	}
	args := []string{"call", w.cfg.Peer(), "nodetach"}
	if w.tty != "" && !w.fixedTT {
		if w.cfg.Generated() {
			w.regenerate()
		}
		// The module's tty changes after a reset or replug: give pppd the
		// one it has now (a device on the command line wins over the
		// peer file's).
		args = append(args, w.tty)
	}
	var out io.Writer
	if w.foreground {
		out = w.stderr
	}
	p, err := start(w.pppd, args, out, func(code int) {
		w.events <- supervise.Event{Kind: supervise.EvSessionExited, Code: code}
	})
	if err != nil {
		// The machine decides what follows; the event comes after this
		// round of actions.
		text := startError("pppd", w.pppd, "install ppp or fix --pppd", err)
		go func() { w.events <- supervise.Event{Kind: supervise.EvPPPDStartFailed, Text: text} }()
		return
	}
	w.session = p
}

// regenerate brings the peer file up to date with the tty the module has
// now: pppd refuses a peer file that names a tty which no longer exists
// (an option error), even with another tty on its command line. It also
// picks up CONNECT_OK=1 for the chat script. gen_pppconfig writes only
// what changed.
func (w *wrapper) regenerate() {
	cmd := exec.Command(w.genConfig, "--config", w.configPath, "--root", w.root)
	if out, err := cmd.CombinedOutput(); err != nil {
		w.log.Warnf("%s: %v: %s", w.genConfig, err, strings.TrimSpace(string(out)))
	}
}

func (w *wrapper) runReset(why string) {
	args := []string{"--config", w.configPath, "--root", w.root}
	if w.foreground {
		args = append(args, "--foreground")
	}
	w.log.Infof("resetting the module (%s): %s %v", why, w.modemReset, args)
	p, err := start(w.modemReset, args, w.stderr, func(code int) {
		w.events <- supervise.Event{Kind: supervise.EvResetDone, Code: code}
	})
	if err != nil {
		text := startError("modem_reset", w.modemReset, "reinstall pppkeep or fix --modem-reset", err)
		go func() { w.events <- supervise.Event{Kind: supervise.EvResetStartFailed, Text: text} }()
		return
	}
	w.reset = p
}

// cleanup leaves nothing behind: no pppd, no reset, no monitor.
func (w *wrapper) cleanup() {
	if w.deviceCancel != nil {
		w.deviceCancel()
	}
	if w.session != nil && w.session.running() {
		w.session.kill()
		w.session.waitFor(ResetGrace)
	}
	if w.reset != nil && w.reset.running() && w.reset.stop(ResetGrace) {
		w.log.Warnf("modem_reset (pid %d) did not end within %v of SIGTERM: killed it", w.reset.pid(), ResetGrace)
	}
	stopMonitors(w.root, w.log)
	w.log.Infof("stopped")
}

func (w *wrapper) saveState() {
	s := runstate.State{PID: os.Getpid(), Peer: w.cfg.Peer(), Device: w.tty}
	w.machine.Fill(&s)
	if w.session != nil && w.session.running() {
		s.PPPDPID = w.session.cmd.Process.Pid
	}
	if err := runstate.WriteState(w.root, s); err != nil {
		w.log.Warnf("state: %v", err)
	}
}

// startError says why the program at path could not be started, and what
// to do (fix), in one line.
func startError(what, path, fix string, err error) string {
	why := err.Error()
	switch {
	case errors.Is(err, exec.ErrNotFound):
		why = "not found in $PATH"
	case errors.Is(err, fs.ErrNotExist):
		why = "no such file"
		if _, serr := os.Stat(path); serr == nil {
			why = "its #! interpreter does not exist"
		}
	case errors.Is(err, fs.ErrPermission):
		why = "not executable"
	case errors.Is(err, syscall.ENOEXEC):
		why = "not a program this system can run"
	}
	return fmt.Sprintf("cannot start %s (%s): %s: %s", what, path, why, fix)
}
