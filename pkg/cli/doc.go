// Package cli holds the command-line conventions every tool of the suite
// shares (docs/design.md §3): GNU-style flags with pflag on a fresh FlagSet per
// call, --config and --root, --foreground, --version, and a --help that
// lists every flag and the exit codes.
package cli
