package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSetLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"START=yes\n# PPP config\nAPN=x\n", "START=yes\n# PPP config\nAPN=x\nCONNECT_OK=1\n"},
		{"START=yes\nAPN=x", "START=yes\nAPN=x\nCONNECT_OK=1\n"},
		{"", "CONNECT_OK=1\n"},
		{"A=1\nCONNECT_OK=0\nB=2\n", "A=1\nCONNECT_OK=1\nB=2\n"},
		{"  export CONNECT_OK=0 # set by ppp_wrapper\n", "  export CONNECT_OK=1 # set by ppp_wrapper\n"},
		{"CONNECT_OK=0\n#CONNECT_OK=0\nCONNECT_OK=\n", "CONNECT_OK=0\n#CONNECT_OK=0\nCONNECT_OK=1\n"},
		{"MY_CONNECT_OK=0\n", "MY_CONNECT_OK=0\nCONNECT_OK=1\n"},
		// A line inside a multi-line value is not a line of its own.
		{"PASSWORD='x\nCONNECT_OK=0'\n", "PASSWORD='x\nCONNECT_OK=0'\nCONNECT_OK=1\n"},
		{"A=\"\nCONNECT_OK=0\n\"\nCONNECT_OK=0 # c\nB=2\n", "A=\"\nCONNECT_OK=0\n\"\nCONNECT_OK=1 # c\nB=2\n"},
		{"CONNECT_OK='0\n'\n", "CONNECT_OK=1\n"},
		// A last line continued by a backslash would swallow the new line.
		{"A=1\\\n", "A=1\\\n\nCONNECT_OK=1\n"},
		{"# the end \\\n", "# the end \\\nCONNECT_OK=1\n"},
	} {
		got, err := setLine("f", []byte(tc.in), "CONNECT_OK", "1")
		if err != nil || string(got) != tc.want {
			t.Errorf("setLine(%q) = %q, %v, want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestSetLineRefusesWhatBashWouldNotRead(t *testing.T) {
	for _, in := range []string{"A=$(date)\n", "A='open\n", "CONNECT_OK=0 x\n", "A=1\r\nCONNECT_OK=0\r\n", "A=1\\"} {
		if got, err := setLine("f", []byte(in), "CONNECT_OK", "1"); err == nil {
			t.Errorf("setLine(%q) = %q, nil, want an error: the file is not one bash reads as plain assignments", in, got)
		}
	}
}

func TestSetKeyKeepsModeAndIsIdempotent(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ppp")
	orig := "# keep me\nSTART=yes # trailing\n\nAPN=dream.jp\nAUTH=NOAUTH\n"
	if err := os.WriteFile(p, []byte(orig), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := SetKey(p, "CONNECT_OK", "1"); err != nil {
		t.Fatalf("SetKey = %v", err)
	}
	got, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(got) != orig+"CONNECT_OK=1\n" || fi.Mode().Perm() != 0o640 {
		t.Errorf("after SetKey: %q mode %v, want %q mode 0640", got, fi.Mode().Perm(), orig+"CONNECT_OK=1\n")
	}
	before, _ := os.Stat(p)
	if err := SetKey(p, "CONNECT_OK", "1"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(p)
	if !os.SameFile(before, after) {
		t.Errorf("SetKey with the value already set replaced the file")
	}
	if c, _, err := Load(p); err != nil || !c.ConnectOK {
		t.Errorf("Load after SetKey = %v, ConnectOK false; want ConnectOK true", err)
	}
}

func TestSetKeyRefusesInjection(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ppp")
	os.WriteFile(p, []byte("A=1\n"), 0o644)
	for _, v := range []string{"1\nSTART=yes", "$(reboot)", "1 # x", `"`} {
		if err := SetKey(p, "CONNECT_OK", v); err == nil {
			t.Errorf("SetKey(CONNECT_OK, %q) = nil, want an error", v)
		}
	}
	if err := SetKey(p, "BAD KEY", "1"); err == nil {
		t.Errorf("SetKey(\"BAD KEY\") = nil, want an error")
	}
}
