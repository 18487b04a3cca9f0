package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// packet is one IPv4 packet seen on an interface.
type packet struct {
	out      bool // sent by this side
	size     int  // the IP packet's length: what the link carries, link header aside
	ttl      uint8
	icmp     bool
	icmpType uint8
}

// ICMP types the data-cost rows tell apart.
const (
	icmpEchoReply    = 0
	icmpEcho         = 8
	icmpTimeExceeded = 11
)

// capture is a packet socket (AF_PACKET, SOCK_DGRAM: no link header) on
// one interface of a namespace: every IPv4 packet the interface sends or
// receives, with its real length (MSG_TRUNC), as the kernel hands it to
// the link or takes it from there.
type capture struct {
	fd   int
	quit atomic.Bool
	done chan struct{}
	once sync.Once

	mu   sync.Mutex
	pkts []packet
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func startCapture(ns, iface string) (*capture, error) {
	var fd int
	err := inNetns(ns, func() error {
		ifi, err := net.InterfaceByName(iface)
		if err != nil {
			return err
		}
		// ETH_P_ALL: a socket for one protocol sees only what comes in;
		// what goes out is copied to the all-protocols taps alone.
		fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, int(htons(unix.ETH_P_ALL)))
		if err != nil {
			return os.NewSyscallError("socket AF_PACKET", err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifi.Index}); err != nil {
			unix.Close(fd)
			return os.NewSyscallError("bind AF_PACKET "+iface, err)
		}
		// A timeout, so that the reader sees quit.
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &unix.Timeval{Usec: 100_000}); err != nil {
			unix.Close(fd)
			return os.NewSyscallError("setsockopt SO_RCVTIMEO", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("packet capture on %s in %s: %w", iface, ns, err)
	}
	c := &capture{fd: fd, done: make(chan struct{})}
	go c.run()
	atExit(c.stop)
	return c, nil
}

func (c *capture) run() {
	defer close(c.done)
	buf := make([]byte, 64) // the headers; MSG_TRUNC reports the whole length
	for !c.quit.Load() {
		n, from, err := unix.Recvfrom(c.fd, buf, unix.MSG_TRUNC)
		if err != nil {
			if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
				continue
			}
			return
		}
		ll, ok := from.(*unix.SockaddrLinklayer)
		if !ok || ll.Protocol != htons(unix.ETH_P_IP) {
			continue // ARP, IPv6
		}
		p := packet{size: n, out: ll.Pkttype == unix.PACKET_OUTGOING}
		if h := buf[:min(n, len(buf))]; len(h) >= 20 && h[0]>>4 == 4 {
			ihl := int(h[0]&0x0f) * 4
			p.ttl = h[8]
			if h[9] == 1 && ihl < len(h) {
				p.icmp, p.icmpType = true, h[ihl]
			}
		}
		c.mu.Lock()
		c.pkts = append(c.pkts, p)
		c.mu.Unlock()
	}
}

// packets is what was seen so far.
func (c *capture) packets() []packet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]packet(nil), c.pkts...)
}

func (c *capture) stop() {
	c.once.Do(func() {
		c.quit.Store(true)
		<-c.done
		unix.Close(c.fd)
	})
}

// inNetns runs f on an OS thread that has joined the network namespace ns
// (sockets made there stay there); the thread is not used again.
func inNetns(ns string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("netns %s: %w", ns, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// nsCommand runs name inside the namespace ns (`ip netns exec`, which
// also mounts that namespace's /sys, where ppp_monitor reads counters).
func nsCommand(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// route is a namespace with ppp0 and routers behind it in a row: the
// route of a probe to a far address. Link k joins router k-1 (k=1: the
// near namespace, ppp0) and router k: 10.78.k.1 and 10.78.k.2. The last
// router holds dest; every one before it forwards.
type route struct {
	near    string
	routers []string
	first   string // the first router's address, ppp0's neighbour
	dest    string
}

func newRoute(routers int) (*route, error) {
	var b [3]byte
	rand.Read(b[:])
	id := "pkbench" + hex.EncodeToString(b[:])
	r := &route{near: id + "-rnear", first: "10.78.1.2", dest: fmt.Sprintf("10.78.%d.2", routers)}
	all := []string{r.near}
	for i := 1; i <= routers; i++ {
		r.routers = append(r.routers, fmt.Sprintf("%s-r%d", id, i))
	}
	all = append(all, r.routers...)
	for _, ns := range all {
		if err := ip("netns", "add", ns); err != nil {
			return nil, err
		}
		atExit(func() { ip("netns", "del", ns) })
		if err := ip("-n", ns, "link", "set", "lo", "up"); err != nil {
			return nil, err
		}
	}
	prev, prevIf := r.near, "ppp0"
	for i, ns := range r.routers {
		k := i + 1
		steps := [][]string{
			{"-n", prev, "link", "add", prevIf, "type", "veth", "peer", "name", "a0", "netns", ns},
			{"-n", prev, "addr", "add", fmt.Sprintf("10.78.%d.1/24", k), "dev", prevIf},
			{"-n", prev, "link", "set", prevIf, "up"},
			{"-n", ns, "addr", "add", fmt.Sprintf("10.78.%d.2/24", k), "dev", "a0"},
			{"-n", ns, "link", "set", "a0", "up"},
		}
		for j := 1; j < k; j++ {
			steps = append(steps, []string{"-n", ns, "route", "add", fmt.Sprintf("10.78.%d.0/24", j), "via", fmt.Sprintf("10.78.%d.1", k)})
		}
		for _, s := range steps {
			if err := ip(s...); err != nil {
				return nil, err
			}
		}
		if out, err := nsCommand(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("ip_forward in %s: %v: %s", ns, err, out)
		}
		prev, prevIf = ns, "b0"
	}
	// Onwards, once every link is there: the rest of 10.78/16 lies
	// further down the row.
	if err := ip("-n", r.near, "route", "add", "10.78.0.0/16", "via", r.first, "dev", "ppp0"); err != nil {
		return nil, err
	}
	for i := 1; i < routers; i++ {
		if err := ip("-n", r.routers[i-1], "route", "add", "10.78.0.0/16", "via", fmt.Sprintf("10.78.%d.2", i+1)); err != nil {
			return nil, err
		}
	}
	return r, nil
}
