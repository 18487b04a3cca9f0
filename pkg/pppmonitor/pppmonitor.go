package pppmonitor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/cli"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/probe"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

const (
	tool  = "ppp_monitor"
	usage = tool + ` [--config FILE] [--root DIR] [--foreground] [--pppd-pid PID] IFACE
       ` + tool + ` --stop IFACE
       ` + tool + ` --once [--config FILE] IFACE [TARGET]`
	about = `Watches the live PPP link IFACE with ICMP echo (MONITOR_* keys of the
configuration) and drops it when MONITOR_FAIL probes in a row get no answer:
SIGUSR1 to ppp_wrapper, or SIGTERM to pppd when no wrapper runs; then exit 1.
Run by the ip-up hook; without --foreground it detaches and exits 0 once the
monitor runs. At start it signals link-up (SIGUSR2) to ppp_wrapper. It does
nothing but that unless MONITOR=yes, PERSIST=1 and DEMAND=0.
With an empty MONITOR_TARGET (or auto) the target is the nearest router on the
route to MONITOR_ROUTE_DEST that answers echo; before dropping the link the
route is searched again, and another answering host there keeps the link.
--stop (the ip-down hook) ends the monitor of IFACE and exits 0, also when none
runs. --once probes TARGET (or MONITOR_TARGET, or searches the route) once and
prints the result; exit 0 on an answer, 1 otherwise.
Only the link of ppp_wrapper's own pppd signals the wrapper: the pppd of IFACE
is --pppd-pid, else PPPD_PID (which pppd gives its hooks), else the pid in
pppd's pidfile for IFACE; when a wrapper runs whose pppd (pppd_pid in
state.json) is another, the monitor says so and exits 0.`
	// readyEnv names the fd on which a detached child reports that it runs.
	readyEnv = "PPP_MONITOR_READY_FD"
	// readyTimeout bounds the wait of the detaching parent for its child.
	readyTimeout = 10 * time.Second
)

// seams change the timing for the benchmark; zero values change nothing.
type seams struct {
	interval  time.Duration // replaces MONITOR_INTERVAL and caps MONITOR_TIMEOUT
	maxProbes int           // exit 0 after that many probes
	// metricsEvery replaces metricsEvery, the longest time between two
	// writes of the metrics file when nothing else asks for one.
	metricsEvery time.Duration
}

// Main runs ppp_monitor with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	return run(args, stdout, stderr, seams{})
}

// isIfaceName reports whether s can be a network interface name given on
// a command line: 1 to 15 bytes of letters, digits and _ . -, not starting
// with one of _ . - (no regexp: package regexp costs 260 KB on arm).
func isIfaceName(s string) bool {
	if len(s) == 0 || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '_' && c != '.' && c != '-') {
			return false
		}
	}
	return true
}

func run(args []string, stdout, stderr io.Writer, s seams) int {
	var common cli.Common
	var stop, once bool
	var pppdPID int
	fs := cli.Flags(tool, usage, about, stdout, &common)
	fs.IntVar(&pppdPID, "pppd-pid", 0, "the pid of the pppd of IFACE's link (default: PPPD_PID from the environment, else pppd's pidfile for IFACE)")
	fs.BoolVar(&stop, "stop", false, "stop the monitor of IFACE (SIGTERM, wait up to 3 s); exit 0 also when none runs")
	fs.BoolVar(&once, "once", false, "probe once (TARGET, else MONITOR_TARGET, else one route search), print the result and round trip, exit 0 on an answer")
	if done, code := cli.Parse(fs, &common, args, stdout, stderr); done {
		return code
	}
	maxArgs := 1
	if once {
		maxArgs = 2
	}
	switch {
	case stop && once:
		return cli.Usagef(stderr, tool, "--stop and --once exclude each other")
	case fs.NArg() == 0:
		return cli.Usagef(stderr, tool, "missing IFACE (such as ppp0)")
	case fs.NArg() > maxArgs:
		return cli.Usagef(stderr, tool, "unexpected argument %q", fs.Arg(maxArgs))
	case !isIfaceName(fs.Arg(0)):
		return cli.Usagef(stderr, tool, "IFACE %q: accepted: an interface name of up to 15 letters, digits, '.', '_' or '-'", fs.Arg(0))
	case pppdPID < 0:
		return cli.Usagef(stderr, tool, "--pppd-pid %d: accepted: the process id of pppd, a positive integer", pppdPID)
	}
	iface, target := fs.Arg(0), fs.Arg(1)
	if k, _ := config.Lookup("MONITOR_TARGET"); target != "" && !k.Accepts(target) {
		return cli.Usagef(stderr, tool, "TARGET %q: accepted: %s", target, k.Accepted)
	}
	// The detached child knows itself by the pipe its parent gave it,
	// whatever the flags: --foreground=false must not detach again.
	ready := newReadiness()
	if !stop && !once && !common.Foreground && ready.f == nil {
		return detach(args, stderr)
	}
	log := logging.New(tool, stderr, common.Foreground)
	defer log.Close()
	if stop {
		stopMonitor(log, common.Root, iface)
		return exitcode.OK
	}
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	if once {
		return probeOnce(ctx, log, &common, iface, target, stdout)
	}
	defer ignoreHangup(log)()
	return monitor(ctx, log, &common, iface, pppdPID, ready, s)
}

// loadConfig reads the configuration; a bad or missing file is exit 78.
func loadConfig(log *logging.Logger, common *cli.Common) (*config.Config, int, error) {
	return common.LoadConfig(log.Warnf)
}

// readiness is how a detached child tells its parent that it runs ("ok")
// or why it could not start; a no-op when not detached.
type readiness struct{ f *os.File }

func newReadiness() *readiness {
	v, ok := os.LookupEnv(readyEnv)
	os.Unsetenv(readyEnv)
	fd, err := strconv.Atoi(v)
	if !ok || err != nil || fd < 3 || !isPipeWriteEnd(fd) {
		return &readiness{}
	}
	return &readiness{f: os.NewFile(uintptr(fd), "ready")}
}

// isPipeWriteEnd reports whether fd is open on the write end of a pipe, as
// the one a detaching parent gives its child.
func isPipeWriteEnd(fd int) bool {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO {
		return false
	}
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	return err == nil && fl&unix.O_ACCMODE == unix.O_WRONLY
}

// ignoreHangup logs and ignores SIGHUP, as ppp_wrapper does: the monitor
// reads its configuration once, and a closed terminal must not end it.
// The returned stop ends that.
func ignoreHangup(log *logging.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			log.Infof("SIGHUP ignored: the monitor reads its configuration when it starts; a changed one applies from the next link-up")
		}
	}()
	return func() {
		signal.Stop(hup)
		close(hup)
	}
}

func (r *readiness) report(msg string) {
	if r.f != nil {
		r.f.WriteString(msg)
		r.f.Close()
		r.f = nil
	}
}

// fail logs err, reports it to a waiting parent and returns code.
func (r *readiness) fail(log *logging.Logger, code int, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	log.Errorf("%s", msg)
	r.report(msg)
	return code
}

// monitor is the monitor itself (--foreground, or the detached child).
func monitor(ctx context.Context, log *logging.Logger, common *cli.Common, iface string, pppdPID int, ready *readiness, s seams) int {
	defer ready.report("")
	c, code, err := loadConfig(log, common)
	if err != nil {
		return ready.fail(log, code, "%v", err)
	}
	l, err := findLink(common.Root, iface, pppdPID, os.Getenv)
	if err != nil {
		return ready.fail(log, exitcode.Usage, "%v", err)
	}
	o := ownerOf(common.Root, l)
	if o.wrapper != 0 && !o.ours {
		log.Infof("%s: not monitored", o.why)
		return exitcode.OK
	}
	linkUp(log, o, iface)
	if on, why := c.MonitorActive(); !on {
		log.Infof("ping monitoring is disabled.")
		log.Infof("(%s)", why)
		return exitcode.OK
	}
	pidfile := runstate.MonitorPidfile(common.Root, iface)
	release, err := runstate.Claim(pidfile, tool)
	var running *runstate.ErrRunning
	if errors.As(err, &running) && runstate.MonitorIface(running.PID) != iface {
		// Left by a killed monitor; its pid now is another interface's
		// monitor.
		os.Remove(pidfile)
		release, err = runstate.Claim(pidfile, tool)
	}
	if errors.As(err, &running) {
		return ready.fail(log, exitcode.Failure, "a monitor for %s is already running (pid %d, %s): not starting another", iface, running.PID, pidfile)
	} else if err != nil {
		return ready.fail(log, exitcode.Failure, "%v", err)
	}
	defer release()

	sock, err := probe.Listen(iface, probe.Auto)
	if err != nil {
		return ready.fail(log, exitcode.Failure, "%v", err)
	}
	defer sock.Close()
	st := settingsFrom(c, iface)
	if st.target == "" && sock.Kind() != probe.Raw {
		return ready.fail(log, exitcode.Failure, "MONITOR_TARGET is automatic, but finding the routers on the route needs a raw ICMP socket (root or CAP_NET_RAW), and this is a %s; set MONITOR_TARGET to an address", sock.Note())
	}
	log.Infof("probing out of %s with a %s", iface, sock.Note())
	if s.interval > 0 {
		st.interval, st.timeout = s.interval, min(st.timeout, s.interval)
	}
	ready.report("ok")

	w := &watcher{settings: st, p: probe.New(sock, sock.Options()), canSurvey: sock.Kind() == probe.Raw, local: localAddrs(iface, os.Getenv("IPLOCAL")),
		log: log, now: time.Now, resolve: lookupIPv4, maxProbes: s.maxProbes}
	if c.MetricsDir != "" {
		w.metrics = newMetricsFile(filepath.Join(common.Root, c.MetricsDir), iface, log.Warnf, log.Infof)
		if s.metricsEvery > 0 {
			w.metrics.every = s.metricsEvery
		}
		log.Infof("metrics: keeping %s (after a probe: at once when the misses in a row or the target change, else at most every %v)",
			filepath.Join(w.metrics.dir, w.metrics.name), w.metrics.every)
	}
	if st.adaptive {
		if w.rx = startAdaptive(log, iface); w.rx != nil {
			defer w.rx.close()
		}
	}
	// One goroutine at a time does the work: a second P would only add
	// threads that wake to look for work at every probe.
	runtime.GOMAXPROCS(1)
	tick, stopTicker := newTicker(st.interval)
	defer stopTicker()
	watched := w.start(ctx) && w.watch(ctx, tick)
	// The file's last state (running 0) before anything else: the drop
	// below makes the wrapper end the link, and this monitor with it.
	w.metrics.close(w.probeState(), w.now())
	if watched {
		if ctx.Err() != nil {
			log.Infof("ppp monitor on %s stopped.", iface)
		}
		return exitcode.OK
	}
	if w.gone {
		log.Infof("%s is gone: its link has ended; ppp monitor stopped.", iface)
		return exitcode.OK
	}
	log.Errorf("the link on %s is dead: %s", iface, w.deathReason())
	if err := dropLink(log, common.Root, l); err != nil {
		log.Errorf("%v", err)
	}
	return exitcode.Failure
}

// detach runs the monitor again with --foreground in a new session, stdio
// on /dev/null, and waits until it runs (exit 0) or has failed to start
// (its exit code, its message on stderr).
func detach(args []string, stderr io.Writer) int {
	self, err := executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot find my own program: %v\n", tool, err)
		return exitcode.Failure
	}
	r, w, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", tool, err)
		return exitcode.Failure
	}
	defer r.Close()
	// os.StartProcess, not os/exec: the same fork and exec, and 16 KB less
	// of ppp_monitor, which has to fit a router's 3 MB.
	null, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		w.Close()
		fmt.Fprintf(stderr, "%s: %v\n", tool, err)
		return exitcode.Failure
	}
	proc, err := os.StartProcess(self, append([]string{self, "--foreground"}, args...), &os.ProcAttr{
		Env:   append(os.Environ(), readyEnv+"=3"),
		Files: []*os.File{null, null, null, w},
		Sys:   &syscall.SysProcAttr{Setsid: true},
	})
	null.Close()
	w.Close()
	if err != nil {
		fmt.Fprintf(stderr, "%s: cannot start the monitor: %v\n", tool, err)
		return exitcode.Failure
	}
	r.SetReadDeadline(time.Now().Add(readyTimeout))
	msg, err := io.ReadAll(r)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		fmt.Fprintf(stderr, "%s: started as pid %d, which did not report within %s\n", tool, proc.Pid, seconds(readyTimeout))
		proc.Release()
		return exitcode.OK
	}
	if string(msg) == "ok" {
		proc.Release()
		return exitcode.OK
	}
	state, err := proc.Wait()
	if len(msg) > 0 {
		fmt.Fprintf(stderr, "%s: %s\n", tool, msg)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", tool, err)
		return exitcode.Failure
	}
	return state.ExitCode()
}

// executable is the program to run again. The name it was started by is
// kept when that is the same file, so that the child's process name
// (/proc/PID/comm, which pidfiles are checked against) is ppp_monitor
// even when the file has another name.
func executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	if strings.Contains(os.Args[0], "/") {
		a, aerr := os.Stat(os.Args[0])
		b, berr := os.Stat(exe)
		if aerr == nil && berr == nil && os.SameFile(a, b) {
			return os.Args[0], nil
		}
	}
	return exe, nil
}

// probeOnce is --once: one probe or one route search, printed.
func probeOnce(ctx context.Context, log *logging.Logger, common *cli.Common, iface, target string, stdout io.Writer) int {
	c, code, err := loadConfig(log, common)
	if err != nil {
		log.Errorf("%v", err)
		return code
	}
	if strings.EqualFold(target, "auto") {
		target = ""
	} else if target == "" {
		target = c.MonitorTarget
	}
	sock, err := probe.Listen(iface, probe.Auto)
	if err != nil {
		log.Errorf("%v", err)
		return exitcode.Failure
	}
	defer sock.Close()
	log.Infof("probing out of %s with a %s", iface, sock.Note())
	p := probe.New(sock, sock.Options())
	deadline := time.Now().Add(c.MonitorTimeout)
	lctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()

	if target != "" {
		addr, err := lookupIPv4(lctx, target)
		if err != nil {
			fmt.Fprintf(stdout, "%s via %s: cannot resolve: %v\n", target, iface, err)
			return exitcode.Failure
		}
		shown := addr.String()
		if shown != target {
			shown = target + " (" + shown + ")"
		}
		rtt, err := p.Echo(ctx, addr, deadline)
		if err != nil {
			w := watcher{settings: settings{timeout: c.MonitorTimeout}}
			fmt.Fprintf(stdout, "%s via %s: no reply: %s\n", shown, iface, w.reason(err))
			return exitcode.Failure
		}
		fmt.Fprintf(stdout, "%s via %s: reply in %s\n", shown, iface, ms(rtt))
		return exitcode.OK
	}

	dest, err := lookupIPv4(lctx, c.MonitorRouteDest)
	if err != nil {
		fmt.Fprintf(stdout, "route to %s via %s: cannot resolve: %v\n", c.MonitorRouteDest, iface, err)
		return exitcode.Failure
	}
	r, err := p.Survey(ctx, probe.Survey{Route: dest, MaxHops: c.MonitorMaxHops}, deadline)
	if err != nil {
		log.Errorf("%v", err)
		return exitcode.Failure
	}
	fmt.Fprintf(stdout, "route to %s via %s (up to %d hops, %s):\n", c.MonitorRouteDest, iface, c.MonitorMaxHops, seconds(c.MonitorTimeout))
	hosts := onRoute(r.Hosts)
	for _, h := range hosts {
		what := "no echo reply"
		if h.Echo {
			what = "echo reply in " + ms(h.RTT)
		}
		fmt.Fprintf(stdout, "%3d  %-15s  %s\n", h.Hops, h.Addr, what)
	}
	h, ok := chooseTarget(hosts, netip.Addr{})
	if !ok {
		fmt.Fprintf(stdout, "no host on the route answers echo\n")
		return exitcode.Failure
	}
	fmt.Fprintf(stdout, "target: %s, hops: %d, reply in %s\n", h.Addr, h.Hops, ms(h.RTT))
	return exitcode.OK
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}
