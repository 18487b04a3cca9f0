// Package config reads and validates /etc/default/ppp, the one file that
// drives the whole suite (SPEC R1), and writes single keys back into it.
//
// Load parses the file with go-envparse one line at a time, so that every
// value keeps the line it came from, checks every key against the table in
// keys.go (the single source of the defaults, the accepted values and the
// README's key table) and returns a typed Config. All bad values are
// reported together, each as "FILE:LINE: KEY=VALUE: what is accepted".
// Keys the suite does not know are kept in the file, returned in
// Config.Unknown and reported as warnings, never as errors.
//
// SetKey writes one key back (CONNECT_OK=1 after the first connection)
// changing only that line, keeping every other byte and the file mode, and
// replacing the file atomically.
package config
