package pppwrapper

import (
	"context"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// devicePoll is how often the module's tty is looked for while it is
// away (re-enumerating after a reset, or unplugged).
const devicePoll = 500 * time.Millisecond

// ready looks the module up now (modem.Locate, which decides whether a
// name is fixed or must be looked up again after a reset or a replug) and
// reports whether its tty is there.
func ready(root, device string) (deviceResult, bool) {
	l, err := modem.Locate(root, device)
	if err != nil || !l.Present {
		return deviceResult{}, false
	}
	return deviceResult{tty: l.Path(), fixed: l.Kind == modem.Fixed}, true
}

// deviceResult is what waitDevice found: the module's tty path and
// whether the configuration fixes it (already in the peer file), or a
// timeout.
type deviceResult struct {
	tty     string
	fixed   bool
	timeout bool
}

// waitDevice looks for the tty until it is there (EvDeviceReady) or the
// deadline passes (EvDeviceTimeout). Waiting does not count as a failed
// attempt.
func (w *wrapper) waitDevice(deadline time.Time) {
	if r, ok := ready(w.root, w.cfg.Device); ok {
		w.deviceFound <- r
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
				if r, ok := ready(w.root, w.cfg.Device); ok {
					w.deviceFound <- r
					return
				}
			}
		}
	}()
}
