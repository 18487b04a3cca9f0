package pppwrapper

import (
	"context"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// devicePoll is how often the module's tty is looked for while it is
// away (re-enumerating after a reset, or unplugged).
const devicePoll = 500 * time.Millisecond

// currentTTY finds the module's tty now (modem.Locate): DEVICE=AUTO and
// models without a vendor name are looked up in sysfs each time, since the
// kernel may give the module another name after a reset or a replug. fixed
// reports a name the configuration fixes (already in the peer file).
func currentTTY(root, device string) (tty string, fixed bool, ok bool) {
	p, err := modem.Locate(root, device)
	if err != nil || !p.Present {
		return "", p.Fixed, false
	}
	return "/dev/" + p.TTY, p.Fixed, true
}

// deviceResult is what waitDevice found.
type deviceResult struct {
	tty     string
	fixed   bool
	timeout bool
}

// waitDevice looks for the tty until it is there (EvDeviceReady) or the
// deadline passes (EvDeviceTimeout). Waiting does not count as a failed
// attempt.
func (w *wrapper) waitDevice(deadline time.Time) {
	if tty, fixed, ok := currentTTY(w.root, w.cfg.Device); ok {
		w.deviceFound <- deviceResult{tty: tty, fixed: fixed}
		return
	}
	w.log.Infof("waiting for the module's tty (DEVICE=%s); it may be re-enumerating", w.cfg.Device)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	w.deviceCancel = cancel
	go func() {
		defer cancel()
		t := time.NewTicker(devicePoll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				if ctx.Err() == context.DeadlineExceeded {
					w.deviceFound <- deviceResult{timeout: true}
				}
				return
			case <-t.C:
				if tty, fixed, ok := currentTTY(w.root, w.cfg.Device); ok {
					w.deviceFound <- deviceResult{tty: tty, fixed: fixed}
					return
				}
			}
		}
	}()
}
