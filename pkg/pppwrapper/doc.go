// Package pppwrapper is ppp_wrapper: it runs `pppd call PEER nodetach`, one
// at a time, and carries out the decisions of package supervise: reconnect
// after HOLDOFF, reset the module through modem_reset after RETRY failures
// (or always, or daily at RESET_AT), back off on authentication failures
// without resetting, wait for the module's tty before dialing, write
// CONNECT_OK=1 once the link has come up.
//
// Events come in as signals (SIGUSR2 link up and SIGUSR1 link dead from
// ppp_monitor; SIGTERM/SIGINT stop), process exits (pppd, modem_reset) and
// timers; every one goes through supervise.Machine.Handle. The state is
// kept in /run/pppkeep/state.json for `ppp_wrapper --status`.
package pppwrapper
