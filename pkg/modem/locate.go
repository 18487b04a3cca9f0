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

// Kind says how long a Location holds, which is what its callers must do
// with it.
type Kind int

const (
	// LookAgain: the tty name comes from sysfs (DEVICE=AUTO, or a model
	// without a vendor tty name). The kernel may give the module another
	// name after a reset or a replug: look it up again before each use.
	LookAgain Kind = iota
	// Fixed: the tty name comes from the configuration (a tty given as
	// DEVICE, or a model with a vendor tty name). It does not change and is
	// never looked up again; the tty need not exist yet.
	Fixed
	// NotThere: the module is not there now (not on USB, or without a tty
	// yet): wait for it, it may be enumerating after a reset. Why says what
	// was missing; Model and USBDevice hold what is known of it.
	NotThere
)

// Location is where the module is and which tty is its AT port.
type Location struct {
	Kind Kind
	// Model is the module; a tty name that no known model owns gives a
	// Model with an empty Name (standard AT commands only).
	Model Model
	// USB is the module's USB id, when it was found on USB.
	USB USBID
	// USBDevice is the sysfs device directory relative to the root, as
	// listed under sys/bus/usb/devices ("sys/bus/usb/devices/1-1"), or ""
	// when the module was not found on USB. Symlinks are not resolved, so
	// the path stays valid for the device's lifetime.
	USBDevice string
	// KernelTTY is the kernel's name of the AT port ("ttyACM0", "ttyUSB2"),
	// when the module was found on USB with a tty.
	KernelTTY string
	// TTY is the name under /dev to use ("ttyLISA0", "ttyACM1"): for a
	// module found on USB, the model's vendor alias when root/dev/<alias>
	// exists, else KernelTTY. Empty when the Kind is NotThere.
	TTY string
	// Present: root/dev/TTY exists now (set by Locate, not by Detect).
	Present bool
	// Why the module is not there, for the log (Kind NotThere only).
	Why error
}

// Path is the tty as pppd names it ("/dev/ttyACM1"), or "" without a tty.
func (l Location) Path() string {
	if l.TTY == "" {
		return ""
	}
	return "/dev/" + l.TTY
}

// ErrNotOnUSB: DEVICE names a model without a fixed tty name, and that
// model is not on USB now (a Location's Why).
var ErrNotOnUSB = errors.New("modem: the module is not on USB")

// ErrBadDevice: the DEVICE value is neither AUTO, nor a known model, nor a
// tty name. It is a configuration error, the only error Locate returns.
var ErrBadDevice = errors.New("modem: not a DEVICE value")

// Locate resolves a DEVICE value — AUTO, a model name, or a tty name with
// or without /dev/ — to the module and its AT port under root, and decides
// its Kind: a module that is absent now is a Location of Kind NotThere, not
// an error. The error is ErrBadDevice, for a value that can name no module.
func Locate(root, device string) (Location, error) {
	var l Location
	switch m, isModel := ByName(device); {
	case strings.EqualFold(device, Auto):
		l, _ = Detect(root)
	case isModel:
		l = locateModel(root, m)
	default:
		tty := strings.TrimPrefix(device, "/dev/")
		if !IsTTYName(tty) {
			return Location{Kind: NotThere}, fmt.Errorf("%w: %q (accepted: %s, a model or a tty name such as ttyUSB2 or /dev/ttyACM0)", ErrBadDevice, device, Auto)
		}
		l = locateTTY(root, tty)
	}
	if l.TTY != "" {
		_, err := os.Stat(filepath.Join(root, "dev", l.TTY))
		l.Present = err == nil
	}
	return l, nil
}

// locateModel: a model with a vendor tty name is Fixed; one without is
// looked up on USB, and is NotThere when another module, or none, is.
func locateModel(root string, m Model) Location {
	found, err := Detect(root)
	l := Location{Model: m}
	if found.Model.Name == m.Name {
		l.USB, l.USBDevice, l.KernelTTY = found.USB, found.USBDevice, found.KernelTTY
	}
	switch {
	case m.Alias != "":
		l.Kind, l.TTY = Fixed, m.Alias
	case found.Model.Name != m.Name && err == nil:
		l.Kind, l.Why = NotThere, fmt.Errorf("%w: %s has no fixed tty name, and the module on USB is %s", ErrNotOnUSB, m.Name, found.Model.Name)
	case found.Model.Name != m.Name:
		l.Kind, l.Why = NotThere, fmt.Errorf("%w: %s has no fixed tty name (%v)", ErrNotOnUSB, m.Name, err)
	case err != nil:
		l.Kind, l.Why = NotThere, err
	default:
		l.TTY = found.TTY
	}
	return l
}

// locateTTY: a tty given as DEVICE is Fixed. Its model is the one whose
// vendor tty name it is, else the module on USB that has this tty, else
// none (standard AT commands).
func locateTTY(root, tty string) Location {
	found, _ := Detect(root)
	l := Location{Kind: Fixed, TTY: tty}
	if am, ok := ByAlias(tty); ok {
		l.Model = am
	} else if found.Model.Name != "" && (found.KernelTTY == tty || found.TTY == tty) {
		l.Model = found.Model
	} else {
		l.Model = Model{ATInterface: -1, Speed: DefaultSpeed}
	}
	if found.Model.Name == l.Model.Name && l.Model.Name != "" {
		l.USB, l.USBDevice, l.KernelTTY = found.USB, found.USBDevice, found.KernelTTY
	}
	return l
}
