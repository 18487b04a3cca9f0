package wallclock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// New returns an Alarm on a timerfd, disarmed; Set arms it.
func New() (*Alarm, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_REALTIME, unix.TFD_CLOEXEC|unix.TFD_NONBLOCK)
	if err != nil {
		return nil, fmt.Errorf("wallclock: timerfd_create: %w", err)
	}
	// Non-blocking, so that the read waits in Go's poller and Close ends it.
	t := &timerfd{f: os.NewFile(uintptr(fd), "timerfd")}
	if err := t.arm(time.Time{}); err != nil {
		t.close()
		return nil, err
	}
	return newAlarm(t), nil
}

type timerfd struct{ f *os.File }

func (t *timerfd) wait() (bool, error) {
	var buf [8]byte // the number of expirations
	for {
		_, err := t.f.Read(buf[:])
		switch {
		case err == nil:
			return false, nil
		case errors.Is(err, syscall.ECANCELED):
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, err
		}
	}
}

func (t *timerfd) arm(at time.Time) error {
	var spec unix.ItimerSpec // zero: disarmed
	if !at.IsZero() {
		spec.Value = unix.NsecToTimespec(at.UnixNano())
		if spec.Value.Sec == 0 && spec.Value.Nsec == 0 {
			spec.Value.Nsec = 1 // the epoch itself would disarm it
		}
	}
	c, err := t.f.SyscallConn()
	if err != nil {
		return fmt.Errorf("wallclock: %w", err)
	}
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = unix.TimerfdSettime(int(fd), unix.TFD_TIMER_ABSTIME|unix.TFD_TIMER_CANCEL_ON_SET, &spec, nil)
	}); err != nil {
		return fmt.Errorf("wallclock: %w", err)
	}
	if serr != nil {
		return fmt.Errorf("wallclock: timerfd_settime: %w", serr)
	}
	return nil
}

func (t *timerfd) close() error { return t.f.Close() }
