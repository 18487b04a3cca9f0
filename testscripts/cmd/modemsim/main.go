// Command modemsim plays a 3G/4G module on a pseudo-terminal for the VM
// tests and the demo; it is not installed with the suite.
package main

import (
	"os"

	"github.com/pppkeep/pppkeep/testscripts/modemsim"
)

func main() {
	os.Exit(modemsim.Main(os.Args[1:], os.Stdout, os.Stderr))
}
