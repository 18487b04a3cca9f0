package pppwrapper

import (
	"os"
	"os/signal"
	"syscall"

	"github.com/pppkeep/pppkeep/pkg/supervise"
	"github.com/pppkeep/pppkeep/pkg/wallclock"
)

// listen turns signals, and the RESET_AT alarm's firings, into the
// driver's events until the returned stop is called.
func (s *system) listen(post func(supervise.Event)) (stop func()) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	quit := make(chan struct{})
	var alarm <-chan wallclock.Fired
	if s.alarm != nil {
		alarm = s.alarm.C()
	}
	go func() {
		for {
			select {
			case <-quit:
				return
			case sig := <-sigs:
				post(supervise.Event{Kind: signalEvent(sig)})
			case f, ok := <-alarm:
				if !ok {
					s.log.Errorf("RESET_AT is off: the wall-clock alarm stopped")
					alarm = nil
					continue
				}
				if f.ClockSet {
					post(supervise.Event{Kind: supervise.EvClockSet})
				} else {
					post(supervise.Event{Kind: supervise.EvDaily})
				}
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(quit)
	}
}

// signalEvent is what a signal means: SIGUSR2 and SIGUSR1 come from
// ppp_monitor (link up, link dead), SIGTERM and SIGINT stop the wrapper.
func signalEvent(sig os.Signal) supervise.EventKind {
	switch sig {
	case syscall.SIGUSR2:
		return supervise.EvLinkUp
	case syscall.SIGUSR1:
		return supervise.EvLinkDead
	case syscall.SIGHUP:
		return supervise.EvHangup
	}
	return supervise.EvStop
}
