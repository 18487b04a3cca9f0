package modem

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ErrNotFound means that no known module is present.
var ErrNotFound = errors.New("modem: no known 3G/4G module found")

// usbDevices is where the kernel lists USB devices and their interfaces,
// relative to the root.
const usbDevices = "sys/bus/usb/devices"

// Detect scans root/sys/bus/usb/devices for a device whose idVendor and
// idProduct are in the model table and finds its AT tty. Entries that cannot
// be read or hold garbage are skipped.
//
// With several known devices present, Detect takes the first in byte-wise
// sorted order of the device names ("1-1" < "1-1.4" < "1-2" < "2-1"), so the
// choice does not depend on the order in which they were plugged in. It does
// not pass over that device when it has no tty yet (it may be re-enumerating
// after a reset): the error then names the device, is not ErrNotFound, and
// the returned Location still holds Model, USB and USBDevice, so that the
// caller can wait for it or reset it.
//
// Detect returns ErrNotFound when no known device is present, including when
// root has no sys/bus/usb/devices at all. The Location's Kind is LookAgain,
// or NotThere with the error as its Why; its Present is not set (Locate
// sets it).
func Detect(root string) (Location, error) {
	l, err := detect(root)
	if err != nil {
		l.Kind, l.Why = NotThere, err
	}
	return l, err
}

func detect(root string) (Location, error) {
	entries, err := os.ReadDir(filepath.Join(root, usbDevices))
	if errors.Is(err, fs.ErrNotExist) {
		return Location{}, fmt.Errorf("%w (no %s under %s)", ErrNotFound, usbDevices, root)
	}
	if err != nil {
		return Location{}, fmt.Errorf("modem: detect: %w", err)
	}
	// os.ReadDir returns the entries sorted by name.
	for _, e := range entries {
		if strings.Contains(e.Name(), ":") {
			continue // an interface, not a device
		}
		dev := filepath.Join(usbDevices, e.Name())
		id, err := readUSBID(filepath.Join(root, dev))
		if err != nil {
			continue
		}
		m, ok := ByUSB(id)
		if !ok {
			continue
		}
		f := Location{Model: m, USB: id, USBDevice: dev}
		f.KernelTTY, err = findTTY(root, dev, m)
		if err != nil {
			return f, fmt.Errorf("modem: detect: %s (%s) at %s: %w", m.Name, formatUSBID(id), dev, err)
		}
		f.TTY = devName(root, m.Alias, f.KernelTTY)
		return f, nil
	}
	return Location{}, ErrNotFound
}

// findTTY finds the kernel name of the AT tty of the USB device directory
// usbDevice (relative to root) for model m: the tty of interface
// m.ATInterface when that is known, else the lowest-numbered interface that
// has a tty; within an interface, the lowest tty ("ttyUSB2" < "ttyUSB10").
func findTTY(root, usbDevice string, m Model) (string, error) {
	ifaces, err := interfaces(filepath.Join(root, usbDevice))
	if err != nil {
		return "", err
	}
	if m.ATInterface >= 0 {
		dirs, ok := ifaces[m.ATInterface]
		if !ok {
			return "", fmt.Errorf("no tty on interface %d: no such interface (present: %s)",
				m.ATInterface, interfaceList(ifaces))
		}
		ttys := ttysIn(dirs)
		if len(ttys) == 0 {
			return "", fmt.Errorf("no tty on interface %d", m.ATInterface)
		}
		return ttys[0], nil
	}
	for _, n := range slices.Sorted(maps.Keys(ifaces)) {
		if ttys := ttysIn(ifaces[n]); len(ttys) > 0 {
			return ttys[0], nil
		}
	}
	return "", fmt.Errorf("no tty on any interface (present: %s)", interfaceList(ifaces))
}

// interfaces maps the interface numbers of the USB device in devDir to the
// directories that show them. The kernel puts each interface "<dev>:<cfg>.<n>"
// in the device directory and links it from sys/bus/usb/devices; fake trees
// may have either, so both places are searched.
func interfaces(devDir string) (map[int][]string, error) {
	entries, err := os.ReadDir(devDir)
	if err != nil {
		return nil, err
	}
	dev := filepath.Base(devDir)
	ifaces := make(map[int][]string)
	add := func(dir string, entries []os.DirEntry) {
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if n, ok := interfaceNumber(p, dev); ok {
				ifaces[n] = append(ifaces[n], p)
			}
		}
	}
	add(devDir, entries)
	if parent := filepath.Dir(devDir); parent != devDir {
		if entries, err := os.ReadDir(parent); err == nil {
			add(parent, entries)
		}
	}
	return ifaces, nil
}

// interfaceNumber reports the interface number of the interface directory
// p of device dev: bInterfaceNumber (hex), or the number in the name when
// that file is missing or garbage. ok is false if p is not such a directory.
func interfaceNumber(p, dev string) (n int, ok bool) {
	rest, found := strings.CutPrefix(filepath.Base(p), dev+":")
	if !found {
		return 0, false
	}
	cfg, num, found := strings.Cut(rest, ".")
	if !found || !isDecimal(cfg) || !isDecimal(num) {
		return 0, false
	}
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		return 0, false
	}
	if b, err := os.ReadFile(filepath.Join(p, "bInterfaceNumber")); err == nil {
		if v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 16, 8); err == nil {
			return int(v), true
		}
	}
	v, err := strconv.ParseUint(num, 10, 8)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

// ttysIn lists, lowest first, the ttys shown in the interface directories
// dirs: as tty/<name>/ (cdc_acm and other tty class drivers) or as <name>/
// (usb-serial drivers such as option).
func ttysIn(dirs []string) []string {
	var ttys []string
	add := func(dir, name string) {
		if !IsTTYName(name) || slices.Contains(ttys, name) {
			return
		}
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.IsDir() {
			ttys = append(ttys, name)
		}
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.Name() == "tty" {
				class, err := os.ReadDir(filepath.Join(dir, "tty"))
				if err != nil {
					continue
				}
				for _, c := range class {
					add(filepath.Join(dir, "tty"), c.Name())
				}
				continue
			}
			add(dir, e.Name())
		}
	}
	slices.SortFunc(ttys, compareTTY)
	return ttys
}

// IsTTYName reports whether name (without /dev/) is tty followed by 1 to
// 32 letters, digits and _ . -: a name that can only ever be one tty, on a
// command line, in pppd's option file or as a path under /dev. It is the
// one check of a tty name; configuration, detection and rendering use it.
func IsTTYName(name string) bool {
	rest, ok := strings.CutPrefix(name, "tty")
	if !ok || len(rest) < 1 || len(rest) > 32 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// compareTTY orders tty names by their stem, then by their number as a
// number, so that ttyUSB2 comes before ttyUSB10.
func compareTTY(a, b string) int {
	as, an := splitNumber(a)
	bs, bn := splitNumber(b)
	if c := strings.Compare(as, bs); c != 0 {
		return c
	}
	if len(an) != len(bn) {
		return len(an) - len(bn)
	}
	return strings.Compare(an, bn)
}

func splitNumber(name string) (stem, num string) {
	i := len(name)
	for i > 0 && name[i-1] >= '0' && name[i-1] <= '9' {
		i--
	}
	num = strings.TrimLeft(name[i:], "0")
	return name[:i], num
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func interfaceList(ifaces map[int][]string) string {
	if len(ifaces) == 0 {
		return "none"
	}
	var s []string
	for _, n := range slices.Sorted(maps.Keys(ifaces)) {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ", ")
}

// readUSBID reads idVendor and idProduct of the USB device in dir.
func readUSBID(dir string) (USBID, error) {
	vendor, err := readHex16(filepath.Join(dir, "idVendor"))
	if err != nil {
		return USBID{}, err
	}
	product, err := readHex16(filepath.Join(dir, "idProduct"))
	if err != nil {
		return USBID{}, err
	}
	return USBID{Vendor: vendor, Product: product}, nil
}

func readHex16(path string) (uint16, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 16, 16)
	if err != nil {
		return 0, err
	}
	return uint16(v), nil
}

func formatUSBID(id USBID) string {
	return fmt.Sprintf("%04x:%04x", id.Vendor, id.Product)
}

// devName is the name under /dev to use for the kernel tty: the vendor alias
// when udev made one for this tty. An alias that is a symlink to another tty
// is stale or belongs to another port, so it is not used.
func devName(root, alias, kernelTTY string) string {
	if alias == "" {
		return kernelTTY
	}
	p := filepath.Join(root, "dev", alias)
	fi, err := os.Lstat(p)
	if err != nil {
		return kernelTTY
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(p)
		if err != nil || filepath.Base(target) != kernelTTY {
			return kernelTTY
		}
	}
	return alias
}
