package pppmonitor

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// procCost is what a process has cost so far: the context switches of all
// its threads (each one a wake-up: a thread that slept and ran again, or
// was put aside for another), and its resident and virtual size now.
type procCost struct {
	switches      int64
	rssKiB, vmKiB int64
}

func readProcCost(pid int) (procCost, error) {
	var c procCost
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	if err != nil || len(tasks) == 0 {
		return c, fmt.Errorf("no threads of pid %d: %v", pid, err)
	}
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			return c, err
		}
		c.switches += statusField(string(b), "voluntary_ctxt_switches") + statusField(string(b), "nonvoluntary_ctxt_switches")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return c, err
	}
	c.rssKiB, c.vmKiB = statusField(string(b), "VmRSS"), statusField(string(b), "VmSize")
	return c, nil
}

// statusField is the number after "key:" in /proc/PID/status.
func statusField(status, key string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				n, _ := strconv.ParseInt(f[0], 10, 64)
				return n
			}
		}
	}
	return 0
}

// slowEcho makes the first hop of c answer echo requests from user space,
// delay late, as a real link does. The kernel's own answer over veth or
// loopback comes back within the sendto of the request, so the monitor
// would never wait for a reply, unlike on a link. onRequest is called with
// the number of each request (from 1) as it arrives, before its answer.
func slowEcho(t testing.TB, c *netnstest.Chain, delay time.Duration, onRequest func(n int)) {
	t.Helper()
	ns := c.Hops[0].NS
	c.Sysctl(t, ns, "net.ipv4.icmp_echo_ignore_all", "1")
	var pc net.PacketConn
	var err error
	netnstest.Do(t, ns, func() { pc, err = net.ListenPacket("ip4:icmp", "0.0.0.0") })
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { pc.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 1500)
		for n := 1; ; {
			size, src, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			m, err := icmp.Parse(buf[:size])
			if err != nil || m.Type != icmp.Echo {
				continue
			}
			onRequest(n)
			n++
			m.Type = icmp.EchoReply
			reply := m.Append(nil)
			time.AfterFunc(delay, func() { pc.WriteTo(reply, src) })
		}
	}()
}

// buildMonitor builds ppp_monitor as it ships (static, stripped) into dir.
func buildMonitor(t testing.TB, dir string) string {
	t.Helper()
	exe := filepath.Join(dir, "bin", tool)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", exe, "github.com/pppkeep/pppkeep/cmd/ppp_monitor")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("skipping: cannot build ppp_monitor: %v: %s", err, out)
	}
	return exe
}
