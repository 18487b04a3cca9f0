package modemreset

import (
	"fmt"
	"path/filepath"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// target is the module to reset: DEVICE, to look it up again (its tty and
// USB address may change across the reset), and what was known of it at
// the start.
type target struct {
	root   string
	device string // DEVICE, as modem.Locate takes it
	// at is the module as located at the start; at.USBDevice is updated by
	// refreshUSB.
	at modem.Location
}

// findTarget resolves DEVICE (or --device). The module need not be
// answering, or even have a tty: a reset is what it may need. Only a
// DEVICE=AUTO that finds no known module at all is an error.
func findTarget(root, device string) (*target, error) {
	l, err := modem.Locate(root, device)
	switch {
	case err != nil:
		return nil, fmt.Errorf("DEVICE=%s: %w", device, err)
	case l.Kind == modem.NotThere && l.Model.Name == "":
		return nil, fmt.Errorf("DEVICE=%s: %w", device, l.Why)
	}
	return &target{root: root, device: device, at: l}, nil
}

// name is the module for the log: its model, or its tty when no known
// model owns it.
func (t *target) name() string {
	if t.at.Model.Name == "" {
		return t.at.TTY
	}
	return t.at.Model.Name
}

// tty returns the module's AT tty as a path under root, if it is there now
// (perhaps under a new name).
func (t *target) tty() (string, bool) {
	l, err := modem.Locate(t.root, t.device)
	if err != nil || !l.Present {
		return "", false
	}
	return filepath.Join(t.root, "dev", l.TTY), true
}

// refreshUSB looks the USB device up again: after a re-enumeration it may
// sit at another address.
func (t *target) refreshUSB() {
	if l, _ := modem.Locate(t.root, t.device); l.USBDevice != "" {
		t.at.USBDevice = l.USBDevice
	}
}

const errNoUSB = "the module was not found on USB"
