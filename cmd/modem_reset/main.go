// Command modem_reset resets the 3G/4G module, cheapest way first.
package main

import (
	"os"

	"github.com/pppkeep/pppkeep/pkg/modemreset"
)

func main() {
	os.Exit(modemreset.Main(os.Args[1:], os.Stdout, os.Stderr))
}
