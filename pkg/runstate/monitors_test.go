package runstate

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// What the monitor of an interface claims, the wrapper finds again, by
// interface, with nothing else of the run directory taken for a monitor.
func TestMonitorsFindsMonitorPidfiles(t *testing.T) {
	root := t.TempDir()
	ifaces := []string{"ppp0", "ppp1", "wwan0.5"}
	var want []MonitorEntry
	for _, iface := range ifaces {
		p := MonitorPidfile(root, iface)
		want = append(want, MonitorEntry{Iface: iface, Path: p})
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, other := range []string{WrapperPidfile(root), StateFile(root), filepath.Join(root, Dir, "ppp_monitor.ppp0.pid.tmp")} {
		if err := os.WriteFile(other, []byte("1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := Monitors(root); !reflect.DeepEqual(got, want) {
		t.Errorf("Monitors(%s) = %v, want %v", root, got, want)
	}
	if got := Monitors(t.TempDir()); len(got) != 0 {
		t.Errorf("Monitors(empty root) = %v, want none", got)
	}
}

// The names are the ones the tools have always used: a monitor started by
// an older build is still found and stopped.
func TestPidfileNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{MonitorPidfile("/r", "ppp0"), "/r/run/pppkeep/ppp_monitor.ppp0.pid"},
		{WrapperPidfile("/r"), "/r/run/pppkeep/ppp_wrapper.pid"},
	} {
		if c.got != c.want {
			t.Errorf("pidfile = %s, want %s", c.got, c.want)
		}
	}
}
