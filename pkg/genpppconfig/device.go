package genpppconfig

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
)

// errNoModule is a runtime failure (exit 1), not a configuration error:
// the module may just not be enumerated yet.
var errNoModule = errors.New("no module")

// resolveDevice locates DEVICE (modem.Locate) and says for the log how it
// was found. A tty the configuration fixes need not exist yet: pppd opens
// it later. A module that is not there is errNoModule.
func resolveDevice(c *config.Config, root string) (l modem.Location, how string, err error) {
	l, err = modem.Locate(root, c.Device)
	switch {
	case err != nil:
		return l, "", err
	case l.Kind == modem.NotThere && c.Device == config.DeviceAuto:
		return l, "", fmt.Errorf("%w: DEVICE=AUTO: %v (known modules: USB ids of %s)", errNoModule, l.Why, knownUSB())
	case l.Kind == modem.NotThere:
		return l, "", fmt.Errorf("%w: DEVICE=%s: %v; connect it, or give its tty (DEVICE=ttyUSB2)", errNoModule, c.Device, l.Why)
	case c.Device == config.DeviceAuto:
		how = fmt.Sprintf("DEVICE=AUTO: found %s (USB %04x:%04x at %s), AT port %s (kernel name %s)",
			l.Model.Name, l.USB.Vendor, l.USB.Product, l.USBDevice, l.Path(), l.KernelTTY)
	case l.Kind == modem.LookAgain:
		how = fmt.Sprintf("DEVICE=%s: found at %s, AT port %s", c.Device, l.USBDevice, l.Path())
	default:
		how = fmt.Sprintf("DEVICE=%s: AT port %s", c.Device, l.Path())
	}
	return l, how, nil
}

func knownUSB() string {
	var ids []string
	for _, m := range modem.Models() {
		for _, u := range m.USB {
			ids = append(ids, fmt.Sprintf("%s %04x:%04x", m.Name, u.Vendor, u.Product))
		}
	}
	return strings.Join(ids, ", ")
}
