package exitcode

const (
	OK       = 0  // success
	Failure  = 1  // runtime failure
	Usage    = 2  // bad command line
	NotReady = 3  // timed out / not ready (modem_reset)
	Config   = 78 // bad configuration (sysexits EX_CONFIG); ppp.service does not restart on it
)

// Help is the exit-code paragraph every tool's --help ends with.
const Help = `Exit status:
  0   success
  1   runtime failure
  2   usage error
  3   timed out or not ready (modem_reset)
  78  configuration error (systemd does not restart the service for it)
`
