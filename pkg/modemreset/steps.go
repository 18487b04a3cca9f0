package modemreset

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// A step is one way to reset the module: the method that names it alone,
// its name in the logs; plan says what it would do, or why it cannot run
// here (skip); run does it.
type step struct {
	method method
	name   string
	plan   func() (what string, skip error)
	run    func(ctx context.Context) error
}

// errSkip marks a step that cannot run here; its text says why.
type errSkip string

func (e errSkip) Error() string { return string(e) }

func (r *resetter) steps() []step {
	return []step{
		{methodAT, "AT reset", r.planAT, r.runAT},
		{methodUSB, "USB re-enumeration", r.planUSB, r.runUSB},
		{methodPower, "power line", r.planPower, r.runPower},
	}
}

func (r *resetter) resetCommand() string {
	switch c := r.cfg.ResetCommand; {
	case strings.EqualFold(c, "none"):
		return ""
	case c != "":
		return c
	}
	return r.target.at.Model.ResetCommand
}

func (r *resetter) planAT() (string, error) {
	cmd := r.resetCommand()
	if cmd == "" {
		return "", errSkip(fmt.Sprintf("no AT reset command is known for %s (set RESET_COMMAND)", r.target.name()))
	}
	path, ok := r.target.tty()
	if !ok {
		return "", errSkip("the module has no tty now")
	}
	return fmt.Sprintf("send %s on %s", cmd, r.show(path)), nil
}

func (r *resetter) runAT(ctx context.Context) error {
	path, ok := r.target.tty()
	if !ok {
		return errSkip("the module has no tty now")
	}
	s, err := modem.Open(path, r.target.at.Model.Speed, modem.WithTimeout(atTimeout))
	if err != nil {
		return err
	}
	defer s.Close()
	// A module that does not answer AT will not take a reset command either.
	if err := answersAT(ctx, s); err != nil {
		return fmt.Errorf("the module does not answer AT (%v)", err)
	}
	// Many modules restart before or while they reply: the reply does not
	// matter, the module's return does.
	_, err = s.Command(ctx, r.resetCommand())
	if err != nil && !errors.Is(err, modem.ErrTimeout) && !errors.Is(err, modem.ErrClosed) {
		return fmt.Errorf("%s: %v", r.resetCommand(), err)
	}
	return nil
}

func (r *resetter) authorizedPath() string {
	return filepath.Join(r.target.root, r.target.at.USBDevice, "authorized")
}

func (r *resetter) planUSB() (string, error) {
	if r.target.at.USBDevice == "" {
		r.target.refreshUSB()
	}
	if r.target.at.USBDevice == "" {
		return "", errSkip(errNoUSB)
	}
	return fmt.Sprintf("write 0 then 1 to %s", r.show(r.authorizedPath())), nil
}

// runUSB deconfigures the device and configures it again: the kernel
// unbinds its drivers, the tty goes, and comes back after enumeration.
// Where authorized cannot be written, USBDEVFS_RESET resets the port.
func (r *resetter) runUSB(ctx context.Context) error {
	p := r.authorizedPath()
	if err := os.WriteFile(p, []byte("0"), 0); err != nil {
		return r.usbdevfsReset(err)
	}
	r.waitGone(ctx, 2*time.Second)
	if err := os.WriteFile(p, []byte("1"), 0); err != nil {
		return fmt.Errorf("re-authorize %s: %w (the device stays off until it is replugged)", r.show(p), err)
	}
	return nil
}

// usbdevfsReset is the fallback for a sysfs that cannot be written.
func (r *resetter) usbdevfsReset(cause error) error {
	dir := filepath.Join(r.target.root, r.target.at.USBDevice)
	bus, err1 := readInt(filepath.Join(dir, "busnum"))
	dev, err2 := readInt(filepath.Join(dir, "devnum"))
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%v; no busnum/devnum for USBDEVFS_RESET", cause)
	}
	node := filepath.Join(r.target.root, fmt.Sprintf("dev/bus/usb/%03d/%03d", bus, dev))
	f, err := os.OpenFile(node, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%v; USBDEVFS_RESET: %w", cause, err)
	}
	defer f.Close()
	const usbdevfsReset = 0x5514 // _IO('U', 20)
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), usbdevfsReset, 0); errno != 0 {
		return fmt.Errorf("%v; USBDEVFS_RESET on %s: %w", cause, r.show(node), errno)
	}
	return nil
}

func readInt(p string) (int, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

func (r *resetter) planPower() (string, error) {
	l, err := r.line()
	if err != nil {
		return "", err
	}
	return l.String(), nil
}

func (r *resetter) runPower(ctx context.Context) error {
	l, err := r.line()
	if err != nil {
		return err
	}
	return l.pulse(ctx)
}

// show writes a path as it is on the target system (without --root).
func (r *resetter) show(p string) string {
	if rel, err := filepath.Rel(r.target.root, p); err == nil && !strings.HasPrefix(rel, "..") {
		return "/" + rel
	}
	return p
}

// answersAT sends AT, twice if the first reply is a stale result: a
// "NO CARRIER" from a call hung up earlier waits in the tty until the next
// open and would be taken for the answer.
func answersAT(ctx context.Context, s *modem.Session) error {
	_, err := s.Command(ctx, "AT")
	if err != nil && !errors.Is(err, modem.ErrTimeout) {
		_, err = s.Command(ctx, "AT")
	}
	return err
}
