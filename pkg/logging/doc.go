// Package logging writes the suite's log lines where an operator finds
// them: syslog (facility daemon, tag = the tool's name, with the pid),
// because pppd starts the hooks with stdio on /dev/null; and stderr when a
// person is watching (a terminal, or --foreground). Warnings and errors
// always reach stderr as well, so a command run by hand never fails
// silently. Under systemd, when stderr already is the journal, lines go
// there once instead of twice.
package logging
