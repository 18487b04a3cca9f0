package testscripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// routerLimit is the most a tool may take on a router's flash: 3 MB.
const routerLimit = 3_000_000

// TestToolsFitTheRouter builds every tool as it ships to an arm router
// (static, stripped) and requires each to fit in 3 MB. The packages' own
// dependency tests say why each heavy package stays out; this one sees
// the sum.
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
