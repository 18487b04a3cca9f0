package pppwrapper

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
)

// devicePoll is how often the module's tty is looked for while it is
// away (re-enumerating after a reset, or unplugged).
const devicePoll = 500 * time.Millisecond

// currentTTY finds the module's tty now: DEVICE=AUTO and models without a
// vendor name are looked up in sysfs each time, since the kernel may give
// the module another name after a reset or a replug. fixed reports a name
// the configuration fixes (already in the peer file).
func currentTTY(root, device string) (tty string, fixed bool, ok bool) {
	name := ""
	switch m, isModel := modem.ByName(device); {
	case strings.EqualFold(device, config.DeviceAuto):
	case isModel && m.Alias != "":
		name, fixed = m.Alias, true
	case isModel:
	default:
		name, fixed = strings.TrimPrefix(device, "/dev/"), true
	}
	if name == "" {
		f, err := modem.Detect(root)
		if err != nil || f.TTY == "" {
			return "", false, false
		}
		if m, isModel := modem.ByName(device); isModel && f.Model.Name != m.Name {
			return "", false, false
		}
		name = f.TTY
	}
	if _, err := os.Stat(filepath.Join(root, "dev", name)); err != nil {
		return "", fixed, false
	}
	return "/dev/" + name, fixed, true
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
