package modemreset

import (
	"fmt"
	"path/filepath"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// target is the module to reset and how to find it again.
type target struct {
	root   string
	device string // DEVICE, as modem.Locate takes it
	model  modem.Model
	// usbDevice is the sysfs device dir relative to root ("" when not on
	// USB or not found).
	usbDevice string
}

// findTarget resolves DEVICE (or --device). The module need not be
// answering, or even have a tty: a reset is what it may need. Only a
// DEVICE=AUTO that finds no known module at all is an error.
func findTarget(root, device string) (*target, error) {
	p, err := modem.Locate(root, device)
	if err != nil && p.Model.Name == "" && !p.Fixed {
		return nil, fmt.Errorf("DEVICE=%s: %w", device, err)
	}
	t := &target{root: root, device: device, model: p.Model, usbDevice: p.Found.USBDevice}
	if t.model.Name == "" {
		t.model.Name = p.TTY // a module known only by its tty
	}
	return t, nil
}

// tty returns the module's AT tty as a path under root, if it is there now
// (perhaps under a new name).
func (t *target) tty() (string, bool) {
	p, err := modem.Locate(t.root, t.device)
	if err != nil || !p.Present {
		return "", false
	}
	return filepath.Join(t.root, "dev", p.TTY), true
}

// refreshUSB looks the USB device up again: after a re-enumeration it may
// sit at another address.
func (t *target) refreshUSB() {
	if p, _ := modem.Locate(t.root, t.device); p.Found.USBDevice != "" {
		t.usbDevice = p.Found.USBDevice
	}
}

const errNoUSB = "the module was not found on USB"
