package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Hop is one router namespace behind the monitored router.
type Hop struct {
	NS string
	// Addr is its address towards the monitored router (10.200.N.2).
	Addr netip.Addr
}

// Chain is the network.
type Chain struct {
	// Router is the namespace with ppp0.
	Router string
	// Local is ppp0's address.
	Local netip.Addr
	// Iface is "ppp0".
	Iface string
	Hops  []Hop
}

// Last is the address of the last hop: the end of the route.
func (c *Chain) Last() netip.Addr { return c.Hops[len(c.Hops)-1].Addr }

// Skip skips t unless network namespaces can be made here.
func Skip(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: network namespaces need root; run the tests as root (CI does)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: the ip command (Debian package iproute2) is not installed")
	}
}

// New builds a chain of hops router namespaces behind the monitored
// router (hops ≥ 1, ≤ 8) and removes it when the test ends.
func New(t testing.TB, hops int) *Chain {
	t.Helper()
	Skip(t)
	var b [4]byte
	rand.Read(b[:])
	prefix := "pk" + hex.EncodeToString(b[:])
	c := &Chain{Router: prefix + "-router", Local: netip.MustParseAddr("10.200.1.1"), Iface: "ppp0"}
	all := []string{c.Router}
	for i := 1; i <= hops; i++ {
		c.Hops = append(c.Hops, Hop{NS: fmt.Sprintf("%s-hop%d", prefix, i), Addr: netip.MustParseAddr(fmt.Sprintf("10.200.%d.2", i))})
		all = append(all, c.Hops[i-1].NS)
	}
	for _, ns := range all {
		if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
			if strings.Contains(string(out), "Operation not permitted") {
				t.Skipf("skipping: cannot make a network namespace here: %s", out)
			}
			t.Fatalf("ip netns add %s: %v: %s", ns, err, out)
		}
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		c.IP(t, ns, "link", "set", "lo", "up")
	}
	prev, prevIf := c.Router, c.Iface
	for i, h := range c.Hops {
		n := i + 1
		c.IP(t, prev, "link", "add", prevIf, "type", "veth", "peer", "name", "a0", "netns", h.NS)
		if prev == c.Router {
			c.IP(t, prev, "addr", "add", c.Local.String()+"/24", "dev", prevIf)
		} else {
			c.IP(t, prev, "addr", "add", fmt.Sprintf("10.200.%d.1/24", n), "dev", prevIf)
		}
		c.IP(t, prev, "link", "set", prevIf, "up")
		c.IP(t, h.NS, "addr", "add", h.Addr.String()+"/24", "dev", "a0")
		c.IP(t, h.NS, "link", "set", "a0", "up")
		c.Sysctl(t, h.NS, "net.ipv4.ip_forward", "1")
		// Back towards the router: the networks before this hop.
		for j := 1; j < n; j++ {
			c.IP(t, h.NS, "route", "add", fmt.Sprintf("10.200.%d.0/24", j), "via", fmt.Sprintf("10.200.%d.1", n))
		}
		prev, prevIf = h.NS, "b0"
	}
	// Onwards: everything else in 10.200/16 is further down the chain.
	c.IP(t, c.Router, "route", "add", "10.200.0.0/16", "via", c.Hops[0].Addr.String(), "dev", c.Iface)
	for i := 0; i+1 < len(c.Hops); i++ {
		c.IP(t, c.Hops[i].NS, "route", "add", "10.200.0.0/16", "via", c.Hops[i+1].Addr.String())
	}
	return c
}

// IP runs `ip -n ns args…`.
func (c *Chain) IP(t testing.TB, ns string, args ...string) {
	t.Helper()
	args = append([]string{"-n", ns}, args...)
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// Sysctl sets a sysctl of the network namespace ns (key with dots).
func (c *Chain) Sysctl(t testing.TB, ns, key, value string) {
	t.Helper()
	path := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
	cmd := exec.Command("ip", "netns", "exec", ns, "sh", "-c", `printf '%s\n' "$1" > "$2"`, "sh", value, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sysctl %s=%s in %s: %v: %s", key, value, ns, err, out)
	}
}

// Command is a command to run inside the namespace ns (`ip netns exec`,
// which execs it: its pid is the command's own).
func (c *Chain) Command(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// Do runs f on an OS thread that has joined the network namespace ns, for
// opening sockets there: a socket stays in the namespace it was made in,
// whichever thread uses it later. The thread is thrown away afterwards.
func Do(t testing.TB, ns string, f func()) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: the goroutine's end takes the thread, with
		// its namespace, out of use.
		fd, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		f()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		t.Fatalf("netnstest: %v", err)
	}
}
