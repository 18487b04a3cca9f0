package modem

import (
	"go.bug.st/serial"
)

// Open opens the serial port at path (a tty such as /dev/ttyACM0) at speed
// baud, 8N1 without flow control, and starts a Session on it. Closing the
// session closes the port. USB modems ignore the speed, but a real UART
// needs the right one.
func Open(path string, speed int, opts ...Option) (*Session, error) {
	port, err := serial.Open(path, &serial.Mode{BaudRate: speed, DataBits: 8})
	if err != nil {
		return nil, &OpError{Op: "open " + path, Err: err}
	}
	return NewSession(port, opts...), nil
}
