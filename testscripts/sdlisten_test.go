package testscripts

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// sdListen plays systemd's end of the notify protocol: sdlisten SOCKET LOG
// binds a datagram socket at SOCKET and appends every notification to LOG,
// one line per assignment, until SIGTERM or SIGINT.
func sdListen() int {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: sdlisten SOCKET LOG")
		return 2
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err == nil {
		err = unix.Bind(fd, &unix.SockaddrUnix{Name: os.Args[1]})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdlisten:", err)
		return 1
	}
	var mu sync.Mutex // one datagram written at a time
	record := func(flags int) bool {
		b := make([]byte, 4096)
		n, _, err := unix.Recvfrom(fd, b, flags)
		if err != nil {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(os.Args[2], os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintf(f, "%s\n", b[:n])
			f.Close()
		}
		return true
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		// What was sent before the signal is recorded before the exit,
		// so that "nothing was sent" can be read from LOG.
		for record(unix.MSG_DONTWAIT) {
		}
		mu.Lock()
		os.Exit(0)
	}()
	for {
		record(0)
	}
}
