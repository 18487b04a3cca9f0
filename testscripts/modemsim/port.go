package modemsim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"unsafe"
)

// port is the line the module talks on: the master side of a pseudo-terminal
// whose slave the clients open, or a tty given to the simulator.
type port struct {
	rw    *os.File // pty master, or the given tty
	keep  *os.File // the pty slave, held open so that the master never hangs up
	slave string   // /dev/pts/N; the given tty's path otherwise
	watch *openers // nil for a given tty

	writeMu sync.Mutex // one reply or data chunk at a time
}

// openPTY opens a new pseudo-terminal with its slave in raw mode.
func openPTY() (_ *port, err error) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("modemsim: open pty: %w", err)
	}
	defer func() {
		if err != nil {
			master.Close()
		}
	}()
	var n uint32
	if err := ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(new(int32))); err != nil {
		return nil, fmt.Errorf("modemsim: unlock pty: %w", err)
	}
	if err := ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		return nil, fmt.Errorf("modemsim: pty number: %w", err)
	}
	p := &port{rw: master, slave: "/dev/pts/" + strconv.FormatUint(uint64(n), 10)}
	if p.keep, err = openRaw(p.slave); err != nil {
		return nil, err
	}
	if p.watch, err = watchOpeners(p.slave, p.keep); err != nil {
		p.keep.Close()
		return nil, err
	}
	return p, nil
}

// openTTY opens a tty given to the simulator (a USB gadget's ttyGS0).
func openTTY(path string) (*port, error) {
	f, err := openRaw(path)
	if err != nil {
		return nil, err
	}
	return &port{rw: f, slave: path}, nil
}

// openRaw opens a tty and puts it in raw mode: no echo, no line editing, no
// CR/NL translation, 8 bits.
func openRaw(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("modemsim: %w", err)
	}
	var t syscall.Termios
	if err := ioctl(f, syscall.TCGETS, unsafe.Pointer(&t)); err != nil {
		f.Close()
		return nil, fmt.Errorf("modemsim: %s: get termios: %w", path, err)
	}
	t.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	t.Oflag &^= syscall.OPOST
	t.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	t.Cflag &^= syscall.CSIZE | syscall.PARENB
	t.Cflag |= syscall.CS8 | syscall.CREAD | syscall.CLOCAL
	t.Cc[syscall.VMIN], t.Cc[syscall.VTIME] = 1, 0
	if err := ioctl(f, syscall.TCSETS, unsafe.Pointer(&t)); err != nil {
		f.Close()
		return nil, fmt.Errorf("modemsim: %s: set raw mode: %w", path, err)
	}
	return f, nil
}

func ioctl(f *os.File, req uint, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(req), uintptr(arg))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}

// write sends b to the client. Like a real USB modem's host tty, the pty
// drops what arrives while no client has it open, so a client never reads
// replies meant for the one before it.
func (p *port) write(b []byte) {
	if len(b) == 0 {
		return
	}
	if p.watch != nil && p.watch.nobody() {
		return
	}
	p.writeMu.Lock()
	_, _ = p.rw.Write(b)
	p.writeMu.Unlock()
	if p.watch != nil {
		p.watch.settle()
	}
}

// close makes the tty disappear; a pending read or write returns.
func (p *port) close() {
	p.rw.Close()
	if p.keep != nil {
		p.keep.Close()
	}
	if p.watch != nil {
		p.watch.f.Close()
	}
}

// openers follows who has the pty slave open, from inotify's open and close
// events. Our own keep-alive descriptor, opened before the watch, is not
// seen.
type openers struct {
	f      *os.File // inotify instance
	keep   *os.File
	slave  string
	keepFd int

	mu    sync.Mutex
	n     int  // clients that have the slave open, as counted from the events
	empty bool // no client has the slave open
	buf   []byte
}

func watchOpeners(slave string, keep *os.File) (*openers, error) {
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("modemsim: inotify: %w", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, slave, syscall.IN_OPEN|syscall.IN_CLOSE); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("modemsim: watch %s: %w", slave, err)
	}
	w := &openers{f: os.NewFile(uintptr(fd), "inotify"), keep: keep, slave: slave, empty: true,
		buf: make([]byte, 4096), keepFd: -1}
	if rc, err := keep.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { w.keepFd = int(fd) })
	}
	return w, nil
}

// run follows the events until the watch is closed, so that a client's
// unread data is discarded when it closes even while the module is silent.
func (w *openers) run() {
	rc, err := w.f.SyscallConn()
	if err != nil {
		return
	}
	for {
		err := rc.Read(func(fd uintptr) bool {
			w.mu.Lock()
			defer w.mu.Unlock()
			return w.drainLocked(int(fd))
		})
		if err != nil {
			return
		}
	}
}

// nobody reports whether no client has the slave open.
func (w *openers) nobody() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.drain() {
		return true
	}
	return w.empty
}

// settle discards a write that raced with the last client's close.
func (w *openers) settle() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.drain() || w.empty {
		w.flush()
	}
}

// drain reads the pending events; false when the watch is closed.
func (w *openers) drain() bool {
	rc, err := w.f.SyscallConn()
	if err != nil {
		return false
	}
	return rc.Control(func(fd uintptr) { w.drainLocked(int(fd)) }) == nil
}

// drainLocked reads and applies the queued events; it reports whether
// there were any. The kernel merges identical events in a row, so a count
// that may be off is checked against /proc, after the flush: a client that
// opens the tty right after another closed it must find it empty.
func (w *openers) drainLocked(fd int) bool {
	any := false
	for {
		n, err := syscall.Read(fd, w.buf)
		if err != nil || n < syscall.SizeofInotifyEvent {
			return any
		}
		any = true
		var masks []uint32
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&w.buf[off]))
			masks = append(masks, ev.Mask)
			off += syscall.SizeofInotifyEvent + int(ev.Len)
		}
		for i, m := range masks {
			switch {
			case m&syscall.IN_OPEN != 0:
				w.n++
				w.empty = false
			case m&(syscall.IN_CLOSE|syscall.IN_Q_OVERFLOW) != 0:
				if w.n > 0 {
					w.n--
				}
				if w.n == 0 {
					w.flush()
					w.empty = true
				}
				if opensAfter(masks[i+1:]) {
					continue
				}
				switch others := w.othersOpen(); {
				case others && w.n == 0: // merged opens
					w.n, w.empty = 1, false
				case !others && w.n > 0: // merged closes
					w.n, w.empty = 0, true
					w.flush()
				}
			}
		}
	}
}

func opensAfter(masks []uint32) bool {
	for _, m := range masks {
		if m&syscall.IN_OPEN != 0 {
			return true
		}
	}
	return false
}

// othersOpen reports whether any process but our keep-alive descriptor has
// the slave open.
func (w *openers) othersOpen() bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	self := os.Getpid()
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		dir := filepath.Join("/proc", p.Name(), "fd")
		fds, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			if l, err := os.Readlink(filepath.Join(dir, fd.Name())); err != nil || l != w.slave {
				continue
			}
			if pid == self && fd.Name() == strconv.Itoa(w.keepFd) {
				continue
			}
			return true
		}
	}
	return false
}

// flush discards what the module sent and no client read, by reading it
// through the keep-alive descriptor.
func (w *openers) flush() {
	rc, err := w.keep.SyscallConn()
	if err != nil {
		return
	}
	buf := make([]byte, 4096)
	_ = rc.Read(func(fd uintptr) bool {
		for {
			n, err := syscall.Read(int(fd), buf)
			if n <= 0 || err != nil {
				return !errors.Is(err, syscall.EINTR)
			}
		}
	})
}
