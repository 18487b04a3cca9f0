package modem

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Auto is the DEVICE value that asks for detection.
const Auto = "AUTO"

// Port is where the module a DEVICE value names has its AT port now.
type Port struct {
	// Model is the module; a tty name that no known model owns gives a
	// Model with an empty Name (standard AT commands only).
	Model Model
	// TTY is the name under /dev to use ("ttyLISA0", "ttyACM1"); empty when
	// it cannot be known now (the module is not on USB, or has no tty yet).
	TTY string
	// Fixed: the name comes from the configuration (a vendor tty name or a
	// tty given as DEVICE), not from sysfs, so it does not change.
	Fixed bool
	// Found is the module as detected on USB (zero when it was not).
	Found Found
	// Present: root/dev/TTY exists now.
	Present bool
}

// ErrNotOnUSB: DEVICE names a model without a fixed tty name, and that
// model is not on USB now.
var ErrNotOnUSB = errors.New("modem: the module is not on USB")

// Locate resolves a DEVICE value — AUTO, a model name, or a tty name with
// or without /dev/ — to the module and its AT port under root. DEVICE=AUTO
// and models without a vendor tty name are looked up in sysfs each time:
// the kernel may give the module another name after a reset or a replug.
// On an error the Port still holds what is known (the model, and its USB
// device when it is there without a tty).
func Locate(root, device string) (Port, error) {
	found, detectErr := Detect(root)
	var p Port
	m, isModel := ByName(device)
	switch {
	case strings.EqualFold(device, Auto):
		if found.Model.Name == "" {
			return p, detectErr
		}
		p.Model, p.Found, p.TTY = found.Model, found, found.TTY
		if detectErr != nil {
			return p, detectErr
		}
	case isModel:
		p.Model = m
		if found.Model.Name == m.Name {
			p.Found = found
		}
		if m.Alias != "" {
			p.TTY, p.Fixed = m.Alias, true
			break
		}
		switch {
		case found.Model.Name != m.Name && detectErr == nil:
			return p, fmt.Errorf("%w: %s has no fixed tty name, and the module on USB is %s", ErrNotOnUSB, m.Name, found.Model.Name)
		case found.Model.Name != m.Name:
			return p, fmt.Errorf("%w: %s has no fixed tty name (%v)", ErrNotOnUSB, m.Name, detectErr)
		case detectErr != nil:
			return p, detectErr
		}
		p.TTY = found.TTY
	default:
		tty := strings.TrimPrefix(device, "/dev/")
		p.TTY, p.Fixed = tty, true
		if am, ok := ByAlias(tty); ok {
			p.Model = am
		} else if found.Model.Name != "" && (found.KernelTTY == tty || found.TTY == tty) {
			p.Model = found.Model
		} else {
			p.Model = Model{ATInterface: -1, Speed: DefaultSpeed}
		}
		if found.Model.Name == p.Model.Name && p.Model.Name != "" {
			p.Found = found
		}
	}
	if p.TTY != "" {
		_, err := os.Stat(filepath.Join(root, "dev", p.TTY))
		p.Present = err == nil
	}
	return p, nil
}
