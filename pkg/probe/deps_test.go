package probe

import (
	"os/exec"
	"strings"
	"testing"
)

// ppp_monitor must stay under 3 MB on the routers (arm): golang.org/x/net
// (icmp, ipv4, ipv6, bpf) added about 300 KB to it, and package net is
// for the monitor's name lookups only, not for an ICMP socket.
func TestProbeLinksNeitherNetNorXNet(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("skipping: no go command to list this package's imports: %v", err)
	}
	out, err := exec.Command(gotool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps . = %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "net" || strings.HasPrefix(dep, "golang.org/x/net/") {
			t.Errorf("go list -deps . lists %s, want pkg/probe without it", dep)
		}
	}
}
