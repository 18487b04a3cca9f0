// Package logging writes the suite's log lines where an operator finds
// them: syslog (facility daemon, tag = the tool's name, with the pid),
// because pppd starts the hooks with stdio on /dev/null; and stderr when a
// person is watching (a terminal, or --foreground). Warnings and errors
// always reach stderr as well, so a command run by hand never fails
// silently. Under systemd, when stderr already is the journal, lines go
// there once instead of twice. A stderr that breaks (a closed pipe or
// terminal, journald restarted) is given up, and lines go on to syslog;
// a tool that must survive writing to it handles SIGPIPE (see os/signal),
// or Go kills it on the first write to fd 2.
package logging
