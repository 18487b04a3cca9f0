package testscripts

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// fakePPPD stands in for pppd in the scripts: it plays one line of
// $WORK/pppd.scenario per call (the last line again when they run out):
//
//	exit CODE [SECONDS]     end with CODE after SECONDS (the dial failed)
//	up [SECONDS CODE]       the link comes up: run the ip-up hook, then
//	                        wait for SIGTERM (run ip-down, exit 5) or, with
//	                        SECONDS CODE, hang up by itself after SECONDS
//	ignoreterm              the link comes up, and pppd hangs: SIGTERM is
//	                        ignored, only SIGKILL ends it
//	child SECONDS [CODE]    leave a child behind (sleep SECONDS, in pppd's
//	                        process group, as a connect script's child
//	                        would be), then end with CODE (default 8)
//
// While the link is up, pppd's pidfile $WORK/var/run/ppp0.pid holds its
// pid, as the real one's /var/run/ppp0.pid does.
//
// The hooks are $FAKE_PPPD_IPUP and $FAKE_PPPD_IPDOWN when set, run with
// pppd's environment for them (IFNAME, PPPD_PID, …). Every call and how it ended go
// to $WORK/pppd.log, one line each.
func fakePPPD() int {
	work := os.Getenv("WORK")
	logf := func(format string, args ...any) {
		f, err := os.OpenFile(filepath.Join(work, "pppd.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%d "+format+"\n", append([]any{os.Getpid()}, args...)...)
			f.Close()
		}
	}
	logf("start %s", strings.Join(os.Args[1:], " "))
	line := scenarioLine(work)
	f := strings.Fields(line)
	if len(f) == 0 {
		logf("no scenario")
		return 1
	}
	num := func(i int, def float64) float64 {
		if i < len(f) {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				return v
			}
		}
		return def
	}
	switch f[0] {
	case "exit":
		code := int(num(1, 1))
		time.Sleep(time.Duration(num(2, 0.1) * float64(time.Second)))
		logf("exit %d", code)
		return code
	case "child":
		c := exec.Command("sleep", strconv.Itoa(int(num(1, 60))))
		if err := c.Start(); err != nil {
			logf("cannot start the child: %v", err)
			return 1
		}
		logf("child %d", c.Process.Pid)
		code := int(num(2, 8))
		logf("exit %d", code)
		return code
	case "ignoreterm":
		signal.Ignore(syscall.SIGTERM, syscall.SIGINT)
		writePidfile(work)
		runHook("FAKE_PPPD_IPUP")
		logf("up, ignoring SIGTERM")
		select {}
	case "up":
		term := make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM, syscall.SIGINT)
		writePidfile(work)
		defer os.Remove(pidfilePath(work))
		runHook("FAKE_PPPD_IPUP")
		logf("up")
		var hangup <-chan time.Time
		if len(f) >= 3 {
			hangup = time.After(time.Duration(num(1, 0) * float64(time.Second)))
		}
		select {
		case <-term:
			fmt.Println(`sent [LCP TermReq id=0x2 "User request"]`)
			fmt.Println("Terminating on signal 15")
			runHook("FAKE_PPPD_IPDOWN")
			logf("exit 5 (terminated)")
			return 5
		case <-hangup:
			runHook("FAKE_PPPD_IPDOWN")
			code := int(num(2, 16))
			logf("exit %d", code)
			return code
		}
	}
	logf("bad scenario line %q", line)
	return 1
}

func pidfilePath(work string) string {
	return filepath.Join(work, "var/run/ppp0.pid")
}

func writePidfile(work string) {
	os.MkdirAll(filepath.Dir(pidfilePath(work)), 0o755)
	os.WriteFile(pidfilePath(work), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

// scenarioLine takes the next line of the scenario; a counter file keeps
// the place between calls.
func scenarioLine(work string) string {
	data, _ := os.ReadFile(filepath.Join(work, "pppd.scenario"))
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	counter := filepath.Join(work, "pppd.count")
	b, _ := os.ReadFile(counter)
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	os.WriteFile(counter, []byte(strconv.Itoa(n+1)), 0o644)
	return lines[min(n, len(lines)-1)]
}

func runHook(env string) {
	hook := os.Getenv(env)
	if hook == "" {
		return
	}
	cmd := exec.Command(hook, "ppp0", "/dev/ttyACM0", "460800", "10.0.0.2", "10.0.0.1", "ppp0")
	cmd.Env = append(os.Environ(), "IFNAME=ppp0", "IPLOCAL=10.0.0.2", "IPREMOTE=10.0.0.1", "LINKNAME=ppp0",
		"PPPD_PID="+strconv.Itoa(os.Getpid()))
	cmd.Run()
}
