package pppmonitor

import (
	"context"
	"errors"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/probe"
)

// sysfsCounter is one counter file of /sys/class/net/IFACE/statistics,
// kept open: a read at offset 0 shows the value of the moment.
type sysfsCounter struct {
	fd  int
	buf [24]byte
}

func openCounter(path string) (*sysfsCounter, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err // startAdaptive's warning names the interface
	}
	return &sysfsCounter{fd: fd}, nil
}

// value reads the counter with a raw pread, as pkg/probe makes its calls:
// an ordinary system call wakes the runtime's monitor thread, and this
// one never blocks. The offset is 0, which is all zero arguments on every
// architecture's calling convention for pread64.
func (c *sysfsCounter) value() (uint64, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_PREAD64, uintptr(c.fd), uintptr(unsafe.Pointer(&c.buf[0])), uintptr(len(c.buf)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	var v uint64
	digits := 0
	for _, b := range c.buf[:n] {
		if b < '0' || b > '9' {
			break
		}
		v = v*10 + uint64(b-'0')
		digits++
	}
	if digits == 0 {
		return 0, errors.New("not a number")
	}
	return v, nil
}

// rxCounters are an interface's received packets and bytes.
type rxCounters struct{ packets, bytes *sysfsCounter }

func openRxCounters(iface string) (*rxCounters, error) {
	dir := "/sys/class/net/" + iface + "/statistics/"
	p, err := openCounter(dir + "rx_packets")
	if err != nil {
		return nil, err
	}
	b, err := openCounter(dir + "rx_bytes")
	if err != nil {
		unix.Close(p.fd)
		return nil, err
	}
	return &rxCounters{packets: p, bytes: b}, nil
}

// read reads both counters. Two files are two readings: the packets are
// read after the bytes, so that a packet's bytes are never counted without
// the packet (an LCP frame would then look bigger than it is); a packet
// that comes in between makes the bytes look fewer, never more.
func (c *rxCounters) read() (rxCount, error) {
	b, err := c.bytes.value()
	if err != nil {
		return rxCount{}, err
	}
	p, err := c.packets.value()
	return rxCount{bytes: b, packets: p}, err
}

func (c *rxCounters) close() {
	unix.Close(c.packets.fd)
	unix.Close(c.bytes.fd)
}

// startAdaptive sets up adaptive probing on iface: its counters and the
// wait of half a timeout. It is nil, with a warning, when the counters
// cannot be read; the monitor then probes at every interval.
func startAdaptive(log *logging.Logger, iface string) *adaptive {
	c, err := openRxCounters(iface)
	if err == nil {
		_, err = c.read()
		if err != nil {
			c.close()
		}
	}
	if err != nil {
		log.Warnf("MONITOR_ADAPTIVE=yes, but the received-traffic counters of %s cannot be read (%v): every probe is sent", iface, err)
		return nil
	}
	sleep, stop := newSleeper()
	log.Infof("adaptive probing: a probe is skipped when %s receives traffic after it is due (MONITOR_ADAPTIVE=yes)", iface)
	return &adaptive{read: c.read, sleep: sleep, close: func() { stop(); c.close() }}
}

// newSleeper is the wait of a skip: a one-shot timerfd, armed only while
// a busy link is listened to (see newTicker for why not a runtime timer).
// Where there is no timerfd there is no wait: no bytes can come after the
// tick, so every probe goes out, as without MONITOR_ADAPTIVE.
func newSleeper() (sleep func(context.Context, time.Time) bool, stop func()) {
	tfd, err := probe.NewTimerfd()
	if err != nil {
		return func(ctx context.Context, _ time.Time) bool { return ctx.Err() == nil }, func() {}
	}
	return func(ctx context.Context, until time.Time) bool {
		d := time.Until(until)
		if d <= 0 {
			return ctx.Err() == nil
		}
		if tfd.Set(d, 0) != nil {
			// Not armed: no wait, so no bytes after the tick, and the
			// probe goes out.
			return ctx.Err() == nil
		}
		stop := context.AfterFunc(ctx, tfd.Interrupt)
		defer stop()
		return tfd.Wait() == nil && ctx.Err() == nil
	}, func() { tfd.Close() }
}
