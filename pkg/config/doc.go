// Package config reads and validates /etc/default/ppp, the one file that
// drives the whole suite, and writes single keys back into it.
//
// The vendor's scripts source the file in bash, so Load reads it as bash
// does: plain KEY=VALUE statements, optionally exported, each value
// exactly as bash gives it (bashread.go, with its own small lexer in
// bashlex.go: a shell parser would add hundreds of kilobytes to every
// tool); anything bash would expand or run is refused with its line and a
// safe single-quoted form. Files that cannot be a configuration (a
// directory, too large, a byte-order mark, DOS line endings) are refused
// before they are parsed (filecheck.go). Every key is checked against the table in keys.go (the
// single source of the defaults, the accepted values and the README's key
// table) and a typed Config is returned. All bad values are
// reported together, each as "FILE:LINE: KEY=VALUE: what is accepted".
// Keys the suite does not know are kept in the file, returned in
// Config.Unknown and reported as warnings, never as errors.
//
// SetKey writes one key back (CONNECT_OK=1 after the first connection)
// changing only that value, found as bash reads the file, keeping every other byte and the file mode, and
// replacing the file atomically.
package config
