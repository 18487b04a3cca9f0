// Command gen_pppconfig writes pppd's files from /etc/default/ppp.
package main

import (
	"os"

	"github.com/pppkeep/pppkeep/pkg/genpppconfig"
)

func main() {
	os.Exit(genpppconfig.Main(os.Args[1:], os.Stdout, os.Stderr))
}
