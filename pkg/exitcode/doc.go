// Package exitcode holds the exit statuses every tool of the suite uses
// (docs/design.md §3), so that systemd units, hooks and scripts can rely on them.
package exitcode
