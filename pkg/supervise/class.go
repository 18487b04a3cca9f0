package supervise

// Class is what failed, as far as the wrapper can tell without reading
// pppd's log: it decides the cure.
type Class int

const (
	ClassNone Class = iota // not a failure (idle hang-up, RESET_AT, a stop)
	// ClassModule: the module did not answer AT, chat failed (exit 8), the
	// tty could not be locked or opened (6, 7), the init script failed
	// (18), or pppd died without saying why. Counts toward RETRY; then a
	// reset, as the vendor's scripts do.
	ClassModule
	// ClassSIM: no SIM, or it wants a PIN or PUK. Never a reset (it cures
	// neither), never a PIN guessed: a slow re-check.
	ClassSIM
	// ClassNetwork: the network's verdict: registration denied, or chat
	// reached CONNECT and the call ended before the link came up (pppd
	// 10, 16, 19 and the like). Back off; a reset only as a last resort
	// within the reset budget, never for exit 19.
	ClassNetwork
	// ClassLink: the link was up, then died (the monitor's SIGUSR1, a
	// hang-up after link up). Counts toward RETRY, in its own count that a
	// link up for StableLink clears.
	ClassLink
)

var classNames = [...]string{"none", "module", "SIM", "network", "link"}

func (c Class) String() string {
	if c >= 0 && int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// networkExits are the pppd exit statuses that, before the link came up,
// mean the module answered and dialed and the network ended the call:
// chat had reached CONNECT (a chat failure is 8).
var networkExits = map[int]bool{
	0:  true, // pppd ended as if normally, yet no link came up
	10: true, // PPP negotiation failed
	11: true, // the peer failed to authenticate
	13: true, // connect-time limit
	15: true, // LCP echo unanswered
	16: true, // the modem hung up: how real networks report most refusals
	17: true, // loopback: the network echoed our frames
	19: true, // authentication failed
	20: true, // traffic limit
	21: true, // CNID authentication failed
}

// classOf is the class of a session that ended with e, by the machine's
// own knowledge: whether the link came up, and why the machine ended it.
func classOf(e Exit, linkUp bool, why ending) Class {
	switch {
	case why == endedResetAt || e.Kind == Idle:
		return ClassNone
	case why == endedDead || linkUp:
		return ClassLink
	case networkExits[e.Code]:
		return ClassNetwork
	}
	return ClassModule
}
