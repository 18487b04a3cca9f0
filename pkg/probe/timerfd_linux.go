package probe

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Timerfd is a kernel timer (timerfd) that the Go netpoller watches, for
// waits that should cost no wake-up but their own. The Go runtime's
// monitor thread (sysmon) wakes at every runtime timer's expiry — a read
// deadline, a time.Ticker, armed or already stopped — and then polls
// every 20 µs while any thread runs: on a probe every few seconds that was
// most of the process's wake-ups. A timerfd wakes only the thread that
// waits for it, and its reads and settings are raw system calls (see
// rawsyscall_linux.go), which do not wake the monitor either.
type Timerfd struct {
	f      *os.File
	rc     syscall.RawConn
	closed atomic.Bool

	// Wait's callback and what it works on: made once, so that a tick
	// allocates nothing.
	buf     [8]byte // the number of expiries
	readErr error
	read    func(fd uintptr) bool
}

// NewTimerfd returns a disarmed timer.
func NewTimerfd() (*Timerfd, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("timerfd_create", err)
	}
	t := &Timerfd{f: os.NewFile(uintptr(fd), "timerfd")}
	if t.rc, err = t.f.SyscallConn(); err != nil {
		t.f.Close()
		return nil, err
	}
	t.read = func(fd uintptr) bool {
		for {
			if _, t.readErr = rawRead(int(fd), t.buf[:]); t.readErr != unix.EINTR {
				return t.readErr != unix.EAGAIN
			}
		}
	}
	return t, nil
}

// Set arms the timer to expire after d, and then every period (0: once);
// d ≤ 0 disarms it.
func (t *Timerfd) Set(d, period time.Duration) error {
	var spec unix.ItimerSpec
	if d > 0 {
		spec.Value = unix.NsecToTimespec(d.Nanoseconds())
		spec.Interval = unix.NsecToTimespec(period.Nanoseconds())
	}
	var err error
	if cerr := t.rc.Control(func(fd uintptr) { err = rawTimerfdSettime(int(fd), &spec) }); cerr != nil {
		return cerr
	}
	return os.NewSyscallError("timerfd_settime", err)
}

// Wait blocks until the timer expires, or until Interrupt or Close. One
// goroutine at a time may wait.
func (t *Timerfd) Wait() error {
	if err := t.rc.Read(t.read); err != nil {
		if t.closed.Load() {
			return os.ErrClosed
		}
		return err
	}
	return os.NewSyscallError("read timerfd", t.readErr)
}

// Interrupt ends the Wait in progress, and every later one, with
// os.ErrDeadlineExceeded.
func (t *Timerfd) Interrupt() { t.f.SetReadDeadline(aLongTimeAgo) }

// Close releases the timer; a Wait in progress ends with os.ErrClosed.
func (t *Timerfd) Close() error {
	t.closed.Store(true)
	return t.f.Close()
}

// readTimer enforces a socket's read deadline with a Timerfd: at the
// deadline it sets a deadline in the past, which wakes the blocked read at
// once and needs no runtime timer.
type readTimer struct {
	tfd  *Timerfd
	set  func(time.Time) error // the socket's own SetReadDeadline
	mu   sync.Mutex
	at   time.Time // the deadline armed; zero when none
	done chan struct{}
}

func newReadTimer(set func(time.Time) error) (*readTimer, error) {
	tfd, err := NewTimerfd()
	if err != nil {
		return nil, err
	}
	rt := &readTimer{tfd: tfd, set: set, done: make(chan struct{})}
	go rt.run()
	return rt, nil
}

// SetReadDeadline sets the deadline of the next reads.
func (rt *readTimer) SetReadDeadline(t time.Time) error {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.at = t
	d := time.Until(t)
	if t.IsZero() || d <= 0 {
		// No deadline, or one past: the socket's own costs no timer.
		if err := rt.tfd.Set(0, 0); err != nil {
			return err
		}
		return rt.set(t)
	}
	if err := rt.set(time.Time{}); err != nil {
		return err
	}
	return rt.tfd.Set(d, 0)
}

func (rt *readTimer) run() {
	defer close(rt.done)
	for {
		if err := rt.tfd.Wait(); err != nil {
			if errors.Is(err, os.ErrClosed) {
				return
			}
			continue
		}
		rt.mu.Lock()
		// Still the deadline that expired (not moved or cleared since).
		if !rt.at.IsZero() && !time.Now().Before(rt.at) {
			rt.set(aLongTimeAgo)
		}
		rt.mu.Unlock()
	}
}

func (rt *readTimer) Close() error {
	err := rt.tfd.Close()
	<-rt.done
	return err
}
