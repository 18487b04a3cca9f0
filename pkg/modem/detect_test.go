package modem_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/modem/modemtest"
)

var (
	lisa   = modem.USBID{Vendor: 0x1546, Product: 0x1102}
	amm570 = modem.USBID{Vendor: 0x1ecb, Product: 0x0208}
	ln940a = modem.USBID{Vendor: 0x1bc7, Product: 0x1901}
)

func model(t *testing.T, name string) modem.Model {
	t.Helper()
	m, ok := modem.ByName(name)
	if !ok {
		t.Fatalf("ByName(%q): no such model", name)
	}
	return m
}

// fakeUSB is modemtest.WriteFakeUSB that fails the test on error.
func fakeUSB(t *testing.T, root, dev string, id modem.USBID, driver string, ttys map[int]string) {
	t.Helper()
	if err := modemtest.WriteFakeUSB(root, dev, id, driver, ttys); err != nil {
		t.Fatal(err)
	}
}

// write creates root/name with content, and its parent directories.
func write(t *testing.T, root, name, content string) {
	t.Helper()
	p := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, root, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, name), 0o755); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// show prints the fields of f a user sees, without the whole model table row.
func show(f modem.Location) string {
	return fmt.Sprintf("{%s %04x:%04x %s kernel=%s tty=%s}",
		f.Model.Name, f.USB.Vendor, f.USB.Product, f.USBDevice, f.KernelTTY, f.TTY)
}

func TestDetect(t *testing.T) {
	const dev11 = "sys/bus/usb/devices/1-1"
	tests := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  func(t *testing.T) modem.Location
	}{
		{
			name: "LISA-U200 on cdc_acm takes interface 0",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM0", 2: "ttyACM1"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: dev11, KernelTTY: "ttyACM0", TTY: "ttyACM0"}
			},
		},
		{
			// The interface decides, not the tty number: the kernel may have
			// numbered the ports in another order after a replug.
			name: "LISA-U200 takes interface 0 even when its tty is not the lowest",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM3", 2: "ttyACM2"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: dev11, KernelTTY: "ttyACM3", TTY: "ttyACM3"}
			},
		},
		{
			name: "vendor alias as a udev symlink to the port",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM0", 2: "ttyACM1"})
				symlink(t, "ttyACM0", filepath.Join(root, "dev/ttyLISA0"))
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: dev11, KernelTTY: "ttyACM0", TTY: "ttyLISA0"}
			},
		},
		{
			name: "vendor alias as a device node of its own",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM0"})
				write(t, root, "dev/ttyLISA0", "")
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: dev11, KernelTTY: "ttyACM0", TTY: "ttyLISA0"}
			},
		},
		{
			name: "stale vendor alias pointing at another tty is not used",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM1"})
				symlink(t, "ttyACM0", filepath.Join(root, "dev/ttyLISA0"))
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: dev11, KernelTTY: "ttyACM1", TTY: "ttyACM1"}
			},
		},
		{
			name: "AMM570 on option takes the lowest tty",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", amm570, "option", map[int]string{
					0: "ttyUSB0", 1: "ttyUSB1", 2: "ttyUSB2", 3: "ttyUSB3",
				})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "AMM570"), USB: amm570, USBDevice: dev11, KernelTTY: "ttyUSB0", TTY: "ttyUSB0"}
			},
		},
		{
			name: "AMM570 takes the lowest interface that has a tty",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", amm570, "option", map[int]string{
					0: "", 2: "ttyUSB5", 3: "ttyUSB4", 12: "ttyUSB3",
				})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "AMM570"), USB: amm570, USBDevice: dev11, KernelTTY: "ttyUSB5", TTY: "ttyUSB5"}
			},
		},
		{
			name: "LN940A 1bc7:1901",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "2-1.3", ln940a, "option", map[int]string{0: "ttyUSB0", 2: "ttyUSB1"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LN940A"), USB: ln940a, USBDevice: "sys/bus/usb/devices/2-1.3", KernelTTY: "ttyUSB0", TTY: "ttyUSB0"}
			},
		},
		{
			name: "garbage and unreadable entries are skipped",
			setup: func(t *testing.T, root string) {
				write(t, root, "sys/bus/usb/devices/1-1/idVendor", "zzzz\n")
				write(t, root, "sys/bus/usb/devices/1-1/idProduct", "1102\n")
				write(t, root, "sys/bus/usb/devices/1-2/idVendor", "1546\n") // no idProduct
				write(t, root, "sys/bus/usb/devices/1-3", "not a directory\n")
				write(t, root, "sys/bus/usb/devices/1-4/idVendor", "")
				write(t, root, "sys/bus/usb/devices/1-4/idProduct", "")
				write(t, root, "sys/bus/usb/devices/1-5/idVendor", "1546 1102\n")
				write(t, root, "sys/bus/usb/devices/1-5/idProduct", "1102\n")
				write(t, root, "sys/bus/usb/devices/1-6/idVendor", "11546\n")
				write(t, root, "sys/bus/usb/devices/1-6/idProduct", "1102\n")
				symlink(t, "../../../devices/nowhere", filepath.Join(root, "sys/bus/usb/devices/1-7"))
				fakeUSB(t, root, "1-8", lisa, "cdc_acm", map[int]string{0: "ttyACM0"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: lisa, USBDevice: "sys/bus/usb/devices/1-8", KernelTTY: "ttyACM0", TTY: "ttyACM0"}
			},
		},
		{
			name: "two known modules: the first by device name, whatever the plug order",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "2-1", amm570, "option", map[int]string{0: "ttyUSB0"})
				fakeUSB(t, root, "1-2", lisa, "cdc_acm", map[int]string{0: "ttyACM0"})
				fakeUSB(t, root, "1-10", ln940a, "option", map[int]string{0: "ttyUSB1"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LN940A"), USB: ln940a, USBDevice: "sys/bus/usb/devices/1-10", KernelTTY: "ttyUSB1", TTY: "ttyUSB1"}
			},
		},
		{
			name: "unknown devices next to a known one",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", modem.USBID{Vendor: 0x0403, Product: 0x6001}, "ftdi_sio", map[int]string{0: "ttyUSB0"})
				fakeUSB(t, root, "1-2", amm570, "option", map[int]string{0: "ttyUSB1"})
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "AMM570"), USB: amm570, USBDevice: "sys/bus/usb/devices/1-2", KernelTTY: "ttyUSB1", TTY: "ttyUSB1"}
			},
		},
		{
			name: "plain directories: interfaces only at top level",
			setup: func(t *testing.T, root string) {
				write(t, root, "sys/bus/usb/devices/1-1/idVendor", "1ecb\n")
				write(t, root, "sys/bus/usb/devices/1-1/idProduct", "0208\n")
				mkdir(t, root, "sys/bus/usb/devices/1-1:1.3/ttyUSB3")
				write(t, root, "sys/bus/usb/devices/1-1:1.3/bInterfaceNumber", "03\n")
				mkdir(t, root, "sys/bus/usb/devices/1-1:1.1/ttyUSB1")
				write(t, root, "sys/bus/usb/devices/1-1:1.1/bInterfaceNumber", "01\n")
				mkdir(t, root, "sys/bus/usb/devices/1-10:1.0/ttyUSB0") // another device
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "AMM570"), USB: amm570, USBDevice: dev11, KernelTTY: "ttyUSB1", TTY: "ttyUSB1"}
			},
		},
		{
			name: "plain directories: interfaces only inside the device, no bInterfaceNumber",
			setup: func(t *testing.T, root string) {
				write(t, root, "sys/bus/usb/devices/1-1/idVendor", "1546\n")
				write(t, root, "sys/bus/usb/devices/1-1/idProduct", "1104\n")
				mkdir(t, root, "sys/bus/usb/devices/1-1/1-1:1.2/tty/ttyACM0")
				mkdir(t, root, "sys/bus/usb/devices/1-1/1-1:1.0/tty/ttyACM1")
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "LISA-U200"), USB: modem.USBID{Vendor: 0x1546, Product: 0x1104}, USBDevice: dev11, KernelTTY: "ttyACM1", TTY: "ttyACM1"}
			},
		},
		{
			name: "plain directories: the lowest tty of an interface counts numbers as numbers",
			setup: func(t *testing.T, root string) {
				write(t, root, "sys/bus/usb/devices/1-1/idVendor", "1ecb\n")
				write(t, root, "sys/bus/usb/devices/1-1/idProduct", "0208\n")
				mkdir(t, root, "sys/bus/usb/devices/1-1/1-1:1.0/ttyUSB10")
				mkdir(t, root, "sys/bus/usb/devices/1-1:1.0/ttyUSB9")
			},
			want: func(t *testing.T) modem.Location {
				return modem.Location{Model: model(t, "AMM570"), USB: amm570, USBDevice: dev11, KernelTTY: "ttyUSB9", TTY: "ttyUSB9"}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tt.setup(t, root)
			want := tt.want(t)
			got, err := modem.Detect(root)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("Detect(root) = %s, %v, want %s, <nil>", show(got), err, show(want))
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, root string)
		notFound bool     // errors.Is(err, ErrNotFound)
		says     []string // what the message must name
		device   string   // Location.USBDevice returned with the error
	}{
		{
			name:     "no sysfs under root",
			setup:    func(t *testing.T, root string) {},
			notFound: true,
		},
		{
			name: "only unknown devices",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", modem.USBID{Vendor: 0x0403, Product: 0x6001}, "ftdi_sio", map[int]string{0: "ttyUSB0"})
				write(t, root, "sys/bus/usb/devices/usb1/idVendor", "1d6b\n") // root hub
				write(t, root, "sys/bus/usb/devices/usb1/idProduct", "0002\n")
				mkdir(t, root, "sys/bus/usb/devices/1-0:1.0")
			},
			notFound: true,
		},
		{
			name: "LISA-U200 re-enumerating: interface 0 has no tty yet",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "", 2: "ttyACM1"})
			},
			says:   []string{"modem: detect:", "LISA-U200", "sys/bus/usb/devices/1-1", "interface 0"},
			device: "sys/bus/usb/devices/1-1",
		},
		{
			name: "AMM570 with interfaces but no tty on any",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "3-2", amm570, "option", map[int]string{0: "", 1: ""})
			},
			says:   []string{"modem: detect:", "AMM570", "sys/bus/usb/devices/3-2", "any interface", "0, 1"},
			device: "sys/bus/usb/devices/3-2",
		},
		{
			name: "LN940A not configured yet: no interfaces",
			setup: func(t *testing.T, root string) {
				fakeUSB(t, root, "1-1", ln940a, "option", nil)
			},
			says:   []string{"modem: detect:", "LN940A", "sys/bus/usb/devices/1-1", "none"},
			device: "sys/bus/usb/devices/1-1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, root)
			}
			got, err := modem.Detect(root)
			if err == nil {
				t.Fatalf("Detect(root) = %s, <nil>, want an error", show(got))
			}
			if errors.Is(err, modem.ErrNotFound) != tt.notFound {
				t.Errorf("Detect(root) = %v, want errors.Is(err, ErrNotFound) == %t", err, tt.notFound)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Detect(root) = %v, want an error that says %q", err, s)
				}
			}
			if got.USBDevice != tt.device {
				t.Errorf("Detect(root) = %s, want USBDevice %q along with the error", show(got), tt.device)
			}
		})
	}
}

func TestFindTTY(t *testing.T) {
	root := t.TempDir()
	fakeUSB(t, root, "1-1", lisa, "cdc_acm", map[int]string{0: "ttyACM2", 2: "ttyACM1"})
	fakeUSB(t, root, "1-2", lisa, "cdc_acm", map[int]string{2: "ttyACM0"})
	fakeUSB(t, root, "1-3", amm570, "option", map[int]string{0: "", 4: "ttyUSB7", 2: "ttyUSB8"})
	lisaModel, amm := model(t, "LISA-U200"), model(t, "AMM570")

	tests := []struct {
		dev     string
		m       modem.Model
		want    string
		wantErr []string // what the error must say; nil: no error
	}{
		{dev: "sys/bus/usb/devices/1-1", m: lisaModel, want: "ttyACM2"},
		{dev: "sys/bus/usb/devices/1-3", m: amm, want: "ttyUSB8"},
		// The path as resolved from the symlink works as well.
		{dev: "sys/devices/platform/dummy_hcd.0/usb1/1-3", m: amm, want: "ttyUSB8"},
		{dev: "sys/bus/usb/devices/1-2", m: lisaModel, wantErr: []string{"modem: find tty:", "sys/bus/usb/devices/1-2", "interface 0", "present: 2"}},
		{dev: "sys/bus/usb/devices/1-9", m: amm, wantErr: []string{"modem: find tty:", "sys/bus/usb/devices/1-9"}},
	}
	for _, tt := range tests {
		got, err := modem.FindTTY(root, tt.dev, tt.m)
		if tt.wantErr == nil {
			if err != nil || got != tt.want {
				t.Errorf("FindTTY(root, %q, %s) = %q, %v, want %q, <nil>", tt.dev, tt.m.Name, got, err, tt.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("FindTTY(root, %q, %s) = %q, <nil>, want an error", tt.dev, tt.m.Name, got)
			continue
		}
		for _, s := range tt.wantErr {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("FindTTY(root, %q, %s) = %v, want an error that says %q", tt.dev, tt.m.Name, err, s)
			}
		}
	}
}

func TestFindTTYGoneDevice(t *testing.T) {
	root := t.TempDir()
	_, err := modem.FindTTY(root, "sys/bus/usb/devices/1-1", model(t, "LISA-U200"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("FindTTY(root, 1-1) = %v, want an error wrapping fs.ErrNotExist", err)
	}
}

// A module that comes back from a reset under another tty name is found
// under the new one: detection must not remember anything.
func TestDetectAfterReplug(t *testing.T) {
	root := t.TempDir()
	fakeUSB(t, root, "1-1", amm570, "option", map[int]string{0: "ttyUSB0", 1: "ttyUSB1"})
	if got, err := modem.Detect(root); err != nil || got.KernelTTY != "ttyUSB0" {
		t.Fatalf("Detect(root) = %s, %v, want kernel tty ttyUSB0", show(got), err)
	}
	if err := modemtest.RemoveFakeUSB(root, "1-1"); err != nil {
		t.Fatal(err)
	}
	if got, err := modem.Detect(root); !errors.Is(err, modem.ErrNotFound) {
		t.Fatalf("Detect(root) after unplug = %s, %v, want ErrNotFound", show(got), err)
	}
	fakeUSB(t, root, "1-1", amm570, "option", map[int]string{0: "ttyUSB2", 1: "ttyUSB3"})
	if got, err := modem.Detect(root); err != nil || got.KernelTTY != "ttyUSB2" {
		t.Errorf("Detect(root) after replug = %s, %v, want kernel tty ttyUSB2", show(got), err)
	}
}
