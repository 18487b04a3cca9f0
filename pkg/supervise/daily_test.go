package supervise

import (
	"testing"
	"time"
)

func berlin(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skipf("skipping: no time zone data for Europe/Berlin: %v", err)
	}
	return loc
}

// RESET_AT over 30 days of March with the spring-forward change (Berlin:
// 2026-03-29, 02:00 → 03:00), and of October with the fall-back change
// (2026-10-25, 03:00 → 02:00): once a day, at the local time, also on the
// day the time does not exist or exists twice.
func TestNextDailyOverAMonthWithDST(t *testing.T) {
	loc := berlin(t)
	for _, tc := range []struct {
		start   time.Time
		tod     TimeOfDay
		special int // day of month of the DST change
		want    string
	}{
		{time.Date(2026, 3, 10, 12, 0, 0, 0, loc), TimeOfDay{2, 30}, 29, "03:00"},
		{time.Date(2026, 3, 10, 12, 0, 0, 0, loc), TimeOfDay{3, 0}, 29, "03:00"},
		{time.Date(2026, 10, 10, 12, 0, 0, 0, loc), TimeOfDay{2, 30}, 25, "02:30"},
		{time.Date(2026, 10, 10, 12, 0, 0, 0, loc), TimeOfDay{3, 0}, 25, "03:00"},
	} {
		now, last := tc.start, time.Time{}
		for day := 0; day < 30; day++ {
			next := NextDaily(now, tc.tod, loc, last)
			l := next.In(loc)
			want := TimeOfDay{tc.tod.Hour, tc.tod.Minute}
			got := l.Format("15:04")
			if l.Day() == tc.special {
				if got != tc.want {
					t.Errorf("NextDaily on the DST day %v for %02d:%02d = %s, want %s", l.Format("2006-01-02"), want.Hour, want.Minute, got, tc.want)
				}
			} else if got != time.Date(0, 1, 1, want.Hour, want.Minute, 0, 0, time.UTC).Format("15:04") {
				t.Errorf("NextDaily = %v, want %02d:%02d local", l, want.Hour, want.Minute)
			}
			if gap := next.Sub(now); gap <= 0 || gap > 26*time.Hour {
				t.Errorf("NextDaily(%v) = %v: %v later, want within a day", now, next, gap)
			}
			// It fires; the supervisor notes the day and asks again a moment later.
			last = Day(next, loc)
			now = next.Add(time.Second)
		}
	}
}

// The second 02:30 of the fall-back day must not fire again.
func TestNextDailyFiresOnceOnARepeatedHour(t *testing.T) {
	loc := berlin(t)
	first := NextDaily(time.Date(2026, 10, 25, 1, 0, 0, 0, loc), TimeOfDay{2, 30}, loc, time.Time{})
	next := NextDaily(first.Add(time.Minute), TimeOfDay{2, 30}, loc, Day(first, loc))
	if next.In(loc).Day() != 26 {
		t.Errorf("after firing at %v, NextDaily = %v, want the next day", first, next)
	}
}
