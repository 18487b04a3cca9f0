package modemtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// tree lists every path under root, with "-> target" for symlinks, "/" after
// directories and "=content" for non-empty files.
func tree(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			got = append(got, rel+" -> "+target)
		case d.IsDir():
			got = append(got, rel+"/")
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if len(b) > 0 {
				rel += "=" + strings.TrimSpace(string(b))
			}
			got = append(got, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

func TestWriteFakeUSB(t *testing.T) {
	const dev = "sys/devices/platform/dummy_hcd.0/usb1/1-1"
	tests := []struct {
		name   string
		id     modem.USBID
		driver string
		ttys   map[int]string
		want   []string
	}{
		{
			name: "cdc_acm", id: modem.USBID{Vendor: 0x1546, Product: 0x1102}, driver: "cdc_acm",
			ttys: map[int]string{0: "ttyACM0", 2: ""},
			want: []string{
				"dev/",
				"dev/ttyACM0",
				"sys/",
				"sys/bus/",
				"sys/bus/usb/",
				"sys/bus/usb/devices/",
				"sys/bus/usb/devices/1-1 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1",
				"sys/bus/usb/devices/1-1:1.0 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0",
				"sys/bus/usb/devices/1-1:1.2 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.2",
				"sys/devices/",
				"sys/devices/platform/",
				"sys/devices/platform/dummy_hcd.0/",
				"sys/devices/platform/dummy_hcd.0/usb1/",
				dev + "/",
				dev + "/1-1:1.0/",
				dev + "/1-1:1.0/bInterfaceNumber=00",
				dev + "/1-1:1.0/tty/",
				dev + "/1-1:1.0/tty/ttyACM0/",
				dev + "/1-1:1.2/",
				dev + "/1-1:1.2/bInterfaceNumber=02",
				dev + "/authorized=1",
				dev + "/idProduct=1102",
				dev + "/idVendor=1546",
			},
		},
		{
			name: "option", id: modem.USBID{Vendor: 0x1ecb, Product: 0x0208}, driver: "option",
			ttys: map[int]string{11: "ttyUSB3"},
			want: []string{
				"dev/",
				"dev/ttyUSB3",
				"sys/",
				"sys/bus/",
				"sys/bus/usb/",
				"sys/bus/usb/devices/",
				"sys/bus/usb/devices/1-1 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1",
				"sys/bus/usb/devices/1-1:1.11 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.11",
				"sys/devices/",
				"sys/devices/platform/",
				"sys/devices/platform/dummy_hcd.0/",
				"sys/devices/platform/dummy_hcd.0/usb1/",
				dev + "/",
				dev + "/1-1:1.11/",
				dev + "/1-1:1.11/bInterfaceNumber=0b",
				dev + "/1-1:1.11/ttyUSB3/",
				dev + "/authorized=1",
				dev + "/idProduct=0208",
				dev + "/idVendor=1ecb",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := WriteFakeUSB(root, "1-1", tt.id, tt.driver, tt.ttys); err != nil {
				t.Fatalf("WriteFakeUSB(root, 1-1, …) = %v, want <nil>", err)
			}
			if got := tree(t, root); !slices.Equal(got, tt.want) {
				t.Errorf("WriteFakeUSB(root, 1-1, …) made\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// Writing the same device again is a replug: the old ttys are gone.
func TestWriteFakeUSBReplaces(t *testing.T) {
	root := t.TempDir()
	id := modem.USBID{Vendor: 0x1ecb, Product: 0x0208}
	other := modem.USBID{Vendor: 0x0403, Product: 0x6001}
	for _, w := range []struct {
		dev  string
		id   modem.USBID
		ttys map[int]string
	}{
		{"1-1", id, map[int]string{0: "ttyUSB0", 1: "ttyUSB1"}},
		{"1-10", other, map[int]string{0: "ttyUSB9"}}, // shares the "1-1" prefix
		{"1-1", id, map[int]string{0: "ttyUSB2"}},
	} {
		if err := WriteFakeUSB(root, w.dev, w.id, "option", w.ttys); err != nil {
			t.Fatalf("WriteFakeUSB(root, %s, …) = %v, want <nil>", w.dev, err)
		}
	}
	var got []string
	for _, p := range tree(t, root) {
		if strings.HasPrefix(p, "dev/tty") || strings.HasPrefix(p, "sys/bus/usb/devices/1") {
			got = append(got, p)
		}
	}
	want := []string{
		"dev/ttyUSB2",
		"dev/ttyUSB9",
		"sys/bus/usb/devices/1-1 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1",
		"sys/bus/usb/devices/1-10 -> ../../../devices/platform/dummy_hcd.0/usb1/1-10",
		"sys/bus/usb/devices/1-10:1.0 -> ../../../devices/platform/dummy_hcd.0/usb1/1-10/1-10:1.0",
		"sys/bus/usb/devices/1-1:1.0 -> ../../../devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("WriteFakeUSB twice for 1-1 left\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	if err := RemoveFakeUSB(root, "1-1"); err != nil {
		t.Fatalf("RemoveFakeUSB(root, 1-1) = %v, want <nil>", err)
	}
	got = nil
	for _, p := range tree(t, root) {
		if strings.HasPrefix(p, "dev/tty") || strings.Contains(p, "1-1") {
			got = append(got, p)
		}
	}
	want = []string{
		"dev/ttyUSB9",
		"sys/bus/usb/devices/1-10 -> ../../../devices/platform/dummy_hcd.0/usb1/1-10",
		"sys/bus/usb/devices/1-10:1.0 -> ../../../devices/platform/dummy_hcd.0/usb1/1-10/1-10:1.0",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/1-10:1.0/",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/1-10:1.0/bInterfaceNumber=00",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/1-10:1.0/ttyUSB9/",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/authorized=1",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/idProduct=6001",
		"sys/devices/platform/dummy_hcd.0/usb1/1-10/idVendor=0403",
	}
	if !slices.Equal(got, want) {
		t.Errorf("RemoveFakeUSB(root, 1-1) left\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestWriteFakeUSBRefusesBadNames(t *testing.T) {
	id := modem.USBID{Vendor: 0x1546, Product: 0x1102}
	for _, tt := range []struct {
		dev  string
		ttys map[int]string
	}{
		{"usb1", nil},
		{"1-1:1.0", nil},
		{"../1-1", nil},
		{"1-1", map[int]string{0: "../etc/passwd"}},
		{"1-1", map[int]string{256: "ttyACM0"}},
	} {
		root := t.TempDir()
		if err := WriteFakeUSB(root, tt.dev, id, "cdc_acm", tt.ttys); err == nil {
			t.Errorf("WriteFakeUSB(root, %q, …, %v) = <nil>, want an error", tt.dev, tt.ttys)
		}
		if got := tree(t, root); len(got) != 0 {
			t.Errorf("WriteFakeUSB(root, %q, …, %v) wrote %q, want nothing", tt.dev, tt.ttys, got)
		}
	}
}

// WriteFakeUSBSysfs makes the same sysfs tree as WriteFakeUSB and nothing
// under dev, and detection finds the module in it.
func TestWriteFakeUSBSysfs(t *testing.T) {
	id := modem.USBID{Vendor: 0x1546, Product: 0x1102}
	ttys := map[int]string{0: "ttyACM0"}
	full, sysOnly := t.TempDir(), t.TempDir()
	if err := WriteFakeUSB(full, "1-1", id, "cdc_acm", ttys); err != nil {
		t.Fatal(err)
	}
	if err := WriteFakeUSBSysfs(sysOnly, "1-1", id, "cdc_acm", ttys); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range tree(t, full) {
		if !strings.HasPrefix(p, "dev/tty") {
			want = append(want, p)
		}
	}
	if got := tree(t, sysOnly); !slices.Equal(got, want) {
		t.Errorf("WriteFakeUSBSysfs made\n%s\nwant WriteFakeUSB's tree without dev/tty*:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := modem.Detect(sysOnly); err != nil {
		t.Errorf("modem.Detect on WriteFakeUSBSysfs's tree = %v, want the LISA-U200", err)
	}
}
