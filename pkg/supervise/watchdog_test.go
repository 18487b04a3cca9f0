package supervise

import (
	"sync"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// loopEffects does nothing, except that writing CONNECT_OK wedges the loop
// for wedge (a driver stuck in a system call).
type loopEffects struct {
	mu        sync.Mutex
	wedge     time.Duration
	watchdogs []time.Time
	pppd      *loopProcess
}

type loopProcess struct{ exited func(int) }

func (p *loopProcess) Pid() int                { return 4242 }
func (p *loopProcess) Running() bool           { return true }
func (p *loopProcess) Terminate()              { go p.exited(5) }
func (p *loopProcess) Kill()                   {}
func (p *loopProcess) Stop(time.Duration) bool { return false }
func (p *loopProcess) Wait(time.Duration) bool { return true }

func (e *loopEffects) StartPPPD(_ string, exited func(int)) (Process, error) {
	e.pppd = &loopProcess{exited: exited}
	return e.pppd, nil
}
func (e *loopEffects) StartReset(string, func(int, string)) (Process, error) {
	return nil, errorText("no")
}
func (e *loopEffects) LookUpTTY() (string, bool, bool) { return "", false, false }
func (e *loopEffects) Check(string, func(Check))       {}
func (e *loopEffects) Regenerate()                     {}
func (e *loopEffects) WriteConnectOK(string)           { time.Sleep(e.wedge) }
func (e *loopEffects) ClearConnectOK()                 {}
func (e *loopEffects) ArmDaily(time.Time)              {}
func (e *loopEffects) SaveState(runstate.State)        {}
func (e *loopEffects) Log(Level, string)               {}
func (e *loopEffects) StopMonitors()                   {}
func (e *loopEffects) Ready()                          {}
func (e *loopEffects) Watchdog() {
	e.mu.Lock()
	e.watchdogs = append(e.watchdogs, time.Now())
	e.mu.Unlock()
}

// WATCHDOG=1 comes from the loop's own turns: while the loop is wedged
// (600 ms in an effect) none is sent, so systemd would see the silence and
// restart the service; a timer goroutine of its own would have gone on.
func TestWatchdogStopsWhenTheLoopWedges(t *testing.T) {
	fx := &loopEffects{wedge: 600 * time.Millisecond}
	d := NewDriver(base(), fx, SystemClock{})
	d.Watchdog(50 * time.Millisecond)
	done := make(chan int)
	go func() { done <- d.Run() }()
	time.Sleep(300 * time.Millisecond)
	d.Post(Event{Kind: EvLinkUp}) // CONNECT_OK=1: the wedge
	time.Sleep(1200 * time.Millisecond)
	d.Post(Event{Kind: EvStop})
	if code := <-done; code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	fx.mu.Lock()
	defer fx.mu.Unlock()
	var longest time.Duration
	for i := 1; i < len(fx.watchdogs); i++ {
		longest = max(longest, fx.watchdogs[i].Sub(fx.watchdogs[i-1]))
	}
	t.Logf("%d watchdog calls in 1.5 s, the longest gap %v", len(fx.watchdogs), longest)
	if longest < 550*time.Millisecond || len(fx.watchdogs) < 5 {
		t.Errorf("%d watchdog calls, longest gap %v; want calls every 50 ms but none during the 600 ms wedge", len(fx.watchdogs), longest)
	}
}
