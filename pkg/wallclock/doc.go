// Package wallclock is an alarm at a wall-clock instant that also says
// when the system clock is set.
//
// A Go timer runs on the monotonic clock: armed at boot for "04:00", it
// misses 04:00 once NTP steps a router's wrong clock, and checking the wall
// clock every second instead wakes the process all day. An Alarm is a
// Linux timerfd on CLOCK_REALTIME armed with TFD_TIMER_ABSTIME and
// TFD_TIMER_CANCEL_ON_SET: the kernel wakes it at the wall-clock instant,
// and also whenever the clock is set (a step, forward or back, not NTP's
// gradual slewing), so that the caller can count again from the new time.
// One goroutine waits in the kernel for either; nothing polls.
//
//	a, err := wallclock.New()
//	…
//	defer a.Close()
//	a.Set(next)
//	for f := range a.C() {
//		if f.ClockSet {
//			next = nextFrom(f.At) // count again from the new clock
//			a.Set(next)
//			continue
//		}
//		… // the instant came
//	}
//
// Without a Set the alarm only reports clock sets; with no use for an
// alarm, create none: an idle Alarm costs no wake-ups, but nothing is
// cheaper than nothing.
package wallclock
