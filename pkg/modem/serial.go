package modem

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Open opens the serial port at path (a tty such as /dev/ttyACM0) at speed
// baud, 8N1 without flow control, and starts a Session on it. Closing the
// session closes the port. USB modems ignore the speed, but a real UART
// needs the right one.
func Open(path string, speed int, opts ...Option) (*Session, error) {
	f, err := openTTY(path, speed)
	if err != nil {
		return nil, &OpError{Op: "open " + path, Err: err}
	}
	return NewSession(f, opts...), nil
}

// openTTY opens path as a raw tty. The file stays non-blocking, so Go's
// poller waits for its input and Close ends a pending Read at once, as a
// Session needs. O_NOCTTY: the module must never become our controlling
// terminal (a hangup would then signal us).
func openTTY(path string, speed int) (*os.File, error) {
	baud, ok := baudRates[speed]
	if !ok {
		return nil, fmt.Errorf("speed %d is not a standard baud rate", speed)
	}
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	if err := makeRaw(fd, baud); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// makeRaw sets 8 data bits, no parity, one stop bit, no flow control, no
// line editing or translation, the receiver on and modem control lines
// ignored (CLOCAL: the port opens before the module raises DCD).
func makeRaw(fd int, baud uint32) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("not a tty: %w", err)
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB | unix.CSTOPB | unix.CRTSCTS | unix.CBAUD
	t.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL | baud
	t.Ispeed, t.Ospeed = baud, baud
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(fd, unix.TCSETS, t)
}

// baudRates are the speeds a Linux tty takes, by their termios constants.
var baudRates = map[int]uint32{
	9600: unix.B9600, 19200: unix.B19200, 38400: unix.B38400, 57600: unix.B57600,
	115200: unix.B115200, 230400: unix.B230400, 460800: unix.B460800, 500000: unix.B500000,
	576000: unix.B576000, 921600: unix.B921600, 1000000: unix.B1000000, 1152000: unix.B1152000,
	1500000: unix.B1500000, 2000000: unix.B2000000, 3000000: unix.B3000000, 4000000: unix.B4000000,
}
