package supervise

import "time"

// TimeOfDay is a local wall-clock time.
type TimeOfDay struct{ Hour, Minute int }

// NextDaily returns the first time after now at which the local
// wall-clock time is tod, skipping the day named by last (the day it last
// fired, as a midnight in loc; zero for none) so that it fires once a day.
// On the day a DST change skips tod, it fires when the clock jumps over
// it; on the day tod happens twice, at the first.
func NextDaily(now time.Time, tod TimeOfDay, loc *time.Location, last time.Time) time.Time {
	now = now.In(loc)
	for d := 0; d < 3; d++ {
		y, m, dd := now.AddDate(0, 0, d).Date()
		day := time.Date(y, m, dd, 0, 0, 0, 0, loc)
		if !last.IsZero() && sameDay(day, last.In(loc)) {
			continue
		}
		t := wallClock(y, m, dd, tod, loc)
		if t.After(now) {
			return t
		}
	}
	// Unreachable: one of three days has tod after now.
	return now.Add(24 * time.Hour)
}

// wallClock is the first instant of day y-m-d whose local time is tod, or,
// when a DST gap skips tod, the instant the clock jumps over it.
func wallClock(y int, m time.Month, d int, tod TimeOfDay, loc *time.Location) time.Time {
	want := tod.Hour*60 + tod.Minute
	clock := func(t time.Time) int {
		l := t.In(loc)
		if l.Day() != d {
			if l.Before(time.Date(y, m, d, 0, 0, 0, 0, loc)) {
				return -1
			}
			return 24 * 60
		}
		return l.Hour()*60 + l.Minute()
	}
	t := time.Date(y, m, d, tod.Hour, tod.Minute, 0, 0, loc)
	if clock(t) != want {
		// time.Date's choice for a skipped time is not specified: walk to
		// the first minute whose local time is past tod.
		u := t.Add(-3 * time.Hour).Truncate(time.Minute)
		for clock(u) < want {
			u = u.Add(time.Minute)
		}
		return u
	}
	// A time that happens twice: the first.
	if earlier := t.Add(-time.Hour); clock(earlier) == want {
		return earlier
	}
	return t
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// Day is the midnight of t's local day, for NextDaily's last.
func Day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
