package modemreset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
)

// target is the module to reset and how to find it again.
type target struct {
	root  string
	model modem.Model
	// fixedTTY is the /dev name when DEVICE names a tty or a model with a
	// vendor alias; empty when the tty must be looked up in sysfs each time.
	fixedTTY string
	// usbDevice is the sysfs device dir relative to root ("" when not on USB
	// or not found).
	usbDevice string
}

// findTarget resolves DEVICE (or --device) to a model, a tty and a USB
// device. The module need not be answering, or even present: a reset is
// what it may need.
func findTarget(root, device string) (*target, error) {
	t := &target{root: root}
	found, detectErr := modem.Detect(root)
	switch {
	case strings.EqualFold(device, config.DeviceAuto):
		if found.Model.Name == "" {
			return nil, fmt.Errorf("DEVICE=AUTO: %w", detectErr)
		}
		t.model = found.Model
	default:
		if m, ok := modem.ByName(device); ok {
			t.model = m
			t.fixedTTY = m.Alias
		} else {
			tty := strings.TrimPrefix(device, "/dev/")
			t.fixedTTY = tty
			if m, ok := modem.ByAlias(tty); ok {
				t.model = m
			} else if found.KernelTTY == tty || found.TTY == tty {
				t.model = found.Model
			} else {
				t.model = modem.Model{Name: tty, ATInterface: -1, Speed: modem.DefaultSpeed}
			}
		}
	}
	if found.Model.Name != "" && found.Model.Name == t.model.Name {
		t.usbDevice = found.USBDevice
	}
	return t, nil
}

// tty returns the module's AT tty as a path under root, if it is there now.
func (t *target) tty() (string, bool) {
	name := t.fixedTTY
	if name == "" {
		f, err := modem.Detect(t.root)
		if err != nil || f.Model.Name != t.model.Name || f.TTY == "" {
			return "", false
		}
		name = f.TTY
	}
	p := filepath.Join(t.root, "dev", name)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, true
}

// refreshUSB looks the USB device up again: after a re-enumeration it may
// sit at another address.
func (t *target) refreshUSB() {
	if f, err := modem.Detect(t.root); f.Model.Name == t.model.Name && (err == nil || f.USBDevice != "") {
		t.usbDevice = f.USBDevice
	}
}

var errNoUSB = errors.New("the module was not found on USB")
