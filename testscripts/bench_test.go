//go:build linux

package testscripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestBenchSmoke runs `make bench`'s harness for a few seconds and checks
// that it produced every figure (not their values, which depend on the
// machine) and left nothing running: no stand-in pppd, no namespace.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: the bench harness runs for about 10 s (-short)")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipping: the go command is not on PATH; the harness is built with it")
	}
	sleepers := standInPPPDs(t)
	cmd := exec.Command(goCmd, "run", "./bench", "--smoke")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run ./bench --smoke: %v\n%s", err, out)
	}
	text := string(out)
	want := []string{
		"ppp_wrapper wake-ups/s, no RESET_AT",
		"ppp_wrapper wake-ups/s, RESET_AT=03:00",
	}
	monitorRows := []string{"ppp_monitor wake-ups per probe", "resident KiB", "VmSize KiB", "largest mapping KiB"}
	if strings.Contains(text, "skipped: the ppp_monitor rows") {
		t.Logf("the ppp_monitor rows were skipped (%s)", line(text, "skipped: the ppp_monitor rows"))
	} else {
		want = append(want, monitorRows...)
	}
	for _, tool := range []string{"ppp_monitor", "ppp_wrapper", "gen_pppconfig", "modem_reset"} {
		want = append(want, tool+" --version, ms", tool+" size, MB (host")
	}
	for _, w := range want {
		if !hasFigure(text, w) {
			t.Errorf("bench --smoke printed no figures for %q (ours and baseline numbers); output:\n%s", w, text)
		}
	}
	if left := slices.DeleteFunc(standInPPPDs(t), func(pid string) bool { return slices.Contains(sleepers, pid) }); len(left) > 0 {
		t.Errorf("bench --smoke left stand-in pppds (sleep 1000) running: pids %v", left)
	}
	if b, err := exec.Command("ip", "netns", "list").Output(); err == nil && strings.Contains(string(b), "pkbench") {
		t.Errorf("bench --smoke left network namespaces behind:\n%s", b)
	}
}

// figureRE is a table line: what, then ours and the baseline, each
// starting with a number, in columns two or more spaces apart.
var figureRE = regexp.MustCompile(`^(.+?)\s{2,}([0-9][^ ]*(?: / [0-9]+)?)\s{2,}([0-9][^ ]*)\s{2,}(\S+)$`)

func hasFigure(out, what string) bool {
	for _, l := range strings.Split(out, "\n") {
		if m := figureRE.FindStringSubmatch(l); m != nil && strings.HasPrefix(m[1], what) {
			return true
		}
	}
	return false
}

func line(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSpace(l)
		}
	}
	return ""
}

// standInPPPDs lists the pids of the processes that run the harness's
// stand-in pppd, `sleep 1000`, in this directory (the harness's, which its
// children inherit: other tests' sleeps run elsewhere).
func standInPPPDs(t *testing.T) []string {
	t.Helper()
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var pids []string
	for _, p := range cmdlines {
		dir := filepath.Dir(p)
		b, err := os.ReadFile(p)
		if cwd, _ := os.Readlink(filepath.Join(dir, "cwd")); err == nil && string(b) == "sleep\x001000\x00" && cwd == here {
			pids = append(pids, filepath.Base(dir))
		}
	}
	return pids
}
