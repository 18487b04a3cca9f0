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

// generic stands for a module given only by its tty name: standard AT
// commands only.
var generic = modem.Model{ATInterface: -1, Speed: modem.DefaultSpeed}

// errNoModule is a runtime failure (exit 1), not a configuration error:
// the module may just not be enumerated yet.
var errNoModule = errors.New("no module")

// resolveDevice turns DEVICE into a model and a tty, looking at sysfs under
// root when the tty is not fixed by the name.
func resolveDevice(c *config.Config, root string) (port, error) {
	dev := c.Device
	if dev == config.DeviceAuto {
		f, err := modem.Detect(root)
		if err != nil {
			return port{}, fmt.Errorf("%w: DEVICE=AUTO: %v (known modules: USB ids of %s)", errNoModule, err, knownUSB())
		}
		return port{f.Model, "/dev/" + f.TTY, fmt.Sprintf("DEVICE=AUTO: found %s (USB %04x:%04x at %s), AT port /dev/%s (kernel name %s)",
			f.Model.Name, f.USB.Vendor, f.USB.Product, f.USBDevice, f.TTY, f.KernelTTY)}, nil
	}
	if m, ok := modem.ByName(dev); ok {
		if m.Alias != "" {
			return port{m, "/dev/" + m.Alias, fmt.Sprintf("DEVICE=%s: AT port /dev/%s", m.Name, m.Alias)}, nil
		}
		f, err := modem.Detect(root)
		if err == nil && f.Model.Name == m.Name {
			return port{m, "/dev/" + f.TTY, fmt.Sprintf("DEVICE=%s: found at %s, AT port /dev/%s", m.Name, f.USBDevice, f.TTY)}, nil
		}
		if err == nil {
			err = fmt.Errorf("the module present is %s", f.Model.Name)
		}
		return port{}, fmt.Errorf("%w: DEVICE=%s has no fixed tty name and was not found on USB (%v); connect it, or give its tty (DEVICE=ttyUSB2)", errNoModule, m.Name, err)
	}
	tty := strings.TrimPrefix(dev, "/dev/")
	m, ok := modem.ByAlias(tty)
	if !ok {
		m = generic
	}
	return port{m, "/dev/" + tty, fmt.Sprintf("DEVICE=%s: AT port /dev/%s", dev, tty)}, nil
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
