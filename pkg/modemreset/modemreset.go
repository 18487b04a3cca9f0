package modemreset

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/cli"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
)

const (
	tool  = "modem_reset"
	usage = tool + " [--config FILE] [--root DIR] [--device D] [--method auto|at|usb|power] [--dry-run]"
	about = `Resets the 3G/4G module, cheapest way first: the model's AT reset command, then
USB re-enumeration, then the reset/power line; each only when the previous one
did not bring the module back. Back means: its tty is there (perhaps renamed),
it answers AT, and it is registered. RESET_WAIT seconds bound the wait after
each step; the wait ends as soon as the module is back. RESET_WAIT=0 runs the
first step that can be carried out and does not wait for the module.
Exit 0: back and ready. 1: no reset could be done. 3: reset, but the module
was not ready within RESET_WAIT.`
)

// resetter holds one run's settings.
type resetter struct {
	cfg    *config.Config
	target *target
	log    *logging.Logger
	wait   time.Duration
	// goneWait bounds the wait for the tty to go after a reset was sent.
	goneWait time.Duration
	report   stepReport
}

// Main runs modem_reset with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	var common cli.Common
	var device, methodWord string
	var dryRun bool
	fs := cli.Flags(tool, usage, about, stdout, &common)
	fs.StringVar(&device, "device", "", "the module: a model, a tty or AUTO (default DEVICE of the configuration)")
	fs.StringVar(&methodWord, "method", "auto", "auto: every step as needed; at, usb or power: that step alone")
	fs.BoolVarP(&dryRun, "dry-run", "n", false, "show the steps that would be taken, do nothing")
	if done, code := cli.Parse(fs, &common, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Usagef(stderr, tool, "unexpected argument %q", fs.Arg(0))
	}
	only, err := parseMethod(methodWord)
	if err != nil {
		return cli.Usagef(stderr, tool, "%v", err)
	}
	log := logging.New(tool, stderr, common.Foreground)
	defer log.Close()

	c, code, err := common.LoadConfig(log.Warnf)
	if err != nil {
		log.Errorf("%v", err)
		return code
	}
	if device == "" {
		device = c.Device
	} else if k, _ := config.Lookup("DEVICE"); !k.Accepts(device) {
		return cli.Usagef(stderr, tool, "--device %q: accepted: %s", device, k.Accepted)
	}
	t, err := findTarget(common.Root, device)
	if err != nil {
		log.Errorf("%v", err)
		return exitcode.Failure
	}
	r := &resetter{cfg: c, target: t, log: log, wait: c.ResetWait, goneWait: 5 * time.Second, report: openStepReport()}
	if r.goneWait > r.wait {
		r.goneWait = r.wait
	}
	if dryRun {
		r.showPlan(stdout, only)
		return exitcode.OK
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	return r.reset(ctx, only)
}

// firstOnly is what RESET_WAIT=0 means: the vendor's script did "reset;
// sleep $RESET_WAIT" once, so with no time to wait for the module there is
// no way to tell that a step failed, and a healthy module must not get a
// harder reset for that. The first step that can be carried out runs, and
// modem_reset exits 0 at once; ppp_wrapper's wait for the tty covers a
// module that is not back yet.
func (r *resetter) firstOnly() bool { return r.wait == 0 }

// showPlan prints the plan for --dry-run.
func (r *resetter) showPlan(w io.Writer, only method) {
	fmt.Fprintf(w, "module: %s\n", r.target.name())
	planned := false
	for _, s := range r.stepsFor(only) {
		if planned && r.firstOnly() {
			fmt.Fprintf(w, "%s: not tried: RESET_WAIT=0 runs the first step only\n", s.name)
			continue
		}
		what, err := s.plan()
		if err != nil {
			fmt.Fprintf(w, "%s: skipped: %v\n", s.name, err)
			continue
		}
		planned = true
		if r.firstOnly() {
			fmt.Fprintf(w, "%s: %s, then go on without waiting (RESET_WAIT=0)\n", s.name, what)
			continue
		}
		fmt.Fprintf(w, "%s: %s, then wait up to %v for the module\n", s.name, what, r.wait)
	}
}

// reset runs the steps and maps the outcome to an exit code.
func (r *resetter) reset(ctx context.Context, only method) int {
	start := time.Now()
	done := 0
	last := absent
	r.log.Infof("resetting %s (RESET_WAIT %v)", r.target.name(), r.wait)
	for _, s := range r.stepsFor(only) {
		what, err := s.plan()
		if err != nil {
			r.log.Warnf("%s: skipped: %v", s.name, err)
			continue
		}
		r.log.Infof("%s: %s", s.name, what)
		stepStart := time.Now()
		if err := s.run(ctx); err != nil {
			r.log.Warnf("%s failed: %v", s.name, err)
			if ctx.Err() != nil {
				return exitcode.Failure
			}
			continue
		}
		done++
		r.report.carried(s.method)
		if r.firstOnly() {
			r.log.Infof("%s: done; RESET_WAIT=0: not waiting for the module, no further step", s.name)
			return exitcode.OK
		}
		gone := r.waitGone(ctx, r.goneWait)
		st, path := r.waitBack(ctx, r.wait)
		last = st
		switch {
		case st == ready:
			r.log.Infof("%s: module back on %s after %s (%s in all): answers AT, registered", s.name, r.show(path), seconds(time.Since(stepStart)), seconds(time.Since(start)))
			return exitcode.OK
		case ctx.Err() != nil:
			r.log.Warnf("stopped by a signal while waiting for the module")
			return exitcode.Failure
		case st == unregistered:
			r.log.Warnf("%s: module answers AT on %s but is not registered after %v; a harder reset would not bring the network: stopping here", s.name, r.show(path), r.wait)
			return exitcode.NotReady
		case !gone:
			r.log.Warnf("%s: the module did not restart (its tty never went away) and %s", s.name, st)
		default:
			r.log.Warnf("%s: module not back within RESET_WAIT %v: %s", s.name, r.wait, st)
		}
	}
	if done == 0 {
		r.log.Errorf("reset failed: no reset step could be carried out")
		return exitcode.Failure
	}
	r.log.Errorf("module not ready after %d reset step(s) (%s): %s", done, seconds(time.Since(start)), last)
	return exitcode.NotReady
}
