package probe_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/probe"
	"github.com/pppkeep/pppkeep/pkg/probe/icmp"
	"github.com/pppkeep/pppkeep/pkg/probe/netnstest"
)

// slowEchoEnv, set to a duration, makes the test binary an echo responder
// instead (see startSlowEcho).
const slowEchoEnv = "PROBE_TEST_SLOW_ECHO"

func TestMain(m *testing.M) {
	if d := os.Getenv(slowEchoEnv); d != "" {
		slowEcho(d)
		return
	}
	os.Exit(m.Run())
}

// slowEcho answers every echo request that reaches this namespace delay
// late, as a link does, until its stdin closes. It says "ready" on stdout
// once its socket is open.
func slowEcho(delay string) {
	d, err := time.ParseDuration(delay)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pc, err := net.ListenPacket("ip4:icmp", "0.0.0.0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	go func() {
		buf := make([]byte, 1500)
		for {
			n, src, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			m, err := icmp.Parse(buf[:n])
			if err != nil || m.Type != icmp.Echo {
				continue
			}
			m.Type = icmp.EchoReply
			reply := m.Append(nil)
			time.AfterFunc(d, func() { pc.WriteTo(reply, src) })
		}
	}()
	bufio.NewReader(os.Stdin).ReadString('\n')
}

// startSlowEcho runs slowEcho in the namespace ns, whose kernel then
// answers no echo itself. An answer the kernel gives over veth comes back
// within the sendto of the request, so a prober would never wait for one.
func startSlowEcho(t *testing.T, c *netnstest.Chain, ns string, delay time.Duration) {
	t.Helper()
	c.Sysctl(t, ns, "net.ipv4.icmp_echo_ignore_all", "1")
	cmd := c.Command(ns, os.Args[0])
	cmd.Env = append(os.Environ(), slowEchoEnv+"="+delay.String())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("echo responder in %s: %q, %v, want ready", ns, line, err)
	}
}

// wakeups are the voluntary context switches of this process's threads
// tids: each is a wake-up, a thread that slept and ran again. (The
// involuntary ones are another process's taking the CPU; here mostly
// the echo responder's, woken on the same CPU by a request.) Their files
// are read with raw system calls: an ordinary one would wake the
// runtime's monitor thread, which is what is being counted.
func wakeups(tids []string) map[string]int64 {
	counts := map[string]int64{}
	buf := make([]byte, 4096)
	for _, tid := range tids {
		n, err := rawReadFile("/proc/self/task/"+tid+"/status", buf)
		if err != nil {
			continue // a thread that has ended
		}
		for _, line := range strings.Split(string(buf[:n]), "\n") {
			if v, ok := strings.CutPrefix(line, "voluntary_ctxt_switches:"); ok {
				counts[tid], _ = strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			}
		}
	}
	return counts
}

func rawReadFile(path string, buf []byte) (int, error) {
	p, err := unix.BytePtrFromString(path)
	if err != nil {
		return 0, err
	}
	atCwd := unix.AT_FDCWD
	fd, _, e := unix.RawSyscall6(unix.SYS_OPENAT, uintptr(atCwd), uintptr(unsafe.Pointer(p)), unix.O_RDONLY|unix.O_CLOEXEC, 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	defer unix.RawSyscall(unix.SYS_CLOSE, fd, 0, 0)
	n, _, e := unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// threads lists this process's threads.
func threads(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("/proc/self/task/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no /proc/self/task/*: %v", err)
	}
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	return files
}

// TestIntegrationWakeupsPerProbe: a probe on the schedule of a periodic
// Timerfd, answered 5 ms late, wakes the process no more than 3 times: the
// tick and the reply (2), and at most one more. A system call through
// syscall.Syscall while the runtime's monitor thread sleeps wakes that
// thread too (twice, as it naps 20 µs before it sleeps again); waits in
// the netpoller do not.
func TestIntegrationWakeupsPerProbe(t *testing.T) {
	c := netnstest.New(t, 1)
	c.Sysctl(t, c.Router, "net.ipv4.ping_group_range", "0 2147483647")
	startSlowEcho(t, c, c.Hops[0].NS, 5*time.Millisecond)
	// As ppp_monitor runs: one P, so no second thread looks for work.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const warmup, probes, maxPerProbe = 3, 10, 3
	for _, kind := range []probe.Kind{probe.Raw, probe.Datagram} {
		t.Run(kind.String(), func(t *testing.T) {
			s := listenIn(t, c.Router, c.Iface, kind)
			p := probe.New(s, s.Options())
			tick, err := probe.NewTimerfd()
			if err != nil {
				t.Skipf("skipping: no timerfd: %v", err)
			}
			defer tick.Close()
			if err := tick.Set(50*time.Millisecond, 50*time.Millisecond); err != nil {
				t.Fatal(err)
			}
			var tids []string
			var before map[string]int64
			for i := range warmup + probes {
				switch i {
				case 0:
					tids = threads(t)
				case warmup:
					before = wakeups(tids)
				}
				if err := tick.Wait(); err != nil {
					t.Fatalf("Timerfd.Wait() = %v", err)
				}
				if _, err := p.Echo(context.Background(), c.Hops[0].Addr, time.Now().Add(time.Second)); err != nil {
					t.Fatalf("Echo(%s) = %v, want a reply", c.Hops[0].Addr, err)
				}
			}
			after := wakeups(tids)
			for _, tid := range threads(t) {
				if !slices.Contains(tids, tid) {
					t.Fatalf("thread %s started while probing (threads before: %v), want none", tid, tids)
				}
			}
			var sum int64
			for tid, n := range after {
				if b, ok := before[tid]; ok {
					sum += n - b
				}
			}
			perProbe := float64(sum) / probes
			t.Logf("%v socket: %.1f wake-ups per probe", kind, perProbe)
			if perProbe > maxPerProbe {
				t.Errorf("%d probes on a %v socket woke the process %.1f times each, want at most %d", probes, kind, perProbe, maxPerProbe)
			}
		})
	}
}
