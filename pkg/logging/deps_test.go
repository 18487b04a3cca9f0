package logging

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Every tool links this package; package net would add about 600 KB to
// each of them on the routers (arm), where a tool must stay under 3 MB.
func TestLoggingDoesNotLinkNet(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: no go command to list this package's imports: %v", err)
	}
	out, err := exec.Command(gotool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps . = %v", err)
	}
	deps := strings.Fields(string(out))
	for _, heavy := range []string{"net", "log/syslog"} {
		if slices.Contains(deps, heavy) {
			t.Errorf("go list -deps . lists %s, want pkg/logging without it", heavy)
		}
	}
}
