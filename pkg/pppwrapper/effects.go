package pppwrapper

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/sdnotify"
	"github.com/pppkeep/pppkeep/pkg/supervise"
	"github.com/pppkeep/pppkeep/pkg/wallclock"
)

// system is supervise.Effects on the real system: it runs pppd,
// modem_reset and gen_pppconfig, looks the module up under root, writes
// the configuration and state.json, and logs.
type system struct {
	cfg              *config.Config
	log              *logging.Logger
	root, configPath string
	pppd, modemReset string
	genConfig        string
	foreground       bool
	stderr           io.Writer
	// alarm wakes the loop at the RESET_AT instant of the wall clock and
	// when the clock is set (nil without RESET_AT, or when the kernel has
	// no such timer).
	alarm *wallclock.Alarm
	// model is the module LookUpTTY last found (the loop's goroutine
	// only; Check hands it to the check).
	model modem.Model
	// notify is systemd's notification socket under Type=notify (nil
	// otherwise); status is the STATUS= last sent.
	notify *sdnotify.Notifier
	status string
	// What the module said of itself, asked once (check.go).
	idMu       sync.Mutex
	identified bool
	identity   modem.Identity
	// metrics keeps METRICS_DIR's file (nil without METRICS_DIR).
	metrics *metricsFile
}

var _ supervise.Effects = (*system)(nil)

func (s *system) StartPPPD(tty string, exited func(int)) (supervise.Process, error) {
	args := []string{"call", s.cfg.Peer(), "nodetach"}
	if tty != "" {
		args = append(args, tty)
	}
	var out io.Writer
	if s.foreground {
		out = s.stderr
	}
	p, err := start(s.pppd, args, out, exited)
	if err != nil {
		return nil, errors.New(startError("pppd", s.pppd, "install ppp or fix --pppd", err))
	}
	return p, nil
}

func (s *system) StartReset(why string, exited func(code int, step string)) (supervise.Process, error) {
	args := []string{"--config", s.configPath, "--root", s.root}
	if s.foreground {
		args = append(args, "--foreground")
	}
	s.log.Infof("resetting the module (%s): %s %v", why, s.modemReset, args)
	p, err := startReporting(s.modemReset, args, s.stderr, runstate.ResetStepFDEnv, func(code int, report string) {
		exited(code, runstate.LastResetStep(report))
	})
	if err != nil {
		return nil, errors.New(startError("modem_reset", s.modemReset, "reinstall pppkeep or fix --modem-reset", err))
	}
	return p, nil
}

// LookUpTTY asks modem.Locate, which decides whether a name is fixed or
// must be looked up again after a reset or a replug.
func (s *system) LookUpTTY() (string, bool, bool) {
	l, err := modem.Locate(s.root, s.cfg.Device)
	if err != nil || !l.Present {
		return "", false, false
	}
	s.model = l.Model
	return l.Path(), l.Kind == modem.Fixed, true
}

// Regenerate runs gen_pppconfig, which writes only what changed: the peer
// file with the tty the module has now, the chat script with CONNECT_OK.
func (s *system) Regenerate() {
	cmd := exec.Command(s.genConfig, "--config", s.configPath, "--root", s.root)
	if out, err := cmd.CombinedOutput(); err != nil {
		s.log.Warnf("%s: %v: %s", s.genConfig, err, strings.TrimSpace(string(out)))
	}
}

func (s *system) WriteConnectOK(iccid string) {
	if !s.setKey("CONNECT_OK", "1") {
		return
	}
	if iccid == "" {
		s.log.Infof("first connection: wrote CONNECT_OK=1 to %s", s.configPath)
		return
	}
	if s.setKey("CONNECT_OK_ICCID", iccid) {
		s.log.Infof("first connection: wrote CONNECT_OK=1 and CONNECT_OK_ICCID=%s (the SIM it is for) to %s", iccid, s.configPath)
	}
}

func (s *system) ClearConnectOK() {
	if s.setKey("CONNECT_OK", "0") && s.setKey("CONNECT_OK_ICCID", "") {
		s.log.Infof("wrote CONNECT_OK=0 to %s: another SIM", s.configPath)
	}
}

// setKey writes key=value back to the configuration the careful way
// (config.SetKey), or says why not.
func (s *system) setKey(key, value string) bool {
	// The write-back replaces the file: a hard-linked configuration keeps
	// the old content under its other names.
	if r, err := atomicfile.Inspect(s.configPath); err == nil && r.Warning() != "" {
		s.log.Warnf("%s", r.Warning())
	}
	if err := config.SetKey(s.configPath, key, value); err != nil {
		s.log.Warnf("could not write %s=%s: %v", key, value, err)
		return false
	}
	return true
}

func (s *system) ArmDaily(at time.Time) {
	if s.alarm == nil {
		return
	}
	if err := s.alarm.Set(at); err != nil {
		s.log.Errorf("RESET_AT: %v", err)
	}
}

func (s *system) SaveState(st runstate.State) {
	st.PID, st.Peer = os.Getpid(), s.cfg.Peer()
	if err := runstate.WriteState(s.root, st); err != nil {
		s.log.Warnf("state: %v", err)
	}
	if s.metrics != nil {
		s.metrics.save(st)
	}
	if line := supervise.StatusLine(st); s.notify != nil && line != s.status {
		s.status = line
		s.sendNotify("STATUS=" + printable(line))
	}
}

func (s *system) Ready() { s.sendNotify("READY=1") }

func (s *system) Watchdog() { s.sendNotify("WATCHDOG=1") }

// sendNotify tells systemd, when it listens; a failure is said once, not
// on every change.
func (s *system) sendNotify(assignment string) {
	if s.notify == nil {
		return
	}
	if err := s.notify.Send(assignment); err != nil {
		s.log.Warnf("%v: no more notifications to systemd", err)
		s.notify.Close()
		s.notify = nil
	}
}

func (s *system) Log(level supervise.Level, text string) {
	switch level {
	case supervise.LevelError:
		s.log.Errorf("%s", text)
	case supervise.LevelWarning:
		s.log.Warnf("%s", text)
	default:
		s.log.Infof("%s", text)
	}
}

func (s *system) StopMonitors() { stopMonitors(s.root, s.log) }
