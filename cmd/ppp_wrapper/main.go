// Command ppp_wrapper runs pppd and keeps the PPP link up.
package main

import (
	"os"

	"github.com/pppkeep/pppkeep/pkg/pppwrapper"
)

func main() {
	os.Exit(pppwrapper.Main(os.Args[1:], os.Stdout, os.Stderr))
}
