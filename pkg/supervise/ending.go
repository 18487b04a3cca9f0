package supervise

// ending is why the machine itself ended the running session; the exit
// that follows is read in its light (a RESET_AT disconnect is no failure).
type ending int

const (
	notEnding    ending = iota // the session was not ended by us
	endedByStop                // SIGTERM/SIGINT: the wrapper stops
	endedResetAt               // the RESET_AT forced disconnect
	endedDead                  // the monitor found the link dead
)
