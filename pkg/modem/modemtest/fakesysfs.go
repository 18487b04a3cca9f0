package modemtest

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// usbDevices is the kernel's list of USB devices and interfaces.
const usbDevices = "sys/bus/usb/devices"

// WriteFakeUSB creates under root a fake sysfs entry for a USB device named
// dev (e.g. "1-1") with the given id and one tty per interface: ttys maps
// interface number → kernel tty name; an empty name makes an interface with
// no tty (a port that is still being set up).
//
// It creates the layout of the real kernel for the driver ("cdc_acm":
// <iface>/tty/<name>/, otherwise <iface>/<name>/), with the device directory
// under sys/devices/platform/dummy_hcd.0/usb<bus>/, the interface
// directories ("<dev>:1.<n>") as its subdirectories, relative symlinks to
// all of them in sys/bus/usb/devices, and root/dev/<name> as empty regular
// files. The device directory also holds idVendor, idProduct and
// authorized ("1"). An earlier fake of the same dev is replaced first, as by
// RemoveFakeUSB.
func WriteFakeUSB(root, dev string, id modem.USBID, driver string, ttys map[int]string) error {
	return writeFakeUSB(root, dev, id, driver, ttys, true)
}

// WriteFakeUSBSysfs is WriteFakeUSB without the root/dev entries, for a
// caller that makes them itself once the tty can be opened (the simulated
// modem links them to its pseudo-terminal): a client that waits for
// root/dev/<name> then never opens a placeholder.
func WriteFakeUSBSysfs(root, dev string, id modem.USBID, driver string, ttys map[int]string) error {
	return writeFakeUSB(root, dev, id, driver, ttys, false)
}

func writeFakeUSB(root, dev string, id modem.USBID, driver string, ttys map[int]string, devNodes bool) error {
	devRel, err := deviceDir(dev)
	if err != nil {
		return err
	}
	for n, name := range ttys {
		if n < 0 || n > 0xff || (name != "" && (!strings.HasPrefix(name, "tty") || strings.ContainsAny(name, "/:"))) {
			return fmt.Errorf("modemtest: fake USB %s: interface %d tty %q: want interface 0..255 and a tty name", dev, n, name)
		}
	}
	if err := RemoveFakeUSB(root, dev); err != nil {
		return err
	}
	devDir := filepath.Join(root, devRel)
	links := filepath.Join(root, usbDevices)
	for _, d := range []string{devDir, links, filepath.Join(root, "dev")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("modemtest: %w", err)
		}
	}
	files := map[string]string{
		"idVendor":   fmt.Sprintf("%04x\n", id.Vendor),
		"idProduct":  fmt.Sprintf("%04x\n", id.Product),
		"authorized": "1\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(devDir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("modemtest: %w", err)
		}
	}
	if err := link(links, devDir); err != nil {
		return err
	}
	for _, n := range slices.Sorted(maps.Keys(ttys)) {
		ifDir := filepath.Join(devDir, fmt.Sprintf("%s:1.%d", dev, n))
		if err := os.MkdirAll(ifDir, 0o755); err != nil {
			return fmt.Errorf("modemtest: %w", err)
		}
		if err := os.WriteFile(filepath.Join(ifDir, "bInterfaceNumber"), fmt.Appendf(nil, "%02x\n", n), 0o644); err != nil {
			return fmt.Errorf("modemtest: %w", err)
		}
		if name := ttys[n]; name != "" {
			ttyDir := filepath.Join(ifDir, name)
			if driver == "cdc_acm" {
				ttyDir = filepath.Join(ifDir, "tty", name)
			}
			if err := os.MkdirAll(ttyDir, 0o755); err != nil {
				return fmt.Errorf("modemtest: %w", err)
			}
			if devNodes {
				if err := os.WriteFile(filepath.Join(root, "dev", name), nil, 0o644); err != nil {
					return fmt.Errorf("modemtest: %w", err)
				}
			}
		}
		if err := link(links, ifDir); err != nil {
			return err
		}
	}
	return nil
}

// RemoveFakeUSB removes what WriteFakeUSB made for dev: the sysfs entries and
// root/dev/<name> of each of its ttys, as an unplug would. A dev that is not
// there is not an error.
func RemoveFakeUSB(root, dev string) error {
	devRel, err := deviceDir(dev)
	if err != nil {
		return err
	}
	devDir := filepath.Join(root, devRel)
	var ttys []string
	err = filepath.WalkDir(devDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && len(d.Name()) > len("tty") && strings.HasPrefix(d.Name(), "tty") {
			ttys = append(ttys, d.Name())
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("modemtest: %w", err)
	}
	for _, name := range ttys {
		if err := os.Remove(filepath.Join(root, "dev", name)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("modemtest: %w", err)
		}
	}
	links := filepath.Join(root, usbDevices)
	entries, err := os.ReadDir(links)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("modemtest: %w", err)
	}
	for _, e := range entries {
		if e.Name() == dev || strings.HasPrefix(e.Name(), dev+":") {
			if err := os.RemoveAll(filepath.Join(links, e.Name())); err != nil {
				return fmt.Errorf("modemtest: %w", err)
			}
		}
	}
	if err := os.RemoveAll(devDir); err != nil {
		return fmt.Errorf("modemtest: %w", err)
	}
	return nil
}

// deviceDir is where the fake device dev lives, relative to the root, as on
// a system whose USB bus is emulated by dummy_hcd.
func deviceDir(dev string) (string, error) {
	bus, port, ok := strings.Cut(dev, "-")
	if !ok || bus == "" || port == "" || strings.ContainsAny(dev, ":/") || strings.Trim(bus, "0123456789") != "" {
		return "", fmt.Errorf("modemtest: fake USB %q: want a USB device name like 1-1 or 1-1.4", dev)
	}
	return filepath.Join("sys/devices/platform/dummy_hcd.0", "usb"+bus, dev), nil
}

// link makes the relative symlink links/<base of target> → target.
func link(links, target string) error {
	rel, err := filepath.Rel(links, target)
	if err != nil {
		return fmt.Errorf("modemtest: %w", err)
	}
	if err := os.Symlink(rel, filepath.Join(links, filepath.Base(target))); err != nil {
		return fmt.Errorf("modemtest: %w", err)
	}
	return nil
}
