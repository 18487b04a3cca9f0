package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// pair is two network namespaces joined by a veth pair: near holds ppp0
// (10.77.N.1/30), far answers echo on 10.77.N.2. Nothing leaves them.
type pair struct {
	near, far string
	local     string
	target    string
}

// needNetns says why namespaces cannot be made here ("" when they can).
func needNetns() string {
	if os.Geteuid() != 0 {
		return "network namespaces need root (run make bench as root)"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return "the ip command (Debian package iproute2) is not installed"
	}
	if _, err := exec.LookPath("ping"); err != nil {
		return "the ping command (Debian package iputils-ping) is not installed, for the baseline"
	}
	return ""
}

// newPair makes pair number n; they are deleted when the harness ends.
func newPair(n int) (*pair, error) {
	var b [3]byte
	rand.Read(b[:])
	id := "pkbench" + hex.EncodeToString(b[:])
	p := &pair{
		near: fmt.Sprintf("%s-near%d", id, n), far: fmt.Sprintf("%s-far%d", id, n),
		local: fmt.Sprintf("10.77.%d.1", n), target: fmt.Sprintf("10.77.%d.2", n),
	}
	for _, ns := range []string{p.near, p.far} {
		if err := ip("netns", "add", ns); err != nil {
			return nil, err
		}
		atExit(func() { ip("netns", "del", ns) })
		if err := ip("-n", ns, "link", "set", "lo", "up"); err != nil {
			return nil, err
		}
	}
	steps := [][]string{
		{"-n", p.near, "link", "add", "ppp0", "type", "veth", "peer", "name", "eth0", "netns", p.far},
		{"-n", p.near, "addr", "add", p.local + "/30", "dev", "ppp0"},
		{"-n", p.far, "addr", "add", p.target + "/30", "dev", "eth0"},
		{"-n", p.near, "link", "set", "ppp0", "up"},
		{"-n", p.far, "link", "set", "eth0", "up"},
	}
	for _, s := range steps {
		if err := ip(s...); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// command runs name inside the near namespace; `ip netns exec` execs it,
// so the process's pid is the command's own.
func (p *pair) command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", p.near, name}, args...)...)
}

// startInside starts cmd inside the near namespace straight from this
// process, without `ip netns exec` (whose own start would count in the
// rusage of cmd): the child is forked by a thread that has joined the
// namespace.
func (p *pair) startInside(cmd *exec.Cmd) (*child, error) {
	type result struct {
		c   *child
		err error
	}
	done := make(chan result, 1)
	go func() {
		// Never unlocked: the thread, in the namespace, ends with the
		// goroutine.
		runtime.LockOSThread()
		fd, err := unix.Open("/run/netns/"+p.near, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			done <- result{err: fmt.Errorf("netns %s: %w", p.near, err)}
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			done <- result{err: fmt.Errorf("setns %s: %w", p.near, err)}
			return
		}
		c, err := startChild(cmd)
		done <- result{c, err}
	}()
	r := <-done
	return r.c, r.err
}

func ip(args ...string) error {
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
