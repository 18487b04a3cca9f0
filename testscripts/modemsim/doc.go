// Package modemsim simulates a 3G/4G module, so that the suite's tools can
// be tested against a modem without hardware.
//
// A Sim serves the module on a new pseudo-terminal, or on a tty it is given
// (the gadget side of a USB device in a VM). With Config.Root it shows the
// module as a real system would under that root: a fake sysfs USB device
// of the model (modemtest.WriteFakeUSBSysfs), Root/dev/ttyACM0 (or ttyUSB0) as
// a symlink to the pty slave (made only once the pty is ready), and the model's reset lines as LEDs with the
// oneshot trigger under Root/sys/class/leds.
//
// The module speaks enough AT for the chat scripts of gen_pppconfig and for
// modem_reset: echo (on by default), identity, PDP contexts, operator and
// radio selection, registration (CREG/CGREG/CEREG, after Config.RegDelay),
// signal, and the packet data dial, which answers CONNECT and carries the
// byte stream to Config.DataCommand until it exits (NO CARRIER; a
// Terminate-Request of the host's that the command left unanswered is
// acknowledged first, as the module's own PPP endpoint would). Lines that
// do not start with AT are ignored, as real modules ignore them. Replies
// reach only a client that has the tty open, like on a real USB tty: what
// a client left unread is discarded when it closes.
//
// It resets like a real module: on its AT reset command
// (modem.Model.ResetCommand), on a USB re-enumeration (writing 0 then 1 to
// the fake device's authorized file) and on a pulse of a reset line (a write
// to an LED's shot file). A reset module's tty disappears and comes back
// after the reset delay, possibly under the next kernel name.
//
// Faults are switched while it runs, through Sim.Do or a unix control
// socket (Config.Control, Control, and "modemsim ctl"): a hung module, NO
// CARRIER, refused registration, a call that carries nothing, a network
// whose LCP Terminate-Ack is lost, a module that
// comes back renamed, resets that do not cure, unplug and replug. And the
// failures a real network shows:
//
//   - sim absent|pin|puk|ready: AT+CPIN? answers +CME ERROR: 10 (ERROR,
//     the number or the text, as AT+CMEE says), SIM PIN, SIM PUK or
//     READY; without a ready SIM the module does not register (stat 0),
//     refuses AT+CIMI and AT+CGDCONT= and every dial, and still answers
//     AT+CSQ; ready again, it registers after the registration delay.
//   - reg home|roaming|denied|searching [SECONDS]: +CREG?, +CGREG? and
//     +CEREG? report stat 1, 5, 3 or 2; a timed search ends home; a dial
//     connects only home or roaming. The module has no unsolicited
//     result codes, so a change is seen only by asking.
//   - regdelay SECONDS: the registration delay (Config.RegDelay) from now on.
//   - callend after-connect on|off: the network ends each call right
//     after CONNECT: at the host's first bytes (its LCP Configure-Request)
//     or 5 s after CONNECT, NO CARRIER, then the line hangs up, so
//     that the host's pppd reports a modem hangup (exit 16), as real
//     networks report refusals. The module is not reset: a pty is replaced
//     by a new one under the same Root/dev name; a given tty is closed and
//     opened again, which an ACM gadget shows its USB host as carrier loss.
//
// Stats counts commands, flash writes, resets, dials, calls, refused
// dials, dropped calls and AT+CPIN? queries, and shows the knobs.
//
// Use it in a test:
//
//	s, err := modemsim.New(modemsim.Config{Model: m, Root: root, DataCommand: []string{"cat"}})
//	…
//	go s.Run(ctx)
//	<-s.Ready()
//	tty := s.TTYPath() // root/dev/ttyACM0
//
// Main is the modemsim command ("modemsim serve", "modemsim ctl"), for
// testscript and the VM tests.
package modemsim
