// Package sdnotify speaks systemd's service notification protocol
// (sd_notify(3)) for ppp_wrapper under Type=notify: newline-separated
// KEY=VALUE assignments ("READY=1", "STATUS=up 3h12m, session 5",
// "WATCHDOG=1") sent as one datagram to the AF_UNIX socket that
// $NOTIFY_SOCKET names (a path, or "@name" for the abstract namespace).
// Without NOTIFY_SOCKET (Upstart, a run by hand) there is no Notifier and
// nothing is sent.
//
// It is written on x/sys/unix rather than with go-systemd's daemon
// package, which links package net: about 330 KB on arm, and ppp_wrapper
// must stay under 3 MB.
package sdnotify
