// Command ppp_monitor watches a live PPP link with ICMP echo and drops it
// when the network stops answering.
package main

import (
	"os"

	"github.com/pppkeep/pppkeep/pkg/pppmonitor"
)

func main() {
	os.Exit(pppmonitor.Main(os.Args[1:], os.Stdout, os.Stderr))
}
