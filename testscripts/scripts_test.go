package testscripts

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pppkeep/pppkeep/pkg/genpppconfig"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
	"github.com/pppkeep/pppkeep/pkg/modemreset"
	"github.com/pppkeep/pppkeep/pkg/pppwrapper"
	"github.com/pppkeep/pppkeep/testscripts/modemsim"
)

var update = flag.Bool("update", false, "rewrite the golden sections of the scripts")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gen_pppconfig": func() { os.Exit(genpppconfig.Main(os.Args[1:], os.Stdout, os.Stderr)) },
		"modem_reset":   func() { os.Exit(modemreset.Main(os.Args[1:], os.Stdout, os.Stderr)) },
		"modemsim":      func() { os.Exit(modemsim.Main(os.Args[1:], os.Stdout, os.Stderr)) },
		"ppp_wrapper":   func() { os.Exit(pppwrapper.Main(os.Args[1:], os.Stdout, os.Stderr)) },
		"pppd":          func() { os.Exit(fakePPPD()) },
		"sdlisten":      func() { os.Exit(sdListen()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"status":   cmdStatus,
			"fakeusb":  cmdFakeUSB,
			"fileinfo": cmdFileinfo,
			"waitfor":  cmdWaitfor,
			"signal":   cmdSignal,
			"running":  cmdRunning,
		},
		Setup: func(env *testscript.Env) error {
			// A log line on the terminal of whoever runs the tests must not
			// depend on their environment.
			env.Setenv("JOURNAL_STREAM", "")
			// The repository, for scripts that run its etc/ files.
			repo, err := filepath.Abs("..")
			env.Setenv("REPO", repo)
			// A failed script must not leave its wrappers and pppds running
			// (nor hang waiting for them): end whatever still runs with
			// this script's $WORK.
			work := env.WorkDir
			env.Defer(func() { killLeftovers(work) })
			return err
		},
	})
}

// status N CMD ARGS... runs CMD and requires exit status N.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// fakeusb ROOT DEV VID:PID DRIVER IFACE=TTY... creates a fake USB device.
func cmdFakeUSB(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 4 {
		ts.Fatalf("usage: fakeusb root dev vid:pid driver iface=tty...")
	}
	v, p, ok := strings.Cut(args[2], ":")
	vid, err1 := strconv.ParseUint(v, 16, 16)
	pid, err2 := strconv.ParseUint(p, 16, 16)
	if !ok || err1 != nil || err2 != nil {
		ts.Fatalf("fakeusb: bad id %q", args[2])
	}
	ttys := map[int]string{}
	for _, a := range args[4:] {
		i, name, ok := strings.Cut(a, "=")
		n, err := strconv.Atoi(i)
		if !ok || err != nil {
			ts.Fatalf("fakeusb: bad interface %q", a)
		}
		ttys[n] = name
	}
	ts.Check(modemtest.WriteFakeUSB(ts.MkAbs(args[0]), args[1], modem.USBID{Vendor: uint16(vid), Product: uint16(pid)}, args[3], ttys))
}

// fileinfo FILE... prints what a rewrite would change: mode, inode, mtime.
func cmdFileinfo(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		fi, err := os.Stat(ts.MkAbs(a))
		if err != nil {
			fmt.Fprintf(ts.Stdout(), "%s missing\n", a)
			continue
		}
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Fprintf(ts.Stdout(), "%s %04o inode=%d mtime=%d\n", a, fi.Mode().Perm(), st.Ino, fi.ModTime().UnixNano())
	}
}

// waitfor [-t SECONDS] FILE REGEXP waits until FILE exists and matches.
func cmdWaitfor(ts *testscript.TestScript, neg bool, args []string) {
	limit := 20 * time.Second
	if len(args) > 2 && args[0] == "-t" {
		s, err := strconv.ParseFloat(args[1], 64)
		ts.Check(err)
		limit, args = time.Duration(s*float64(time.Second)), args[2:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfor [-t SECONDS] file regexp")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	deadline := time.Now().Add(limit)
	for {
		b, err := os.ReadFile(ts.MkAbs(args[0]))
		if err == nil && re.Match(b) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfor: %s did not match %q within %v; it holds:\n%s", args[0], args[1], limit, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signal SIG PIDFILE sends SIG (TERM, USR1, …) to the process in PIDFILE,
// as an operator or a hook would.
func cmdSignal(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: signal SIG pidfile")
	}
	sigs := map[string]syscall.Signal{"TERM": syscall.SIGTERM, "INT": syscall.SIGINT, "HUP": syscall.SIGHUP,
		"USR1": syscall.SIGUSR1, "USR2": syscall.SIGUSR2, "KILL": syscall.SIGKILL}
	sig, ok := sigs[args[0]]
	if !ok {
		ts.Fatalf("signal: unknown signal %s", args[0])
	}
	b, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	ts.Check(err)
	ts.Check(syscall.Kill(pid, sig))
}

// running [-t SECONDS] N FILE REGEXP waits until exactly N of the
// processes whose pids REGEXP's first group picks out of FILE (one per
// matching line) are alive; a zombie counts as gone.
func cmdRunning(ts *testscript.TestScript, neg bool, args []string) {
	limit := 20 * time.Second
	if len(args) > 2 && args[0] == "-t" {
		s, err := strconv.ParseFloat(args[1], 64)
		ts.Check(err)
		limit, args = time.Duration(s*float64(time.Second)), args[2:]
	}
	if neg || len(args) != 3 {
		ts.Fatalf("usage: running [-t SECONDS] N file regexp")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	re, err := regexp.Compile("(?m)" + args[2])
	ts.Check(err)
	deadline := time.Now().Add(limit)
	for {
		b, _ := os.ReadFile(ts.MkAbs(args[1]))
		var alive []string
		for _, m := range re.FindAllSubmatch(b, -1) {
			if len(m) > 1 && processAlive(string(m[1])) {
				alive = append(alive, string(m[1]))
			}
		}
		if len(alive) == want {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("running: %d of the processes named in %s are alive (%s), want %d", len(alive), args[1], strings.Join(alive, " "), want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processAlive reports whether pid runs (a zombie has ended).
func processAlive(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	_, rest, ok := strings.Cut(string(b), ") ")
	return ok && !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// killLeftovers sends SIGKILL to every process whose environment has
// WORK=work: what a script started and left behind.
func killLeftovers(work string) {
	entries, _ := os.ReadDir("/proc")
	mark := []byte("\x00WORK=" + work + "\x00")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err == nil && bytes.Contains(append([]byte{0}, env...), mark) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}
