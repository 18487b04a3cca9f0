package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

// options are the knobs of a run.
type options struct {
	window, settle time.Duration
	runs           int
	cross, goBench bool
}

func main() {
	var o options
	var noCross, noGoBench, smoke bool
	fs := pflag.NewFlagSet("bench", pflag.ContinueOnError)
	fs.DurationVar(&o.window, "window", 20*time.Second, "how long wake-ups are counted (ppp_monitor: one probe a second)")
	fs.DurationVar(&o.settle, "settle", 2*time.Second, "wait after the link is up before counting")
	fs.IntVar(&o.runs, "runs", 200, "--version runs of each program")
	fs.BoolVar(&noCross, "no-cross", false, "skip the linux/arm builds and their sizes")
	fs.BoolVar(&noGoBench, "no-gobench", false, "skip go test -bench ProbeCost")
	fs.BoolVar(&smoke, "smoke", false, "a short run for the harness's own test: 3 s window, 10 runs, no cross build, no go test")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if smoke {
		o.window, o.settle, o.runs, noCross, noGoBench = 3*time.Second, time.Second, 10, true, true
	}
	if o.window < time.Second || o.runs < 1 {
		fmt.Fprintln(os.Stderr, "bench: --window must be at least 1s and --runs at least 1")
		os.Exit(2)
	}
	o.cross, o.goBench = !noCross, !noGoBench

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "bench: %v: stopping what it started\n", s)
		exit(1)
	}()
	code := run(o)
	exit(code)
}

func run(o options) int {
	began := time.Now()
	printHeader(o)
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	tmp, err := os.MkdirTemp("", "pppkeep-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	atExit(func() { os.RemoveAll(tmp) })

	hostDir := filepath.Join(tmp, "host")
	if err := buildTools(root, hostDir, "CGO_ENABLED=0"); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	hello, err := buildHello(tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	armDir := ""
	if o.cross {
		// Before the windows, so that the compiler does not load the
		// machine while wake-ups are counted.
		armDir = filepath.Join(tmp, "linux-arm7")
		if err := buildTools(root, armDir, "GOOS=linux", "GOARCH=arm", "GOARM=7", "CGO_ENABLED=0"); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
	}

	// The wrapper and monitor rows run side by side: each counts only its
	// own processes, and the monitor and its baseline have a namespace
	// pair each, so that neither sees the other's echo replies.
	var wg sync.WaitGroup
	var wrapperSec, monitorSec section
	wg.Go(func() { wrapperSec = wrapperSection(tmp, hostDir, o) })
	wg.Go(func() { monitorSec = monitorSection(tmp, hostDir, hello, o) })
	wg.Wait()
	// After the wake-up windows and before the timed --version runs: its
	// monitors and traffic would load the machine while those count.
	dataSec := dataCostSection(tmp, hostDir, o)
	sections := []section{wrapperSec, monitorSec, dataSec, startupSection(hostDir, hello, armDir, o.runs), curesSection(root)}
	if o.goBench {
		sections = append(sections, probeCostSection(root))
	}
	fmt.Println()
	printTable(os.Stdout, sections)
	fmt.Printf("\nended %s after %v; load average now %s\n", time.Now().Format(time.RFC3339), time.Since(began).Round(time.Second), loadAverage())
	for _, s := range sections {
		if s.err != nil {
			return 1
		}
	}
	return 0
}

func printHeader(o options) {
	host, _ := os.Hostname()
	var u syscall.Utsname
	syscall.Uname(&u)
	fmt.Printf("pppkeep bench, %s on %s (Linux %s, %d CPUs), load average %s\n",
		time.Now().Format(time.RFC3339), host, utsString(u.Release[:]), runtime.NumCPU(), loadAverage())
	fmt.Printf("window %v after %v settling; %d --version runs each\n", o.window, o.settle, o.runs)
	fmt.Println("Counts (wake-ups, threads, KiB, bytes) hardly depend on the machine's load; times do.")
	fmt.Println("On a loaded or shared machine compare only the ratios within this run, never times across runs;")
	fmt.Println("nonvoluntary context switches (part of each wake-up count) grow with the load.")
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	var a, b5, c float64
	fmt.Sscanf(string(b), "%f %f %f", &a, &b5, &c)
	return fmt.Sprintf("%.2f %.2f %.2f", a, b5, c)
}

func utsString(f []int8) string {
	b := make([]byte, 0, len(f))
	for _, c := range f {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}
