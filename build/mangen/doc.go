// Command mangen builds the suite's man pages: pppkeep(5) from the
// hand-written template man/pppkeep.5.md.in with the key list generated
// from config.Keys (so the page cannot drift from what the tools accept),
// then every Markdown page under man/ to roff with go-md2man.
//
//	go run ./build/mangen -out bin/man
//
// writes bin/man/pppkeep.5.md and bin/man/<name>.<section> for each page;
// `make install` gzips and installs the roff pages.
package main
