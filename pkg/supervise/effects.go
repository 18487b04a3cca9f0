package supervise

import (
	"time"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// Effects is everything the Driver does to the world outside the
// machine. ppp_wrapper's implementation runs real programs; the tests'
// records calls and plays pppd and modem_reset in simulated time.
type Effects interface {
	// StartPPPD starts `pppd call PEER nodetach`, with tty after it when
	// not empty. exited is called once, from any goroutine, with pppd's
	// exit status (-1 when killed by a signal). The error says why pppd
	// could not be started and what to fix, in one line.
	StartPPPD(tty string, exited func(code int)) (Process, error)
	// StartReset runs modem_reset; why is for the log. exited gets its
	// exit status and the last reset step it carried out (runstate's
	// words: at, usb, power, or none).
	StartReset(why string, exited func(code int, step string)) (Process, error)
	// LookUpTTY says where the module's AT tty is now (present false:
	// not there) and whether the configuration fixes its name.
	LookUpTTY() (tty string, fixed, present bool)
	// Check asks the module on tty how it is (the pre-dial check), in a
	// few seconds at most, and calls done once with the result, from any
	// goroutine.
	Check(tty string, done func(Check))
	// Regenerate brings the generated peer file and chat script up to
	// date (the tty the module has now, CONNECT_OK).
	Regenerate()
	// WriteConnectOK writes CONNECT_OK=1 to the configuration, and
	// CONNECT_OK_ICCID=iccid (the SIM it is for) when iccid is known.
	WriteConnectOK(iccid string)
	// ClearConnectOK writes CONNECT_OK=0 and an empty CONNECT_OK_ICCID:
	// another SIM is in.
	ClearConnectOK()
	// ArmDaily sets the wall-clock alarm: EvDaily at at, EvClockSet
	// whenever the system clock is set.
	ArmDaily(at time.Time)
	// SaveState writes state.json.
	SaveState(s runstate.State)
	Log(level Level, text string)
	// StopMonitors ends the ppp_monitor instances left when the wrapper
	// stops.
	StopMonitors()
	// Ready says the loop runs (systemd's READY=1 under Type=notify).
	Ready()
	// Watchdog says the loop is alive (WATCHDOG=1); the driver calls it
	// from the loop itself, so a wedged loop stops calling it.
	Watchdog()
}

// Process is a child the driver owns: pppd or modem_reset.
type Process interface {
	Pid() int
	Running() bool
	// Terminate sends SIGTERM to the process itself (pppd ends the link
	// cleanly and kills its own children).
	Terminate()
	// Kill ends its whole process group at once.
	Kill()
	// Stop is Terminate, then Kill if it is still there after grace; it
	// reports whether the kill was needed.
	Stop(grace time.Duration) (killed bool)
	// Wait waits until the process ended or d passed.
	Wait(d time.Duration) bool
}

// Clock is the time the driver reads and its timers.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f, in its own goroutine, after d.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface{ Stop() bool }

// SystemClock is the real clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

func (SystemClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }
