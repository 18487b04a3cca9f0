package runstate

import "testing"

func TestLastResetStep(t *testing.T) {
	for _, tc := range []struct{ report, want string }{
		{"", NoResetStep},
		{"at\n", "at"},
		{"at\nusb\n", "usb"},
		{"at\nusb\npower\n", "power"},
		{"usb\nbogus\n", "usb"}, // a word it does not know is no step
		{"auto\n", NoResetStep},
	} {
		if got := LastResetStep(tc.report); got != tc.want {
			t.Errorf("LastResetStep(%q) = %q, want %q", tc.report, got, tc.want)
		}
	}
}
