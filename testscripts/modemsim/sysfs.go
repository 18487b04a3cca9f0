package modemsim

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unsafe"
)

// Paths under Root.
const (
	usbDevices = "sys/bus/usb/devices"
	ledsDir    = "sys/class/leds"
)

// ledFiles are the attributes of an LED with the oneshot trigger, as the
// vendor's boards export the module's power and reset lines.
var ledFiles = map[string]string{
	"trigger":   "none [oneshot]\n",
	"shot":      "",
	"delay_on":  "100\n",
	"delay_off": "100\n",
	"invert":    "0\n",
}

// makeLED creates root/sys/class/leds/name with the oneshot attributes.
func makeLED(root, name string) error {
	dir := filepath.Join(root, ledsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("modemsim: %w", err)
	}
	for f, content := range ledFiles {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(content), 0o644); err != nil {
			return fmt.Errorf("modemsim: %w", err)
		}
	}
	return nil
}

// ledArmed reports whether the LED's trigger is oneshot, without which the
// kernel has no shot attribute to pulse.
func ledArmed(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "trigger"))
	if err != nil {
		return false
	}
	t := strings.TrimSpace(string(b))
	return t == "oneshot" || strings.Contains(t, "[oneshot]")
}

// removeInterfaces takes the interfaces (and so the ttys) away from the fake
// USB device dev, as the kernel does when the device is deauthorized or
// stops answering, and keeps the device directory with its authorized
// file: a writer of "1" right after "0" must find it.
func removeInterfaces(root, dev string) error {
	links := filepath.Join(root, usbDevices)
	devDir, err := filepath.EvalSymlinks(filepath.Join(links, dev))
	if err != nil {
		return nil // no device
	}
	for _, dir := range []string{devDir, links} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("modemsim: %w", err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), dev+":") {
				if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
					return fmt.Errorf("modemsim: %w", err)
				}
			}
		}
	}
	return nil
}

// linkTTY makes root/dev/name a symlink to target, replacing what is there
// (the placeholder file of the fake sysfs) in one step.
func linkTTY(root, name, target string) error {
	dir := filepath.Join(root, "dev")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("modemsim: %w", err)
	}
	tmp := filepath.Join(dir, "."+name+".modemsim")
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("modemsim: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("modemsim: %w", err)
	}
	return nil
}

// unlinkTTY removes root/dev/name when it is a symlink (ours).
func unlinkTTY(root, name string) {
	p := filepath.Join(root, "dev", name)
	if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		os.Remove(p)
	}
}

// sysfsWatch is the inotify instance that sees writes to the fake device's
// authorized file and to the LEDs' shot files.
type sysfsWatch struct {
	f *os.File
}

// sysfsEvent is one inotify event, with the name of the file it is about.
type sysfsEvent struct {
	wd   int32
	mask uint32
	name string
}

func newSysfsWatch() (*sysfsWatch, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("modemsim: inotify: %w", err)
	}
	return &sysfsWatch{f: os.NewFile(uintptr(fd), "inotify")}, nil
}

// add watches dir for completed writes of its files.
func (w *sysfsWatch) add(dir string) (int32, error) {
	rc, err := w.f.SyscallConn()
	if err != nil {
		return -1, err
	}
	wd := -1
	var werr error
	if err := rc.Control(func(fd uintptr) {
		wd, werr = syscall.InotifyAddWatch(int(fd), dir, syscall.IN_CLOSE_WRITE|syscall.IN_MODIFY)
	}); err != nil {
		return -1, err
	}
	if werr != nil {
		return -1, fmt.Errorf("modemsim: watch %s: %w", dir, werr)
	}
	return int32(wd), nil
}

// read blocks for the next batch of events; it fails once the watch is
// closed.
func (w *sysfsWatch) read(buf []byte) ([]sysfsEvent, error) {
	n, err := w.f.Read(buf)
	if err != nil {
		return nil, err
	}
	var evs []sysfsEvent
	for off := 0; off+syscall.SizeofInotifyEvent <= n; {
		ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
		name := ""
		if ev.Len > 0 {
			raw := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
			name = strings.TrimRight(string(raw), "\x00")
		}
		evs = append(evs, sysfsEvent{wd: ev.Wd, mask: ev.Mask, name: name})
		off += syscall.SizeofInotifyEvent + int(ev.Len)
	}
	return evs, nil
}

func (w *sysfsWatch) close() {
	w.f.Close()
}
