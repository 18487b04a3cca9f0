package runstate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestClaimReplacesStaleAndRefusesLive(t *testing.T) {
	root := t.TempDir()
	p := Pidfile(root, "ppp_monitor.ppp0")
	// A pid that is certainly not ours and not alive: a finished child.
	c := exec.Command("true")
	if err := c.Run(); err != nil {
		t.Skipf("skipping: cannot run true to get a dead pid: %v", err)
	}
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte(strconv.Itoa(c.Process.Pid)+"\n"), 0o644)
	release, err := Claim(p, "whatever")
	if err != nil {
		t.Fatalf("Claim(stale pidfile) = %v, want it replaced", err)
	}
	if pid, _ := ReadLive(p, filepath.Base(os.Args[0])); pid != os.Getpid() {
		t.Errorf("pidfile holds %d after Claim, want %d", pid, os.Getpid())
	}

	// A live process of the expected program: refused.
	sleep := exec.Command("sleep", "5")
	if err := sleep.Start(); err != nil {
		t.Skipf("skipping: cannot start sleep: %v", err)
	}
	defer sleep.Process.Kill()
	os.WriteFile(p, []byte(strconv.Itoa(sleep.Process.Pid)+"\n"), 0o644)
	_, err = Claim(p, "sleep")
	var running *ErrRunning
	if !errors.As(err, &running) || running.PID != sleep.Process.Pid {
		t.Errorf("Claim(live sleep) = %v, want ErrRunning with its pid", err)
	}
	// The same pid under another program name is a stale file.
	if _, err := Claim(p, "ppp_monitor"); err != nil {
		t.Errorf("Claim(pid of another program) = %v, want the file replaced", err)
	}
	release()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("release left the pidfile: %v", err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	root := t.TempDir()
	code := 19
	want := State{PID: 42, Phase: "backoff", Since: time.Unix(1000, 0).UTC(), Peer: "ppp0", Failures: 2, LastExit: &code,
		LastExitMeaning: "we failed to authenticate to the peer"}
	if err := WriteState(root, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadState(root)
	if err != nil || got.Phase != "backoff" || *got.LastExit != 19 || !got.Since.Equal(want.Since) || got.Failures != 2 {
		t.Errorf("ReadState = %+v, %v, want %+v", got, err, want)
	}
}
