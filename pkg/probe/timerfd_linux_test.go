package probe

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// TestReadTimer: the timerfd deadline ends a blocked read at the deadline,
// not before; a deadline moved later or cleared does not end it early.
func TestReadTimer(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Skipf("skipping: no UDP socket on 127.0.0.1: %v", err)
	}
	defer pc.Close()
	rt, err := newReadTimer(pc.SetReadDeadline)
	if err != nil {
		t.Skipf("skipping: no timerfd: %v", err)
	}
	defer rt.Close()
	buf := make([]byte, 16)

	start := time.Now()
	rt.SetReadDeadline(start.Add(20 * time.Millisecond))
	rt.SetReadDeadline(start.Add(60 * time.Millisecond)) // moved later
	_, _, err = pc.ReadFrom(buf)
	if took := time.Since(start); !errors.Is(err, os.ErrDeadlineExceeded) || took < 60*time.Millisecond {
		t.Errorf("read with a deadline 60 ms away = %v after %v, want os.ErrDeadlineExceeded after 60 ms or more", err, took)
	}

	// Cleared: a datagram sent 50 ms later is read, no deadline error.
	rt.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	rt.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(50 * time.Millisecond)
		c, err := net.Dial("udp4", pc.LocalAddr().String())
		if err == nil {
			c.Write([]byte("x"))
			c.Close()
		}
	}()
	if n, _, err := pc.ReadFrom(buf); err != nil || n != 1 {
		t.Errorf("read after the deadline was cleared = %d, %v; want the datagram", n, err)
	}

	// A deadline in the past ends the read at once.
	rt.SetReadDeadline(time.Unix(1, 0))
	if _, _, err := pc.ReadFrom(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("read with a past deadline = %v, want os.ErrDeadlineExceeded", err)
	}
}

// TestTimerfdWait: Wait returns at each expiry, Interrupt ends a Wait
// with os.ErrDeadlineExceeded (a watch's context ending), Close ends one
// with os.ErrClosed (a read deadline's timer going with its socket).
func TestTimerfdWait(t *testing.T) {
	tfd, err := NewTimerfd()
	if err != nil {
		t.Skipf("skipping: no timerfd: %v", err)
	}
	if err := tfd.Set(time.Millisecond, time.Millisecond); err != nil {
		t.Fatalf("Set(1ms, 1ms) = %v", err)
	}
	for i := range 3 {
		if err := tfd.Wait(); err != nil {
			t.Fatalf("Wait() #%d on a 1 ms period = %v, want nil", i+1, err)
		}
	}
	if err := tfd.Set(0, 0); err != nil {
		t.Fatalf("Set(0, 0) = %v", err)
	}

	done := make(chan error)
	go func() { done <- tfd.Wait() }()
	tfd.Interrupt()
	if err := <-done; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Wait() on a disarmed timer, interrupted = %v, want os.ErrDeadlineExceeded", err)
	}

	tfd2, err := NewTimerfd()
	if err != nil {
		t.Fatal(err)
	}
	go func() { done <- tfd2.Wait() }()
	time.Sleep(10 * time.Millisecond) // let it block; it ends the same way if not yet
	tfd2.Close()
	if err := <-done; !errors.Is(err, os.ErrClosed) {
		t.Errorf("Wait() on a disarmed timer, closed = %v, want os.ErrClosed", err)
	}
	tfd.Close()
}
