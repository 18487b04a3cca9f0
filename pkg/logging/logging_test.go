package logging

import (
	"bytes"
	"testing"
)

func TestWarningsAlwaysReachStderr(t *testing.T) {
	var buf bytes.Buffer
	l := New("gen_pppconfig", &buf, false)
	defer l.Close()
	l.Infof("quiet")
	l.Warnf("unknown key X")
	l.Errorf("bad\nworse")
	want := "gen_pppconfig: warning: unknown key X\ngen_pppconfig: error: bad\ngen_pppconfig: error: worse\n"
	if buf.String() != want {
		t.Errorf("stderr = %q, want %q", buf.String(), want)
	}
}

func TestForegroundShowsEverything(t *testing.T) {
	var buf bytes.Buffer
	l := New("ppp_monitor", &buf, true)
	defer l.Close()
	l.Infof("ping to %s succeeded.", "www.centurysys.jp")
	if want := "ppp_monitor: ping to www.centurysys.jp succeeded.\n"; buf.String() != want {
		t.Errorf("stderr = %q, want %q", buf.String(), want)
	}
}
