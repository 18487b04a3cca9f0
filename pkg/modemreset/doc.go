// Package modemreset is modem_reset: a graded reset of the 3G/4G module,
// cheapest first:
//
//  1. the model's AT reset command (AT+CFUN=16 on a LISA-U200);
//  2. USB re-enumeration: "0" then "1" into the device's sysfs authorized
//     file, or the USBDEVFS_RESET ioctl where that file cannot be written;
//  3. a pulse on the module's reset or power line: a sysfs LED with the
//     oneshot trigger (the vendor's boards) or a GPIO line.
//
// Each step runs only when the previous one did not bring the module back.
// "Back" means: its tty exists again (perhaps under a new name), it answers
// AT with OK, and it is registered. RESET_WAIT bounds the wait after each
// step; the wait ends as soon as the module is back, so a module that
// returns in 2 s costs 2 s, not RESET_WAIT. RESET_WAIT=0 leaves no time to
// see a step fail: the first step that can be carried out runs alone and
// modem_reset exits 0 without waiting. A module that answers but does
// not register is alive: a harder reset would not bring the network, so
// modem_reset stops there with exit 3.
package modemreset
