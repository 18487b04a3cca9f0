package testscripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// routerLimit is the most a tool may take on a router's flash: 3 MB.
const routerLimit = 3_000_000

// TestToolsFitTheRouter builds every tool as it ships to an arm router
// (static, stripped) and requires each to fit in 3 MB.
// TestHeavyPackagesStayOut says which packages keep them there.
func TestToolsFitTheRouter(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the arm builds in -short mode")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: no go command to build the tools with: %v", err)
	}
	dir := t.TempDir()
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", dir + "/"}
	tools := []string{"gen_pppconfig", "modem_reset", "ppp_wrapper", "ppp_monitor"}
	for _, tool := range tools {
		args = append(args, "../cmd/"+tool)
	}
	cmd := exec.Command(gotool, args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm", "GOARM=7")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	for _, tool := range tools {
		fi, err := os.Stat(filepath.Join(dir, tool))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > routerLimit {
			t.Errorf("%s is %d bytes on linux/arm, want at most %d", tool, fi.Size(), routerLimit)
		} else {
			t.Logf("%s: %d bytes on linux/arm (%d to spare)", tool, fi.Size(), routerLimit-fi.Size())
		}
	}
}

// heavy lists, for a package of ours, what it must not link and what that
// would cost on a router (arm, stripped).
var heavy = []struct {
	pkg, why string
	out      []string
}{
	{"../pkg/logging", "every tool links it; net alone is about 600 KB", []string{"net", "log/syslog"}},
	{"../pkg/probe", "x/net's icmp, ipv4, ipv6 and bpf added about 300 KB to ppp_monitor; net is for name lookups only", []string{"net", "golang.org/x/net/"}},
	{"../pkg/runstate", "encoding/json put ppp_monitor 330 KB over its 3 MB", []string{"encoding/json"}},
	{"../cmd/ppp_monitor", "regexp costs 260 KB, a shell parser 260-460 KB, os/exec 63 KB (the detach uses os.StartProcess); Prometheus's code is for the tests only (pkg/metrics/metricstest)", []string{"regexp", "mvdan.cc/", "encoding/json", "golang.org/x/net/", "os/exec", "github.com/prometheus/"}},
	{"../cmd/ppp_wrapper", "as above", []string{"regexp", "mvdan.cc/", "encoding/json", "log/syslog", "github.com/prometheus/"}},
	{"../cmd/gen_pppconfig", "as above", []string{"regexp", "mvdan.cc/", "log/syslog", "github.com/prometheus/"}},
	{"../cmd/modem_reset", "as above", []string{"regexp", "mvdan.cc/", "log/syslog", "github.com/prometheus/"}},
}

// TestHeavyPackagesStayOut lists each package's dependencies with go list
// and refuses those that would push a tool over the router's 3 MB. A
// prefix ending in / stands for every package under it.
func TestHeavyPackagesStayOut(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: no go command to list the packages' dependencies with: %v", err)
	}
	for _, h := range heavy {
		out, err := exec.Command(gotool, "list", "-deps", h.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s = %v\n%s", h.pkg, err, out)
		}
		deps := strings.Fields(string(out))
		for _, bad := range h.out {
			hit := slices.IndexFunc(deps, func(d string) bool {
				return d == bad || strings.HasSuffix(bad, "/") && strings.HasPrefix(d, bad)
			})
			if hit >= 0 {
				t.Errorf("%s links %s, want it without (%s)", strings.TrimPrefix(h.pkg, "../"), deps[hit], h.why)
			}
		}
	}
}
