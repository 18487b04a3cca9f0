package modemreset

import (
	"encoding/binary"
	"testing"
)

// The request must match struct gpio_v2_line_request of linux/gpio.h: a
// wrong layout would drive another line than the one configured.
func TestGPIOLineRequestLayout(t *testing.T) {
	b := gpioLineRequest(17, "modem_reset")
	if len(b) != 592 {
		t.Fatalf("len(request) = %d, want 592 (sizeof struct gpio_v2_line_request)", len(b))
	}
	if got := binary.LittleEndian.Uint32(b[0:]); got != 17 {
		t.Errorf("offsets[0] = %d, want 17", got)
	}
	if got := string(b[256 : 256+11]); got != "modem_reset" {
		t.Errorf("consumer = %q, want modem_reset", got)
	}
	if got := binary.LittleEndian.Uint64(b[288:]); got != 1<<3 {
		t.Errorf("config.flags = %#x, want GPIO_V2_LINE_FLAG_OUTPUT", got)
	}
	if got := binary.LittleEndian.Uint32(b[560:]); got != 1 {
		t.Errorf("num_lines = %d, want 1", got)
	}
	if reqFD != 588 {
		t.Errorf("offset of fd = %d, want 588", reqFD)
	}
	if gpioV2GetLineIoctl != 0xC250B407 {
		t.Errorf("GPIO_V2_GET_LINE_IOCTL = %#x, want 0xc250b407", gpioV2GetLineIoctl)
	}
}
