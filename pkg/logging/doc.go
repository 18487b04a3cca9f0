// Package logging writes the suite's log lines where an operator finds
// them: syslog (facility daemon, tag = the tool's name, with the pid),
// because pppd starts the hooks with stdio on /dev/null; and stderr when a
// person is watching (a terminal, or --foreground). Warnings and errors
// always reach stderr as well, so a command run by hand never fails
// silently. Under systemd, when stderr is the journal's stream, lines go
// to syslog only, which the journal reads with the tool's name and each
// line's priority (the stream would name them after the program systemd
// started and show each line twice), and to the stream only when syslog
// cannot be opened. A stderr that breaks (a closed pipe or terminal,
// journald restarted) is given up, and lines go on to syslog;
// New handles SIGPIPE, without which Go would kill the tool on its first
// write to a closed fd 2.
//
// Syslog is spoken here, not through log/syslog, which links package net
// into every tool: the local socket (/dev/log, else /var/run/syslog or
// /var/run/log; datagrams, else a stream) gets the lines in the format
// log/syslog and the C library write. A daemon that restarted is
// reconnected once per line; one that stopped reading costs one short
// wait, after which its lines are dropped until it reads again.
package logging
