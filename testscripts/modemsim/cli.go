package modemsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/version"
)

const usage = `Usage: modemsim serve --model NAME [--root DIR] [--dev 1-1] [--tty PATH] [--alias]
                      [--control SOCK] [--reset-delay 1s] [--reg-delay 0s] [--log FILE]
                      [-- DATA-COMMAND ARGS...]
       modemsim ctl [--wait 5s] SOCK COMMAND...

A simulated 3G/4G module for tests and demos. "serve" plays the module on a
new pseudo-terminal (or on --tty) until SIGTERM or SIGINT: it answers the AT
commands of chat scripts and modem_reset, runs DATA-COMMAND for each call
with the data stream on its stdin and stdout, and takes fault commands on
the control socket. With --root it also shows as a USB device in a fake
sysfs under DIR, with DIR/dev/<tty> linked to the pty, and reacts to writes
to the device's authorized file and to the reset lines' LED shot files.
"ctl" sends one command to a running simulator and prints the reply.

Control commands:
` + Commands + `
`

// Main runs the modemsim command with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return mainContext(ctx, args, stdout, stderr)
}

func mainContext(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageError(stderr, "missing command: serve or ctl")
	}
	switch args[0] {
	case "serve":
		return serveMain(ctx, args[1:], stdout, stderr)
	case "ctl":
		return ctlMain(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitcode.OK
	case "--version":
		fmt.Fprintf(stdout, "modemsim %s\n", version.Version)
		return exitcode.OK
	}
	return usageError(stderr, fmt.Sprintf("unknown command %q: want serve or ctl", args[0]))
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "modemsim: %s\nTry 'modemsim --help'.\n", msg)
	return exitcode.Usage
}

// flagSet is a fresh FlagSet whose --help prints the usage to stdout.
func flagSet(name string, stdout io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "%s\nOptions of %s:\n%s", usage, name, fs.FlagUsages())
	}
	return fs
}

// parse parses args; done means the command has nothing more to do.
func parse(fs *pflag.FlagSet, args []string, stderr io.Writer) (done bool, code int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fs.Usage()
			return true, exitcode.OK
		}
		return true, usageError(stderr, fs.Name()+": "+err.Error())
	}
	return false, 0
}

func serveMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg Config
	var model, logFile string
	fs := flagSet("modemsim serve", stdout)
	fs.StringVar(&model, "model", "", "the module to play: "+modelNames())
	fs.StringVar(&cfg.Root, "root", "", "show the module as a USB device in a fake sysfs under this directory, with DIR/dev/<tty>")
	fs.StringVar(&cfg.Dev, "dev", DefaultDev, "USB device name of the fake device")
	fs.StringVar(&cfg.TTY, "tty", "", "serve this tty (a USB gadget's /dev/ttyGS0) instead of a new pty")
	fs.BoolVar(&cfg.AliasLink, "alias", false, "also link DIR/dev/<the model's vendor tty name>")
	fs.StringVar(&cfg.Control, "control", "", "unix socket for control commands")
	fs.DurationVar(&cfg.ResetDelay, "reset-delay", DefaultResetDelay, "how long a reset module stays away")
	fs.DurationVar(&cfg.RegDelay, "reg-delay", 0, "time from power-on to registration (the regdelay command changes it)")
	fs.StringVar(&logFile, "log", "", "append the log to this file instead of stderr")
	if done, code := parse(fs, args, stderr); done {
		return code
	}
	if dash := fs.ArgsLenAtDash(); (dash < 0 && fs.NArg() > 0) || dash > 0 {
		return usageError(stderr, fmt.Sprintf("serve: unexpected argument %q (the data command goes after --)", fs.Arg(0)))
	}
	cfg.DataCommand = fs.Args()
	m, ok := modem.ByName(model)
	if !ok {
		return usageError(stderr, fmt.Sprintf("serve: --model %q: want one of %s", model, modelNames()))
	}
	cfg.Model = m
	if cfg.ResetDelay == 0 {
		cfg.ResetDelay = -1 // --reset-delay 0: none
	}
	cfg.Log = stderr
	if logFile != "" {
		f, err := os.OpenFile(logFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "modemsim: %v\n", err)
			return exitcode.Failure
		}
		defer f.Close()
		cfg.Log = f
	}
	s, err := New(cfg)
	if err != nil {
		return usageError(stderr, "serve: "+strings.TrimPrefix(err.Error(), "modemsim: "))
	}
	if err := s.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return exitcode.Failure
	}
	return exitcode.OK
}

func ctlMain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var wait time.Duration
	fs := flagSet("modemsim ctl", stdout)
	fs.DurationVar(&wait, "wait", 5*time.Second, "how long to wait for the simulator's socket to appear")
	fs.SetInterspersed(false)
	if done, code := parse(fs, args, stderr); done {
		return code
	}
	if fs.NArg() < 2 {
		return usageError(stderr, "ctl: want a socket and a command")
	}
	reply, err := controlWait(ctx, fs.Arg(0), strings.Join(fs.Args()[1:], " "), wait)
	if reply != "" {
		fmt.Fprintln(stdout, reply)
	}
	if err != nil {
		if reply == "" {
			fmt.Fprintf(stderr, "%v\n", err)
		}
		return exitcode.Failure
	}
	return exitcode.OK
}

// controlWait is Control, retried while the socket is not there yet: a
// simulator started in the background creates it once it serves.
func controlWait(ctx context.Context, socket, cmd string, wait time.Duration) (string, error) {
	deadline := time.Now().Add(wait)
	for {
		cctx, cancel := context.WithTimeout(ctx, controlTimeout)
		reply, err := control(cctx, socket, cmd)
		cancel()
		if err == nil || reply != "" || !(errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ECONNREFUSED)) || time.Now().After(deadline) {
			return reply, err
		}
		select {
		case <-ctx.Done():
			return "", err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func modelNames() string {
	var names []string
	for _, m := range modem.Models() {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}
