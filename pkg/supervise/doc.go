// Package supervise holds ppp_wrapper's decisions as a pure state machine
// (DESIGN.md "Supervision rules"): Machine.Handle takes one event (pppd
// exited, the link came up, the monitor found it dead, a timer fired, a
// reset finished, a stop was asked) at a given time and returns the
// actions to carry out (start pppd, terminate it, reset the module, wait
// until a time, write CONNECT_OK, exit). It reads no clock, starts no
// process and sends no signal, so a month of RESET_AT across a DST change,
// or every pppd exit code, is tested in milliseconds; package pppwrapper
// carries the actions out.
//
// ExitMeaning classifies pppd's exit status with the table of REFERENCE.md.
package supervise
