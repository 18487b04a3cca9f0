package modem_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// openPTY makes a pseudo-terminal: the master end plays the module, the
// slave (/dev/pts/N) is the tty the suite opens as the module's AT port.
func openPTY() (master *os.File, slave string, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, "", err
	}
	var unlock int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); errno != 0 {
		master.Close()
		return nil, "", fmt.Errorf("unlock pty: %w", errno)
	}
	var n uint32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, master.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); errno != 0 {
		master.Close()
		return nil, "", fmt.Errorf("pty number: %w", errno)
	}
	return master, fmt.Sprintf("/dev/pts/%d", n), nil
}

// TestIntegrationOpenPTY proves that Open opens a real tty (raw mode, no
// echo or CR/LF translation by the line discipline) and that commands
// round-trip through the kernel.
func TestIntegrationOpenPTY(t *testing.T) {
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("skipping the real-tty test: cannot make a pseudo-terminal from /dev/ptmx: %v", err)
	}
	done := serveScript(t, master, true, []step{
		{expect: "AT", reply: "\r\nOK\r\n"},
		{expect: "AT+CSQ", reply: "\r\n+CSQ: 17,99\r\n\r\nOK\r\n"},
	})
	defer func() {
		master.Close()
		<-done
	}()

	s, err := modem.Open(slave, 460800, modem.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatalf("Open(%s, 460800) = %v", slave, err)
	}
	defer s.Close()
	if info, err := s.Command(context.Background(), "AT"); err != nil || info != nil {
		t.Errorf("Command(AT) = %q, %v, want nil, nil", info, err)
	}
	sig, err := s.Signal(context.Background())
	if want := (modem.Signal{RSSI: 17, BER: 99}); err != nil || sig != want {
		t.Errorf("Signal() = %+v, %v, want %+v, nil", sig, err, want)
	}
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close() = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close() did not return within 5s: the reader is still blocked on the port")
	}
}

// TestIntegrationOpenSetsRawMode reads back the termios that Open set: a
// tty left in cooked mode would echo commands back, turn the module's CR
// into LF and swallow ^C/^Z bytes of a binary reply.
func TestIntegrationOpenSetsRawMode(t *testing.T) {
	master, slave, err := openPTY()
	if err != nil {
		t.Skipf("skipping the real-tty test: cannot make a pseudo-terminal from /dev/ptmx: %v", err)
	}
	defer master.Close()
	s, err := modem.Open(slave, 115200)
	if err != nil {
		t.Fatalf("Open(%s, 115200) = %v", slave, err)
	}
	defer s.Close()
	// A second descriptor of the same tty sees the settings Open made.
	fd, err := unix.Open(slave, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatalf("open %s again: %v", slave, err)
	}
	defer unix.Close(fd)
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		t.Fatalf("TCGETS: %v", err)
	}
	for _, c := range []struct {
		name string
		on   bool
	}{
		{"ECHO", tio.Lflag&unix.ECHO != 0},
		{"ICANON", tio.Lflag&unix.ICANON != 0},
		{"ISIG", tio.Lflag&unix.ISIG != 0},
		{"ICRNL", tio.Iflag&unix.ICRNL != 0},
		{"IXON", tio.Iflag&unix.IXON != 0},
		{"OPOST", tio.Oflag&unix.OPOST != 0},
		{"PARENB", tio.Cflag&unix.PARENB != 0},
	} {
		if c.on {
			t.Errorf("after Open, %s is set, want it off (raw mode)", c.name)
		}
	}
	if tio.Cflag&unix.CSIZE != unix.CS8 || tio.Cflag&unix.CLOCAL == 0 || tio.Cflag&unix.CREAD == 0 {
		t.Errorf("after Open, Cflag = %#o, want CS8|CREAD|CLOCAL", tio.Cflag)
	}
	if tio.Cflag&unix.CBAUD != unix.B115200 {
		t.Errorf("after Open, speed bits = %#o, want B115200 (%#o)", tio.Cflag&unix.CBAUD, unix.B115200)
	}
}

func TestIntegrationOpenRefusesNonTTY(t *testing.T) {
	if _, err := modem.Open("/dev/null", 115200); err == nil || !strings.Contains(err.Error(), "not a tty") {
		t.Errorf("Open(/dev/null) = %v, want a 'not a tty' error", err)
	}
	if _, err := modem.Open("/dev/null", 12345); err == nil || !strings.Contains(err.Error(), "not a standard baud rate") {
		t.Errorf("Open(/dev/null, 12345) = %v, want a baud-rate error", err)
	}
}
