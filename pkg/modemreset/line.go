package modemreset

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

// resetLine is the module's reset or power line.
type resetLine struct {
	kind string // "led" or "gpio"
	name string // LED name, or GPIO chip
	gpio int    // GPIO line offset
	root string
}

func (l resetLine) String() string {
	if l.kind == "gpio" {
		return fmt.Sprintf("pulse GPIO line %d of /dev/%s for %v", l.gpio, l.name, gpioPulse)
	}
	return fmt.Sprintf("pulse LED %s (oneshot trigger: write to /sys/class/leds/%s/shot)", l.name, l.name)
}

// line finds the line from RESET_LINE, or the first of the model's LEDs
// that the board has.
func (r *resetter) line() (resetLine, error) {
	root := r.target.root
	spec := r.cfg.ResetLine
	switch {
	case strings.EqualFold(spec, "none"):
		return resetLine{}, errSkip("RESET_LINE=none")
	case strings.HasPrefix(spec, "led:"):
		return resetLine{kind: "led", name: spec[len("led:"):], root: root}, nil
	case strings.HasPrefix(spec, "gpio:"):
		chip, off, _ := strings.Cut(spec[len("gpio:"):], ":")
		n, _ := strconv.Atoi(off)
		return resetLine{kind: "gpio", name: chip, gpio: n, root: root}, nil
	}
	for _, name := range r.target.at.Model.ResetLines {
		if _, err := os.Stat(filepath.Join(root, "sys/class/leds", name)); err == nil {
			return resetLine{kind: "led", name: name, root: root}, nil
		}
	}
	if len(r.target.at.Model.ResetLines) == 0 {
		return resetLine{}, errSkip(fmt.Sprintf("no reset line: none is known for %s (set RESET_LINE=led:NAME or gpio:CHIP:LINE)", r.target.name()))
	}
	return resetLine{}, errSkip(fmt.Sprintf("no reset line: none of the LEDs %s exists (set RESET_LINE)",
		strings.Join(r.target.at.Model.ResetLines, ", ")))
}

func (l resetLine) pulse(ctx context.Context) error {
	if l.kind == "gpio" {
		return l.pulseGPIO(ctx)
	}
	dir := filepath.Join(l.root, "sys/class/leds", l.name)
	trig, err := os.ReadFile(filepath.Join(dir, "trigger"))
	if err != nil {
		return fmt.Errorf("LED %s: %w", l.name, err)
	}
	// The selected trigger is the one in brackets: "none [oneshot] timer".
	if !strings.Contains(string(trig), "[oneshot]") {
		if err := os.WriteFile(filepath.Join(dir, "trigger"), []byte("oneshot"), 0); err != nil {
			return fmt.Errorf("LED %s: select the oneshot trigger: %w", l.name, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "shot"), []byte("1"), 0); err != nil {
		return fmt.Errorf("LED %s: shot: %w", l.name, err)
	}
	return nil
}

// gpioPulse is how long a GPIO line is held active: long enough for a
// module's power key, which wants about a second.
const gpioPulse = time.Second

// The GPIO character device's v2 uAPI (linux/gpio.h, Linux 5.10+).
const (
	gpioV2LinesMax       = 64
	gpioV2LineFlagOutput = 1 << 3
	gpioV2LineRequestLen = 592 // struct gpio_v2_line_request
	gpioV2GetLineIoctl   = 0xC0000000 | gpioV2LineRequestLen<<16 | 0xB4<<8 | 0x07
	gpioV2SetValuesIoctl = 0xC0000000 | 16<<16 | 0xB4<<8 | 0x0F
	// Offsets into struct gpio_v2_line_request.
	reqConsumer = 4 * gpioV2LinesMax
	reqFlags    = reqConsumer + 32
	reqNumLines = reqFlags + 272
	reqFD       = reqNumLines + 4 + 4 + 20
)

// gpioLineRequest encodes a request for one output line.
func gpioLineRequest(offset int, consumer string) []byte {
	b := make([]byte, gpioV2LineRequestLen)
	binary.LittleEndian.PutUint32(b[0:], uint32(offset))
	copy(b[reqConsumer:reqConsumer+31], consumer)
	binary.LittleEndian.PutUint64(b[reqFlags:], gpioV2LineFlagOutput)
	binary.LittleEndian.PutUint32(b[reqNumLines:], 1)
	return b
}

func (l resetLine) pulseGPIO(ctx context.Context) error {
	chip, err := os.OpenFile(filepath.Join(l.root, "dev", l.name), os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("GPIO: %w", err)
	}
	defer chip.Close()
	req := gpioLineRequest(l.gpio, "modem_reset")
	if err := ioctl(chip.Fd(), gpioV2GetLineIoctl, unsafe.Pointer(&req[0])); err != nil {
		return fmt.Errorf("GPIO %s line %d: request: %w", l.name, l.gpio, err)
	}
	fd := int(int32(binary.LittleEndian.Uint32(req[reqFD:])))
	line := os.NewFile(uintptr(fd), "gpio-line")
	defer line.Close()
	set := func(v uint64) error {
		vals := [2]uint64{v, 1} // bits, mask
		return ioctl(line.Fd(), gpioV2SetValuesIoctl, unsafe.Pointer(&vals[0]))
	}
	if err := set(1); err != nil {
		return fmt.Errorf("GPIO %s line %d: set: %w", l.name, l.gpio, err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(gpioPulse):
	}
	if err := set(0); err != nil {
		return fmt.Errorf("GPIO %s line %d: release: %w", l.name, l.gpio, err)
	}
	return nil
}

func ioctl(fd uintptr, req uintptr, arg unsafe.Pointer) error {
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg)); errno != 0 {
		return errno
	}
	return nil
}
