package pppwrapper

import (
	"context"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// TermWait is how long pppd gets to end the link after SIGTERM (LCP
// TermReq, the ip-down hook) before it is killed. ppp.service's
// TimeoutStopSec is longer.
const TermWait = 20 * time.Second

// dailyCheck is how often the RESET_AT time is compared with the wall
// clock: a timer alone runs on the monotonic clock and would miss a clock
// that NTP sets after boot. Once a second keeps the disconnect at the start
// of its minute.
const dailyCheck = time.Second

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
	nextDaily        time.Time
	deviceCancel     context.CancelFunc
	events           chan supervise.Event
	deviceFound      chan deviceResult
	killTimer        *time.Timer
	exitCode         int
	done             bool
	fixedTT          bool
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
	daily := time.NewTicker(dailyCheck)
	defer daily.Stop()

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
		case now := <-daily.C:
			if w.nextDaily.IsZero() || now.Before(w.nextDaily) {
				continue
			}
			ev = supervise.Event{Kind: supervise.EvDaily}
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
		case "error":
			w.log.Errorf("%s", a.Text)
		case "warning":
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
		w.nextDaily = a.At
		w.log.Infof("next RESET_AT disconnect: %s", a.At.Format("2006-01-02 15:04 MST"))
	case supervise.ActWriteConnectOK:
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
		w.log.Errorf("cannot start %s: %v", w.pppd, err)
		// As pppd's "fatal error": the machine decides what follows.
		go func() { w.events <- supervise.Event{Kind: supervise.EvSessionExited, Code: 1} }()
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
		w.log.Errorf("cannot run %s: %v", w.modemReset, err)
		go func() { w.events <- supervise.Event{Kind: supervise.EvResetDone, Code: exitcode.Failure} }()
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
	}
	if w.reset != nil && w.reset.running() {
		w.reset.signal(syscall.SIGTERM)
		w.reset.waitFor(5 * time.Second)
	}
	stopMonitors(w.root, w.log)
	w.log.Infof("stopped")
}

func (w *wrapper) saveState() {
	s := runstate.State{PID: os.Getpid(), Peer: w.cfg.Peer(), Device: w.tty}
	w.machine.Fill(&s)
	if err := runstate.WriteState(w.root, s); err != nil {
		w.log.Warnf("state: %v", err)
	}
}
