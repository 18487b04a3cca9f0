package runstate

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Many claims at once: exactly one wins, every other one names it.
func TestClaimAtOnceHasOneWinner(t *testing.T) {
	p := Pidfile(t.TempDir(), "ppp_wrapper")
	comm := filepath.Base(os.Args[0])
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	releases := make([]func(), n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			releases[i], errs[i] = Claim(p, comm)
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for i, err := range errs {
		var running *ErrRunning
		switch {
		case err == nil:
			won++
			defer releases[i]()
		case errors.As(err, &running):
			if running.PID != os.Getpid() {
				t.Errorf("Claim lost to pid %d, want the holder %d named", running.PID, os.Getpid())
			}
		default:
			t.Errorf("Claim(%s) = %v, want a claim or ErrRunning", p, err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d simultaneous claims won, want exactly 1", won, n)
	}
}

// The claim lasts as long as the holder: a holder killed with SIGKILL
// leaves a pidfile that the next Claim takes over.
func TestClaimOfKilledHolderIsTakenOver(t *testing.T) {
	p := Pidfile(t.TempDir(), "ppp_wrapper")
	os.MkdirAll(filepath.Dir(p), 0o755)
	// flock(1) holds the lock like a wrapper would, then is killed.
	holder := exec.Command("flock", "--exclusive", "--close", p, "sh", "-c", "echo $PPID > "+p+"; exec sleep 60")
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("skipping: flock(1) is not installed")
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	waitForContent(t, p)
	if _, err := Claim(p, "flock"); err == nil {
		t.Fatalf("Claim(%s) while flock holds it = nil error, want ErrRunning", p)
	} else if running := (*ErrRunning)(nil); !errors.As(err, &running) || running.PID != holder.Process.Pid {
		t.Errorf("Claim(%s) while flock holds it = %v, want ErrRunning naming pid %d", p, err, holder.Process.Pid)
	}
	holder.Process.Kill()
	holder.Wait()
	release, err := Claim(p, "flock")
	if err != nil {
		t.Fatalf("Claim(%s) after the holder was killed = %v, want it taken over", p, err)
	}
	defer release()
	b, _ := os.ReadFile(p)
	if got, want := string(b), strconv.Itoa(os.Getpid())+"\n"; got != want {
		t.Errorf("pidfile holds %q after Claim, want %q", got, want)
	}
}

func waitForContent(t *testing.T, p string) {
	t.Helper()
	for range 500 {
		if b, _ := os.ReadFile(p); strings.TrimSpace(string(b)) != "" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s stayed empty", p)
}
