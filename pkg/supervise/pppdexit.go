package supervise

import "fmt"

// Kind is what a session's end means for the supervisor.
type Kind int

const (
	// Failure: the session never came up or ended for a reason that
	// counts toward RETRY.
	Failure Kind = iota
	// AuthFailure: the network refused our credentials: wrong
	// settings, never a reason to reset the module.
	AuthFailure
	// Idle: pppd hung up an idle dial-on-demand link, as configured.
	Idle
	// Fatal: pppd cannot run at all (options, not root, no kernel PPP):
	// retrying changes nothing until someone fixes the system.
	Fatal
)

// Exit is the meaning of one pppd exit status.
type Exit struct {
	Code    int
	Meaning string
	Kind    Kind
}

// pppdExits is pppd's exit status table (pppd(8)).
var pppdExits = map[int]Exit{
	0:  {0, "pppd ended normally", Failure},
	1:  {1, "pppd fatal error", Failure},
	2:  {2, "pppd option error (the peer file has a bad option)", Fatal},
	3:  {3, "pppd is not running as root", Fatal},
	4:  {4, "no PPP support in the kernel", Fatal},
	5:  {5, "pppd was terminated by a signal", Failure},
	6:  {6, "the serial port could not be locked", Failure},
	7:  {7, "the serial port could not be opened", Failure},
	8:  {8, "chat failed (the connect script)", Failure},
	9:  {9, "the pty command failed", Failure},
	10: {10, "PPP negotiation failed", Failure},
	11: {11, "the peer failed to authenticate", Failure},
	12: {12, "idle timeout", Idle},
	13: {13, "connect-time limit reached", Failure},
	14: {14, "callback", Failure},
	15: {15, "the peer stopped answering LCP echo", Failure},
	16: {16, "the modem hung up", Failure},
	17: {17, "serial loopback detected", Failure},
	18: {18, "the init script failed", Failure},
	19: {19, "authentication failed: the network refused our account/password", AuthFailure},
	20: {20, "traffic limit reached", Failure},
	21: {21, "CNID authentication failed", Failure},
}

// ExitMeaning classifies a pppd exit status; -1 means pppd was killed by a
// signal it could not handle.
func ExitMeaning(code int) Exit {
	if e, ok := pppdExits[code]; ok {
		return e
	}
	if code < 0 {
		return Exit{code, "pppd was killed", Failure}
	}
	return Exit{code, fmt.Sprintf("pppd exit status %d (unknown)", code), Failure}
}
