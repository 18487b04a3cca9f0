package genpppconfig

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
)

// port is the module and tty the files are written for.
type port struct {
	model modem.Model
	tty   string // /dev path
	how   string // for the log: how it was found
}

// errNoModule is a runtime failure (exit 1), not a configuration error:
// the module may just not be enumerated yet.
var errNoModule = errors.New("no module")

// resolveDevice turns DEVICE into a model and a tty (modem.Locate). A tty
// the configuration fixes need not exist yet: pppd opens it later.
func resolveDevice(c *config.Config, root string) (port, error) {
	p, err := modem.Locate(root, c.Device)
	switch {
	case c.Device == config.DeviceAuto && err != nil:
		return port{}, fmt.Errorf("%w: DEVICE=AUTO: %v (known modules: USB ids of %s)", errNoModule, err, knownUSB())
	case err != nil:
		return port{}, fmt.Errorf("%w: DEVICE=%s: %v; connect it, or give its tty (DEVICE=ttyUSB2)", errNoModule, c.Device, err)
	}
	tty := "/dev/" + p.TTY
	f := p.Found
	switch {
	case c.Device == config.DeviceAuto:
		return port{p.Model, tty, fmt.Sprintf("DEVICE=AUTO: found %s (USB %04x:%04x at %s), AT port %s (kernel name %s)",
			p.Model.Name, f.USB.Vendor, f.USB.Product, f.USBDevice, tty, f.KernelTTY)}, nil
	case !p.Fixed:
		return port{p.Model, tty, fmt.Sprintf("DEVICE=%s: found at %s, AT port %s", c.Device, f.USBDevice, tty)}, nil
	}
	return port{p.Model, tty, fmt.Sprintf("DEVICE=%s: AT port %s", c.Device, tty)}, nil
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
