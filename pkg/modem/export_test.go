package modem

import "fmt"

// FindTTY is findTTY for the external tests, with the error as Locate
// words it.
func FindTTY(root, usbDevice string, m Model) (string, error) {
	tty, err := findTTY(root, usbDevice, m)
	if err != nil {
		return "", fmt.Errorf("modem: find tty: %s: %w", usbDevice, err)
	}
	return tty, nil
}
