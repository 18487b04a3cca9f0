package pppwrapper

import (
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/pppkeep/pppkeep/pkg/cli"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
	"github.com/pppkeep/pppkeep/pkg/sdnotify"
	"github.com/pppkeep/pppkeep/pkg/supervise"
	"github.com/pppkeep/pppkeep/pkg/wallclock"
)

const (
	tool  = "ppp_wrapper"
	usage = tool + " [--config FILE] [--root DIR] [--foreground]\n       " + tool + " --status [--json] [--root DIR]"
	about = `Runs pppd (pppd call ppp0 nodetach, or the PROVIDER peer) and keeps the link up.
Before each dial it asks the module on its AT port (AT, SIM, registration,
signal, ICCID; under pppd's UUCP lock) and sorts every failure into a class
that decides the cure: module (no answer, chat failed: RETRY, then
modem_reset), SIM (absent, PIN, PUK: no dial, never a reset), network
(registration denied, or the call ended after CONNECT, pppd exit 16, 19...:
a backoff doubling up to 10 minutes; exit 19 never resets), link (up, then
dead: RETRY, then modem_reset). Resets that do not bring a lasting link
wait longer each time (RESET_PAUSE up to RESET_PAUSE_MAX). It reconnects
HOLDOFF seconds after a disconnect (pppd starts at most once a second),
resets after every disconnect with RESET_ALWAYS and daily at RESET_AT.
SIGUSR2 (link up) and SIGUSR1 (link dead) come from ppp_monitor; SIGTERM stops
pppd cleanly (LCP terminate) and exits 0. A pppd that cannot be started
(missing, not executable) ends the wrapper with exit 1, never a module reset.
One wrapper runs per --root (a second exits 1); a pppd of ours left running
by a wrapper that died is ended before the first dial.
--status prints the running wrapper's state, led by a one-line verdict
(exit 0 running, 1 not running).`
)

// Main runs ppp_wrapper with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	var common cli.Common
	var status, asJSON bool
	var pppdPath, resetPath string
	fs := cli.Flags(tool, usage, about, stdout, &common)
	fs.BoolVar(&status, "status", false, "print the state of the running wrapper and exit")
	fs.BoolVar(&asJSON, "json", false, "with --status: print state.json for a program")
	fs.StringVar(&pppdPath, "pppd", "pppd", "the pppd program")
	fs.StringVar(&resetPath, "modem-reset", "", "the modem_reset program (default: beside ppp_wrapper, else from PATH)")
	if done, code := cli.Parse(fs, &common, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Usagef(stderr, tool, "unexpected argument %q", fs.Arg(0))
	}
	if asJSON && !status {
		return cli.Usagef(stderr, tool, "--json goes with --status")
	}
	if status {
		return printStatus(stdout, stderr, common.Root, asJSON)
	}

	log := logging.New(tool, stderr, common.Foreground)
	defer log.Close()
	c, code, err := common.LoadConfig(log.Warnf)
	if err != nil {
		log.Errorf("%v", err)
		return code
	}
	if !c.Start {
		log.Infof("START is not yes in %s: not starting the link", c.Path)
		if n, _ := sdnotify.FromEnv(); n != nil {
			// Under Type=notify an exit before READY=1 is a failed start.
			n.Send("READY=1", "STATUS=START is not yes: not starting the link")
			n.Close()
		}
		return exitcode.OK
	}
	pidfile := runstate.WrapperPidfile(common.Root)
	release, err := runstate.Claim(pidfile, tool)
	if err != nil {
		log.Errorf("%v", err)
		return exitcode.Failure
	}
	defer release()
	endLeftovers(common.Root, c.Peer(), log)

	sys := &system{
		cfg: c, log: log, root: common.Root, configPath: common.ConfigPath(),
		pppd: pppdPath, modemReset: findTool("modem_reset", resetPath), genConfig: findTool("gen_pppconfig", ""),
		foreground: common.Foreground, stderr: stderr,
	}
	if c.MetricsDir != "" {
		sys.metrics = newMetricsFile(common.Root, c.MetricsDir, supervise.SystemClock{}, log.Warnf, log.Infof)
		log.Infof("metrics: keeping %s (on each change, at most every %v)", filepath.Join(sys.metrics.dir, metricsName), metricsEvery)
	}
	if c.ResetAt != nil {
		a, err := wallclock.New()
		if err != nil {
			log.Errorf("RESET_AT is off: %v", err)
		} else {
			sys.alarm = a
			defer a.Close()
		}
	}
	mc := machineConfig(c)
	if prev, err := runstate.ReadState(common.Root); err == nil && prev.PID != os.Getpid() {
		// The wrapper before this one (systemd restarts a crashed one):
		// its counts and reset budget carry on.
		mc.Resume = supervise.ResumeFrom(prev, time.Now())
	}
	if n, err := sdnotify.FromEnv(); err != nil {
		log.Warnf("%v: not telling systemd how the link is", err)
	} else if n != nil {
		sys.notify = n
		defer n.Close()
	}
	d := supervise.NewDriver(mc, sys, supervise.SystemClock{})
	if every, ok := sdnotify.WatchdogInterval(); ok && sys.notify != nil {
		d.Watchdog(every / 2)
	}
	stop := sys.listen(d.Post)
	defer stop()
	log.Infof("starting: pppd call %s nodetach (HOLDOFF %v, RETRY %d, RESET_ON_FAIL %v, RESET_ALWAYS %v%s)",
		c.Peer(), c.Holdoff, c.Retry, c.ResetOnFail, c.ResetAlways, resetAtText(c))
	if !mc.Check {
		log.Infof("no AT port known (PROVIDER=%s is a hand-written peer): no pre-dial check of the module", c.Provider)
	}
	return d.Run()
}

// jitter spreads a network backoff by up to ±10 %.
func jitter(d time.Duration) time.Duration {
	return d + time.Duration((rand.Float64()*0.2-0.1)*float64(d))
}

func resetAtText(c *config.Config) string {
	if c.ResetAt == nil {
		return ""
	}
	return ", RESET_AT " + c.ResetAt.String()
}

// machineConfig is what the supervisor's decisions depend on.
func machineConfig(c *config.Config) supervise.Config {
	mc := supervise.Config{
		Persist: c.Persist, ResetOnFail: c.ResetOnFail, ResetAlways: c.ResetAlways,
		Holdoff: c.Holdoff, Retry: c.Retry, ResetWait: c.ResetWait, ConnectOK: c.ConnectOK, ConnectOKICCID: c.ConnectOKICCID,
		WaitDevice: c.Generated(), Device: c.Device, Loc: time.Local,
		// The tty waited for is the AT port the check asks.
		Check:      c.Generated(),
		Jitter:     jitter,
		ResetPause: c.ResetPause, ResetPauseMax: c.ResetPauseMax,
	}
	if c.ResetAt != nil {
		mc.ResetAt = &supervise.TimeOfDay{Hour: c.ResetAt.Hour, Minute: c.ResetAt.Minute}
	}
	return mc
}

// findTool prefers the suite's tool installed beside this program, then
// PATH.
func findTool(name, flag string) string {
	if flag != "" {
		return flag
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return "/usr/local/sbin/" + name
}
