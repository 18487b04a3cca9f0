// Package modemtest builds fake sysfs and /dev entries of USB modems under a
// root directory, for tests of code that finds modems with modem.Detect or
// modem.Locate and takes a --root.
//
// The fakes have the real kernel's layout: the device directory lives under
// sys/devices, sys/bus/usb/devices holds relative symlinks to it and to its
// interfaces, and each tty sits where its driver puts it. A test can
// therefore replug a module under another tty name (WriteFakeUSB again) or
// unplug it (RemoveFakeUSB) and see what the real system would show.
package modemtest
