module github.com/pppkeep/pppkeep

go 1.26.0

require (
	github.com/hashicorp/go-envparse v0.1.0
	github.com/rogpeppe/go-internal v1.16.0
	github.com/spf13/pflag v1.1.0
	go.bug.st/serial v1.8.0
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.49.0
)

require golang.org/x/tools v0.26.0 // indirect
