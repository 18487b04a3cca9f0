package pppmonitor

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// TestMain lets the test binary play other programs, by the name it is run
// under (a symlink): ppp_monitor itself, and stand-ins for ppp_wrapper and
// pppd that print the signals they get. The benchmark shortens the
// interval through PPPMONITOR_TEST_INTERVAL and PPPMONITOR_TEST_PROBES,
// the metrics test the metrics file's 60 s through
// PPPMONITOR_TEST_METRICS_EVERY, which only this test binary reads.
func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case tool:
		var s seams
		s.interval, _ = time.ParseDuration(os.Getenv("PPPMONITOR_TEST_INTERVAL"))
		s.maxProbes, _ = strconv.Atoi(os.Getenv("PPPMONITOR_TEST_PROBES"))
		s.metricsEvery, _ = time.ParseDuration(os.Getenv("PPPMONITOR_TEST_METRICS_EVERY"))
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, s))
	case wrapperName, "pppd":
		os.Exit(standIn())
	}
	// Under -race every program this test runs would sleep a second when
	// it exits (the race runtime's default), for nothing.
	if g := os.Getenv("GORACE"); !strings.Contains(g, "atexit_sleep_ms") {
		os.Setenv("GORACE", strings.TrimSpace(g+" atexit_sleep_ms=0"))
	}
	os.Exit(m.Run())
}

// standIn prints "ready", then one line "SIG unixnano" per signal, until
// SIGTERM (or two minutes, so that a failed test leaves nothing behind).
func standIn() int {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGTERM)
	fmt.Println("ready")
	limit := time.After(2 * time.Minute)
	for {
		select {
		case s := <-sigs:
			name := map[os.Signal]string{syscall.SIGUSR1: "USR1", syscall.SIGUSR2: "USR2", syscall.SIGTERM: "TERM"}[s]
			fmt.Printf("%s %d\n", name, time.Now().UnixNano())
			if s == syscall.SIGTERM {
				return 0
			}
		case <-limit:
			return 3
		}
	}
}

// program makes dir/name a link to this test binary and returns its path.
func program(t testing.TB, dir, name string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if _, err := os.Lstat(p); err == nil {
		return p
	}
	if err := os.Symlink(exe, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// lines streams a process's output lines.
type lines struct {
	c   chan string
	buf *lockedBuffer
	w   *os.File // the pipe's write end, the child's; closed by started
}

// readLines streams cmd's stdout or stderr. It uses a pipe of its own, not
// cmd's StdoutPipe/StderrPipe: cmd.Wait closes those as soon as the
// process exits, and the last lines could be lost before they are read.
// Call started after cmd.Start.
func readLines(t testing.TB, cmd *exec.Cmd, stderr bool) *lines {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if stderr {
		cmd.Stderr = w
	} else {
		cmd.Stdout = w
	}
	t.Cleanup(func() { w.Close(); r.Close() })
	l := &lines{c: make(chan string, 100), buf: &lockedBuffer{}, w: w}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			fmt.Fprintln(l.buf, sc.Text())
			l.c <- sc.Text()
		}
		close(l.c)
	}()
	return l
}

// started closes the parent's copy of the write end, once the child has
// its own: the lines end when the child's output does.
func (l *lines) started() {
	l.w.Close()
}

// want waits up to d for a line containing sub and returns it. Lines
// already written count whatever d is: they may still be on their way.
func (l *lines) want(t testing.TB, sub string, d time.Duration) string {
	t.Helper()
	end := time.After(max(d, 500*time.Millisecond))
	for {
		select {
		case s, ok := <-l.c:
			if !ok {
				t.Fatalf("output ended without %q; it was:\n%s", sub, l.buf)
			}
			if strings.Contains(s, sub) {
				return s
			}
		case <-end:
			t.Fatalf("no %q within %v; output:\n%s", sub, d, l.buf)
		}
	}
}

// none requires no line containing sub for d.
func (l *lines) none(t testing.TB, sub string, d time.Duration) {
	t.Helper()
	end := time.After(d)
	for {
		select {
		case s, ok := <-l.c:
			if !ok {
				return
			}
			if strings.Contains(s, sub) {
				t.Fatalf("unexpected %q; output:\n%s", s, l.buf)
			}
		case <-end:
			return
		}
	}
}

// standInProc is a running stand-in for ppp_wrapper or pppd.
type standInProc struct {
	cmd *exec.Cmd
	out *lines
}

func startStandIn(t testing.TB, dir, name string) *standInProc {
	t.Helper()
	cmd := exec.Command(program(t, dir, name))
	out := readLines(t, cmd, false)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out.started()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	out.want(t, "ready", 10*time.Second)
	return &standInProc{cmd: cmd, out: out}
}

// signalAt waits for the stand-in to report sig and returns when it got it.
func (s *standInProc) signalAt(t testing.TB, sig string, d time.Duration) time.Time {
	t.Helper()
	f := strings.Fields(s.out.want(t, sig+" ", d))
	ns, _ := strconv.ParseInt(f[1], 10, 64)
	return time.Unix(0, ns)
}

// ourLink starts stand-ins for ppp_wrapper and the pppd it runs for iface,
// and leaves what a live wrapper leaves: its pidfile, state.json naming
// that pppd (pppd_pid), and pppd's own pidfile for iface.
func ourLink(t testing.TB, dir, iface string) (wrapper, pppd *standInProc) {
	t.Helper()
	wrapper, pppd = startStandIn(t, dir, wrapperName), startStandIn(t, dir, "pppd")
	writePidfile(t, runstate.WrapperPidfile(dir), wrapper.cmd.Process.Pid)
	writePidfile(t, filepath.Join(dir, "var/run", iface+".pid"), pppd.cmd.Process.Pid)
	if err := runstate.WriteState(dir, runstate.State{PID: wrapper.cmd.Process.Pid, Phase: "up", PPPDPID: pppd.cmd.Process.Pid}); err != nil {
		t.Fatal(err)
	}
	return wrapper, pppd
}

func writePidfile(t testing.TB, path string, pid int) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// configFile writes a configuration with the monitor on and extra lines.
func configFile(t testing.TB, dir string, extra ...string) string {
	t.Helper()
	lines := append([]string{"START=yes", "PERSIST=1", "AUTH=NOAUTH", "MONITOR=yes"}, extra...)
	p := filepath.Join(dir, "ppp")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, exitcode.Usage, "missing IFACE"},
		{[]string{"--stop", "--once", "ppp0"}, exitcode.Usage, "exclude each other"},
		{[]string{"ppp0", "extra"}, exitcode.Usage, `unexpected argument "extra"`},
		{[]string{"--once", "ppp0", "a", "b"}, exitcode.Usage, `unexpected argument "b"`},
		{[]string{"../etc"}, exitcode.Usage, `IFACE "../etc"`},
		{[]string{"--once", "ppp0", "bad name"}, exitcode.Usage, `TARGET "bad name"`},
		{[]string{"--nosuch", "ppp0"}, exitcode.Usage, "unknown flag"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := Main(tt.args, &out, &errb); code != tt.code || !strings.Contains(errb.String(), tt.err) {
			t.Errorf("Main(%q) = %d, stderr %q; want %d and %q", tt.args, code, errb.String(), tt.code, tt.err)
		}
	}
}

func TestHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"--help"}, &out, &errb); code != 0 {
		t.Fatalf("Main(--help) = %d, want 0", code)
	}
	for _, want := range []string{"ppp_monitor --stop IFACE", "ppp_monitor --once", "--config", "--root", "--foreground", "--stop", "--once", "--version", "Exit status:", "78"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConfigErrorIs78(t *testing.T) {
	dir := t.TempDir()
	cfg := configFile(t, dir, "MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=5")
	var errb bytes.Buffer
	code := Main([]string{"--foreground", "--root", dir, "--config", cfg, "ppp0"}, &bytes.Buffer{}, &errb)
	if code != exitcode.Config || !strings.Contains(errb.String(), "MONITOR_TIMEOUT=5: at most MONITOR_INTERVAL") {
		t.Errorf("Main(MONITOR_TIMEOUT > MONITOR_INTERVAL) = %d, %q; want 78 and the key", code, errb.String())
	}
	code = Main([]string{"--foreground", "--root", dir, "--config", filepath.Join(dir, "missing"), "ppp0"}, &bytes.Buffer{}, &errb)
	if code != exitcode.Config {
		t.Errorf("Main(missing configuration) = %d, want 78", code)
	}
}

// TestDisabledStillSignalsLinkUp: a DEMAND link is not monitored, but the
// wrapper still learns that the link is up.
func TestDisabledStillSignalsLinkUp(t *testing.T) {
	for _, tt := range []struct{ key, why string }{
		{"DEMAND=1", "(the link is dial-on-demand (DEMAND=1))"},
		{"PERSIST=0", "(PERSIST is 0)"},
		{"MONITOR=no", "(MONITOR is not yes)"},
	} {
		dir := t.TempDir()
		w, _ := ourLink(t, dir, "nosuch0")
		var errb bytes.Buffer
		code := Main([]string{"--foreground", "--root", dir, "--config", configFile(t, dir, tt.key), "nosuch0"}, &bytes.Buffer{}, &errb)
		if code != 0 || !strings.Contains(errb.String(), "ppp_monitor: ping monitoring is disabled.\n") || !strings.Contains(errb.String(), tt.why) {
			t.Errorf("Main(%s) = %d, log %q; want 0, 'ping monitoring is disabled.' and %q", tt.key, code, errb.String(), tt.why)
		}
		w.signalAt(t, "USR2", 5*time.Second)
		if _, err := os.Stat(runstate.MonitorPidfile(dir, "nosuch0")); !os.IsNotExist(err) {
			t.Errorf("a disabled monitor left a pidfile: %v", err)
		}
	}
}

func TestNoSuchInterface(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: the socket error for a missing interface is checked as root (raw socket); run as root")
	}
	dir := t.TempDir()
	var errb bytes.Buffer
	code := Main([]string{"--foreground", "--root", dir, "--config", configFile(t, dir, "MONITOR_TARGET=127.0.0.1"), "nosuch0"}, &bytes.Buffer{}, &errb)
	if code != exitcode.Failure || !strings.Contains(errb.String(), "no interface nosuch0") {
		t.Errorf("Main(nosuch0) = %d, %q; want 1 and 'no interface nosuch0'", code, errb.String())
	}
	if _, err := os.Stat(runstate.MonitorPidfile(dir, "nosuch0")); !os.IsNotExist(err) {
		t.Errorf("a monitor that could not start left its pidfile: %v", err)
	}
}

func TestStopWhenNoneRuns(t *testing.T) {
	dir := t.TempDir()
	// A stale pidfile: a pid that is not a ppp_monitor (this test).
	writePidfile(t, runstate.MonitorPidfile(dir, "ppp0"), os.Getpid())
	var errb bytes.Buffer
	if code := Main([]string{"--stop", "--root", dir, "--foreground", "ppp0"}, &bytes.Buffer{}, &errb); code != 0 || !strings.Contains(errb.String(), "no PPP monitor running for ppp0") {
		t.Errorf("Main(--stop, none running) = %d, %q; want 0 and 'no PPP monitor running for ppp0'", code, errb.String())
	}
}

// TestDropLink: the wrapper gets SIGUSR1; without it, pppd gets SIGTERM
// from either pidfile; nothing is signalled through an untrusted pidfile.
func TestDropLink(t *testing.T) {
	t.Run("wrapper", func(t *testing.T) {
		dir := t.TempDir()
		w, p := ourLink(t, dir, "ppp0")
		var log bytes.Buffer
		if err := dropLink(logging.Discard(tool, &log), dir, link{iface: "ppp0", pppd: p.cmd.Process.Pid}); err != nil {
			t.Fatalf("dropLink() = %v", err)
		}
		w.signalAt(t, "USR1", 5*time.Second)
		p.out.none(t, "TERM", 300*time.Millisecond)
	})
	for _, f := range []string{"var/run/ppp0.pid", "var/run/pppd/ppp0.pid"} {
		t.Run(f, func(t *testing.T) {
			dir := t.TempDir()
			p := startStandIn(t, dir, "pppd")
			os.MkdirAll(filepath.Join(dir, f), 0o755)
			os.Remove(filepath.Join(dir, f))
			// pppd's pidfile: the pid, then the interface name.
			os.WriteFile(filepath.Join(dir, f), []byte(fmt.Sprintf("%d\nppp0\n", p.cmd.Process.Pid)), 0o644)
			var log bytes.Buffer
			if err := dropLink(logging.Discard(tool, &log), dir, link{iface: "ppp0", pppd: p.cmd.Process.Pid}); err != nil {
				t.Fatalf("dropLink() = %v", err)
			}
			p.signalAt(t, "TERM", 5*time.Second)
			if !strings.Contains(log.String(), "no ppp_wrapper running: sent SIGTERM to pppd") {
				t.Errorf("log = %q, want the SIGTERM to pppd", log.String())
			}
		})
	}
	t.Run("untrusted", func(t *testing.T) {
		dir := t.TempDir()
		other := startStandIn(t, dir, "pppd")
		// A pidfile that names a process of another program.
		writePidfile(t, runstate.WrapperPidfile(dir), other.cmd.Process.Pid)
		var log bytes.Buffer
		err := dropLink(logging.Discard(tool, &log), dir, link{iface: "ppp0", pppd: other.cmd.Process.Pid})
		if err == nil || !strings.Contains(err.Error(), "no ppp_wrapper running and no live pppd") {
			t.Errorf("dropLink(untrusted pidfile) = %v, want 'no ppp_wrapper running and no live pppd'", err)
		}
		other.out.none(t, "USR1", 300*time.Millisecond)
	})
	// Not our link: another link's monitor never makes the wrapper drop
	// its link, and SIGTERM goes only to the pppd of this link.
	t.Run("other link", func(t *testing.T) {
		dir := t.TempDir()
		w, ours := ourLink(t, dir, "ppp0")
		theirs := startStandIn(t, dir, "pppd")
		writePidfile(t, filepath.Join(dir, "var/run/ppp1.pid"), theirs.cmd.Process.Pid)
		var log bytes.Buffer
		if err := dropLink(logging.Discard(tool, &log), dir, link{iface: "ppp1", pppd: theirs.cmd.Process.Pid}); err != nil {
			t.Fatalf("dropLink(ppp1) = %v", err)
		}
		theirs.signalAt(t, "TERM", 5*time.Second)
		w.out.none(t, "USR1", 300*time.Millisecond)
		ours.out.none(t, "TERM", 0)
	})
	t.Run("pidfile of another pppd", func(t *testing.T) {
		dir := t.TempDir()
		inFile, determined := startStandIn(t, dir, "pppd"), startStandIn(t, dir, "pppd")
		writePidfile(t, filepath.Join(dir, "var/run/ppp1.pid"), inFile.cmd.Process.Pid)
		var log bytes.Buffer
		err := dropLink(logging.Discard(tool, &log), dir, link{iface: "ppp1", pppd: determined.cmd.Process.Pid})
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pppd %d", determined.cmd.Process.Pid)) {
			t.Errorf("dropLink(pidfile naming another pppd) = %v, want an error naming pppd %d", err, determined.cmd.Process.Pid)
		}
		inFile.out.none(t, "TERM", 300*time.Millisecond)
	})
}
