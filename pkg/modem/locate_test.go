package modem_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
)

func TestLocate(t *testing.T) {
	root := t.TempDir()
	if err := modemtest.WriteFakeUSB(root, "1-1", modem.USBID{Vendor: 0x1ecb, Product: 0x0208}, "option", map[int]string{0: "ttyUSB3"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		device, model, tty string
		fixed, present     bool
		err                error
	}{
		{"AUTO", "AMM570", "ttyUSB3", false, true, nil},
		{"AMM570", "AMM570", "ttyUSB3", false, true, nil},
		{"LN940A", "LN940A", "", false, false, modem.ErrNotOnUSB},
		{"LISA-U200", "LISA-U200", "ttyLISA0", true, false, nil},
		{"/dev/ttyUSB3", "AMM570", "ttyUSB3", true, true, nil},
		{"ttyS1", "", "ttyS1", true, false, nil},
		{"ttyKYM11", "KYM11", "ttyKYM11", true, false, nil},
	} {
		p, err := modem.Locate(root, tc.device)
		if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("Locate(%s) error = %v, want %v", tc.device, err, tc.err)
		}
		if p.Model.Name != tc.model || p.TTY != tc.tty || p.Fixed != tc.fixed || p.Present != tc.present {
			t.Errorf("Locate(%s) = model %q tty %q fixed %v present %v, want %q %q %v %v",
				tc.device, p.Model.Name, p.TTY, p.Fixed, p.Present, tc.model, tc.tty, tc.fixed, tc.present)
		}
	}
	// Nothing on USB: AUTO is an error that says so.
	if _, err := modem.Locate(filepath.Join(root, "empty"), "AUTO"); !errors.Is(err, modem.ErrNotFound) {
		t.Errorf("Locate(empty root, AUTO) = %v, want ErrNotFound", err)
	}
	// Re-enumerating (no tty yet): the model and the USB device are known.
	os.RemoveAll(filepath.Join(root, "sys"))
	modemtest.WriteFakeUSB(root, "1-1", modem.USBID{Vendor: 0x1ecb, Product: 0x0208}, "option", map[int]string{0: ""})
	p, err := modem.Locate(root, "AUTO")
	if err == nil || p.Model.Name != "AMM570" || p.Found.USBDevice == "" || p.TTY != "" {
		t.Errorf("Locate(AUTO, no tty yet) = %+v, %v; want the model and its USB device with an error", p, err)
	}
}
