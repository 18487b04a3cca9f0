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

func TestClaimReplacesStaleAndRefusesHeld(t *testing.T) {
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

	// Held: refused, naming the holder.
	_, err = Claim(p, filepath.Base(os.Args[0]))
	var running *ErrRunning
	if !errors.As(err, &running) || running.PID != os.Getpid() {
		t.Errorf("Claim(held pidfile) = %v, want ErrRunning with pid %d", err, os.Getpid())
	}
	release()
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Errorf("release left the pidfile: %v", err)
	}
	release, err = Claim(p, "whatever")
	if err != nil {
		t.Errorf("Claim after release = %v, want a claim", err)
	} else {
		release()
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
