// Package version holds the suite's version, stamped by the Makefile:
// go build -ldflags "-X github.com/pppkeep/pppkeep/pkg/version.Version=…".
package version
