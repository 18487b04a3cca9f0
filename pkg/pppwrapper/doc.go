// Package pppwrapper is ppp_wrapper: it runs `pppd call PEER nodetach`, one
// at a time, and keeps the link up by the decisions of package supervise:
// reconnect after HOLDOFF, reset the module through modem_reset after RETRY
// failures (or always, or daily at RESET_AT), back off on authentication
// failures without resetting, wait for the module's tty before dialing,
// write CONNECT_OK=1 once the link has come up.
//
// supervise.Driver runs the loop; this package gives it the system as
// supervise.Effects (system: pppd and modem_reset in process groups of
// their own, modem.Locate for the tty, the pre-dial check of the module
// under pppd's UUCP lock (check.go), gen_pppconfig, the CONNECT_OK
// write-back, the RESET_AT timerfd alarm, state.json, systemd's notify
// socket when there is one) and turns signals into its events (SIGUSR2 link up and SIGUSR1 link dead from ppp_monitor;
// SIGTERM/SIGINT stop). Before the first dial it ends a pppd of ours left
// by a wrapper that died; at the end it stops the monitors left running.
// The state is kept in /run/pppkeep/state.json for `ppp_wrapper --status`,
// and with METRICS_DIR in METRICS_DIR/pppkeep.prom for node_exporter's
// textfile collector (metrics.go: what it says; tally.go: the counts the
// state holds only the latest of).
package pppwrapper
