// Package supervise holds ppp_wrapper's decisions as a pure state machine
// driven by events: Machine.Handle takes one event (pppd
// exited, the link came up, the monitor found it dead, a timer fired, a
// reset finished, a stop was asked) at a given time and returns the
// actions to carry out (start pppd, terminate it, reset the module, wait
// until a time, write CONNECT_OK, exit). It reads no clock, starts no
// process and sends no signal. Driver carries the actions out through one
// interface, Effects (package pppwrapper implements it on the system), with
// its timers on a Clock, and turns process exits, timers and the tty found
// back into events; it decides nothing. The tests run the real Driver with
// fake effects and a manual clock, so a month of RESET_AT across a DST
// change, or every pppd exit code, is tested in milliseconds.
//
// Two rules keep a broken system from spinning. pppd starts at most once
// every MinDialInterval (1 s): the wait before a redial is HOLDOFF, made
// longer when the last dial was less than a second ago, so HOLDOFF=0 with a
// pppd that fails at once dials once a second, not thousands of times, and
// a session that lasted still redials at once. A pppd that cannot be
// started at all (missing, not executable) ends the wrapper with exit 1, as
// pppd's exits 2-4 do, and never leads to a module reset; a modem_reset
// that cannot be started is tried once, then the link is kept going
// without resets until the wrapper restarts.
//
// RESET_AT is a wall-clock time: when the system clock is set (EvClockSet:
// NTP correcting a router's clock after boot, forward or back) it is
// counted again from the new clock, so a clock set back a day does not
// delay it a day; set far past the armed time, it is re-armed, not fired.
//
// ExitMeaning classifies pppd's exit status with pppd(8)'s table.
package supervise
