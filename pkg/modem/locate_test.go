package modem_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
)

var amm570ID = modem.USBID{Vendor: 0x1ecb, Product: 0x0208}

// showLocation prints what a caller of Locate reads.
func showLocation(l modem.Location) string {
	kind := map[modem.Kind]string{modem.LookAgain: "look-again", modem.Fixed: "fixed", modem.NotThere: "not-there"}[l.Kind]
	return fmt.Sprintf("{%s model=%q tty=%q usb=%q present=%v why=%v}", kind, l.Model.Name, l.TTY, l.USBDevice, l.Present, l.Why)
}

// TestLocate is the policy: which DEVICE values give a fixed tty, which are
// looked up again, which say the module is not there now, and which are a
// configuration error.
func TestLocate(t *testing.T) {
	const dev11 = "sys/bus/usb/devices/1-1"
	withAMM570 := func(t *testing.T, root string) {
		if err := modemtest.WriteFakeUSB(root, "1-1", amm570ID, "option", map[int]string{0: "ttyUSB3"}); err != nil {
			t.Fatal(err)
		}
	}
	reEnumerating := func(t *testing.T, root string) {
		if err := modemtest.WriteFakeUSB(root, "1-1", amm570ID, "option", map[int]string{0: ""}); err != nil {
			t.Fatal(err)
		}
	}
	nothing := func(t *testing.T, root string) {}
	for _, tc := range []struct {
		name, device string
		setup        func(t *testing.T, root string)
		want         modem.Location // Model.Name, Kind, TTY, USBDevice, Present
		why          error          // errors.Is(Why, why); nil: no Why
		configErr    bool
	}{
		{name: "AUTO found", device: "AUTO", setup: withAMM570,
			want: modem.Location{Kind: modem.LookAgain, Model: modem.Model{Name: "AMM570"}, TTY: "ttyUSB3", USBDevice: dev11, Present: true}},
		{name: "AUTO absent", device: "AUTO", setup: nothing,
			want: modem.Location{Kind: modem.NotThere}, why: modem.ErrNotFound},
		{name: "AUTO re-enumerating", device: "auto", setup: reEnumerating,
			want: modem.Location{Kind: modem.NotThere, Model: modem.Model{Name: "AMM570"}, USBDevice: dev11}, why: errAny},
		{name: "model found", device: "AMM570", setup: withAMM570,
			want: modem.Location{Kind: modem.LookAgain, Model: modem.Model{Name: "AMM570"}, TTY: "ttyUSB3", USBDevice: dev11, Present: true}},
		{name: "model absent", device: "LN940A", setup: withAMM570,
			want: modem.Location{Kind: modem.NotThere, Model: modem.Model{Name: "LN940A"}}, why: modem.ErrNotOnUSB},
		{name: "model absent, nothing on USB", device: "LN940A", setup: nothing,
			want: modem.Location{Kind: modem.NotThere, Model: modem.Model{Name: "LN940A"}}, why: modem.ErrNotOnUSB},
		{name: "model re-enumerating", device: "AMM570", setup: reEnumerating,
			want: modem.Location{Kind: modem.NotThere, Model: modem.Model{Name: "AMM570"}, USBDevice: dev11}, why: errAny},
		{name: "vendor alias, module absent", device: "LISA-U200", setup: withAMM570,
			want: modem.Location{Kind: modem.Fixed, Model: modem.Model{Name: "LISA-U200"}, TTY: "ttyLISA0"}},
		{name: "vendor tty name", device: "ttyKYM11", setup: nothing,
			want: modem.Location{Kind: modem.Fixed, Model: modem.Model{Name: "KYM11"}, TTY: "ttyKYM11"}},
		{name: "fixed tty of the module on USB", device: "/dev/ttyUSB3", setup: withAMM570,
			want: modem.Location{Kind: modem.Fixed, Model: modem.Model{Name: "AMM570"}, TTY: "ttyUSB3", USBDevice: dev11, Present: true}},
		{name: "fixed tty, no known model", device: "ttyS1", setup: withAMM570,
			want: modem.Location{Kind: modem.Fixed, TTY: "ttyS1"}},
		{name: "bad DEVICE: not a tty", device: "sda1", setup: withAMM570, configErr: true,
			want: modem.Location{Kind: modem.NotThere}},
		{name: "bad DEVICE: a path out of /dev", device: "/dev/tty/../../etc/passwd", setup: withAMM570, configErr: true,
			want: modem.Location{Kind: modem.NotThere}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			got, err := modem.Locate(root, tc.device)
			if tc.configErr != (err != nil) || (err != nil && !errors.Is(err, modem.ErrBadDevice)) {
				t.Errorf("Locate(%q) error = %v, want a configuration error (ErrBadDevice): %v", tc.device, err, tc.configErr)
			}
			w := tc.want
			if got.Kind != w.Kind || got.Model.Name != w.Model.Name || got.TTY != w.TTY || got.USBDevice != w.USBDevice || got.Present != w.Present {
				t.Errorf("Locate(%q) = %s, want %s", tc.device, showLocation(got), showLocation(w))
			}
			switch {
			case tc.why == nil && got.Why != nil:
				t.Errorf("Locate(%q).Why = %v, want none", tc.device, got.Why)
			case tc.why == errAny && got.Why == nil:
				t.Errorf("Locate(%q).Why = <nil>, want why the module is not there", tc.device)
			case tc.why != nil && tc.why != errAny && !errors.Is(got.Why, tc.why):
				t.Errorf("Locate(%q).Why = %v, want %v", tc.device, got.Why, tc.why)
			}
		})
	}
}

// errAny in TestLocate: any reason.
var errAny = errors.New("any")

// TestLocateLooksAgain: a look-again Location follows the module to its
// new tty after a re-enumeration; a fixed one keeps its name.
func TestLocateLooksAgain(t *testing.T) {
	root := t.TempDir()
	if err := modemtest.WriteFakeUSB(root, "1-1", amm570ID, "option", map[int]string{0: "ttyUSB3"}); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(root, "sys"))
	if err := modemtest.WriteFakeUSB(root, "1-2", amm570ID, "option", map[int]string{0: "ttyUSB7"}); err != nil {
		t.Fatal(err)
	}
	if l, err := modem.Locate(root, "AUTO"); err != nil || l.TTY != "ttyUSB7" || l.Path() != "/dev/ttyUSB7" {
		t.Errorf("Locate(AUTO) after re-enumeration = %s %q, %v, want ttyUSB7 /dev/ttyUSB7", showLocation(l), l.Path(), err)
	}
	if l, err := modem.Locate(root, "ttyUSB3"); err != nil || l.Kind != modem.Fixed || l.TTY != "ttyUSB3" || !l.Present {
		t.Errorf("Locate(ttyUSB3) after re-enumeration = %s, %v, want fixed ttyUSB3, present", showLocation(l), err)
	}
}
