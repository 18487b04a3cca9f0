// Package modem knows the 3G/4G modules of the suite, finds them on the USB
// bus and talks AT commands to them.
//
// # Models
//
// The model table (Models, ByName, ByAlias, ByUSB) holds what is known of
// each module of docs/vendor-behaviour.md §R1.4: USB ids, driver and AT
// interface, serial speed, reset command and reset lines, radio modes, the
// command that reads the ICCID, and whether it keeps settings in flash. A
// field left at its zero value is not known; callers refuse or ask the
// configuration rather than guess.
//
// # Detection
//
// Detect scans a root's sys/bus/usb/devices for a known module and finds its
// AT tty (the interface the model table names, else the lowest with a
// tty), preferring the vendor's udev alias (ttyLISA0) when it exists. It
// takes a root directory, so tests run on a fake sysfs (package modemtest).
//
// Locate resolves a DEVICE value (AUTO, a model, a tty) to a Location whose
// Kind is the policy its callers follow: Fixed (a name the configuration
// gives; never looked up again), LookAgain (a name from sysfs; look it up
// before each use) or NotThere (absent now; wait, it may be enumerating).
// Its only error is ErrBadDevice, a configuration error.
//
// # AT commands
//
// A Session owns a module's AT port. Open opens a tty raw (termios through
// x/sys/unix); NewSession takes any io.ReadWriter, primarily for tests. One
// goroutine reads the port line by line; Command sends one command at a time
// and returns its information lines, while unsolicited result codes
// ("+CREG: 1", "RING") are kept out of the replies:
//
//	s, err := modem.Open("/dev/ttyACM0", 460800)
//	if err != nil {
//		return err
//	}
//	defer s.Close()
//	if _, err := s.Command(ctx, "AT"); err != nil {
//		return err // "modem: AT: timed out"
//	}
//	reg, err := s.Registration(ctx)
//
// Classify tells final result codes from other lines. Errors are *OpError
// values naming the command and wrapping a sentinel (ErrError, ErrTimeout,
// ErrNoCarrier, …) or a *CMEError; compare them with errors.Is and
// errors.As. Identify, Signal, Registration, Operator and SIM parse the
// usual 27.007 queries; ICCID reads the SIM's serial number with the
// model's command or the makers' usual ones. Registration tells the read
// command's reply from unsolicited lines of the same domain mixed into it,
// and Registration.Data says which state matters for a data call.
//
// The session sends only the commands it is given: it neither resets the
// module (ATZ) nor changes echo or error reporting; a caller that wants
// numeric +CME ERROR codes sends AT+CMEE=1 itself. Result codes must be
// verbose (ATV1, the default).
//
// # Pre-dial check
//
// CheckHealth asks a module, before a dial, whether it answers, whether its
// SIM is ready, how it is registered, its signal, operator and ICCID. It
// stops at the first thing that makes dialling pointless (no answer, no
// usable SIM) and on a timeout; a query the module refuses only leaves its
// field empty. It changes nothing on the module and never sends a PIN.
// Health.Summary is its log line:
//
//	h := modem.CheckHealth(ctx, s, model)
//	log.Print(h.Summary()) // SIM ready, registered, home (CGREG), signal -83 dBm, operator "NTT DOCOMO"
//	if h.SIM != modem.SIMReady || !h.Reg.Data().Registered() {
//		// wait, or reset the module, rather than dial
//	}
//
// # Locking the tty
//
// LockTTY takes the UUCP lock file that pppd takes with its lock option
// (/var/lock/LCK..ttyACM0 holding the pid as "%10d\n"), so that pppd, or
// another program that honours the lock, does not open the tty while the
// suite talks to the module, and so that the suite leaves alone a tty pppd
// holds (a *BusyError). A stale lock (dead process, no pid) is taken over.
// Release the lock before starting pppd on the same tty.
package modem
