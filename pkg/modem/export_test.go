package modem

import "fmt"

// URCs delivers what the session kept out of replies as unsolicited: the
// known unsolicited result codes ("+CREG: 1", "RING", "^MODE:…") that are
// not the reply to the command in progress, and the lines that arrive while
// no command is in progress ("NO CARRIER" after a data call, "RDY" after a
// restart), except OK and ERROR results, which answer no one, and the late
// reply of an abandoned command. When the buffer is full the oldest line is
// dropped. The channel is closed when the session's reader stops. No tool
// reads them; the tests do, to see each line routed where it belongs.
func (s *Session) URCs() <-chan string { return s.urcs }

// FindTTY is findTTY for the external tests, with the error as Locate
// words it.
func FindTTY(root, usbDevice string, m Model) (string, error) {
	tty, err := findTTY(root, usbDevice, m)
	if err != nil {
		return "", fmt.Errorf("modem: find tty: %s: %w", usbDevice, err)
	}
	return tty, nil
}
