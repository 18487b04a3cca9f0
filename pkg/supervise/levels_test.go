package supervise

import (
	"testing"
	"time"
)

// The level of a line is what the operator sees ("error:" or "warning:"
// before it, its syslog priority): settings that must be fixed are errors,
// failures that count toward RETRY are warnings, an idle hang-up and a
// link coming up are news.
func TestLogLevels(t *testing.T) {
	for _, tc := range []struct {
		name string
		code int
		want Level
	}{
		{"authentication failure", 19, LevelError},
		{"pppd option error", 2, LevelError},
		{"chat failure", 8, LevelWarning},
		{"idle timeout", 12, LevelInfo},
	} {
		m := New(base())
		m.Handle(Event{Kind: EvStart, At: t0})
		acts := m.Handle(Event{Kind: EvSessionExited, At: t0.Add(time.Minute), Code: tc.code})
		if got, ok := firstLog(acts); !ok || got.Level != tc.want {
			t.Errorf("Handle(pppd exit %d, %s) logs %v, want one at level %v", tc.code, tc.name, acts, tc.want)
		}
	}
	m := New(base())
	m.Handle(Event{Kind: EvStart, At: t0})
	acts := m.Handle(Event{Kind: EvLinkUp, At: t0.Add(time.Second)})
	if got, ok := firstLog(acts); !ok || got.Level != LevelInfo {
		t.Errorf("Handle(link up) logs %v, want one at level %v", acts, LevelInfo)
	}
}

// Each level has the name the logs use for it.
func TestLevelNames(t *testing.T) {
	for l, want := range map[Level]string{LevelInfo: "info", LevelWarning: "warning", LevelError: "error"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", int(l), got, want)
		}
	}
}

func firstLog(acts []Action) (Action, bool) {
	for _, a := range acts {
		if a.Kind == ActLog {
			return a, true
		}
	}
	return Action{}, false
}
