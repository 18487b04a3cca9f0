package logging

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// Logger writes one line per call. It is safe for concurrent use.
type Logger struct {
	tag    string
	mu     sync.Mutex
	sys    *syslogConn // nil without a system logger
	stderr io.Writer
	all    bool // every line to stderr, not only warnings and errors
	// When stderr breaks, open syslog (New's loggers, not Discard's).
	fallback bool
}

// New returns a logger for the tool named tag. foreground sends every
// line to stderr too.
func New(tag string, stderr io.Writer, foreground bool) *Logger {
	surviveClosedStderr.Do(handleSIGPIPE)
	l := &Logger{tag: tag, stderr: stderr, all: foreground || isTerminal(stderr), fallback: true}
	if isJournal(stderr) {
		// Under systemd the journal reads syslog too, and there a line
		// keeps the tool's name and its priority; on the stream it
		// would be named after the program systemd ran (sh, for an
		// ExecCondition= line) and carry neither. So syslog only; the
		// stream takes every line only when syslog cannot be opened.
		if w, err := dialSyslog(tag); err == nil {
			l.sys = w
			l.stderr = nil
		} else {
			l.all = true
		}
		return l
	}
	if w, err := dialSyslog(tag); err == nil {
		l.sys = w
	}
	return l
}

// Discard returns a logger that writes to w only (for tests and helpers).
func Discard(tag string, w io.Writer) *Logger {
	return &Logger{tag: tag, stderr: w, all: true}
}

// Infof logs a normal event.
func (l *Logger) Infof(format string, args ...any) { l.log(sevInfo, "", format, args...) }

// Warnf logs something the operator should look at.
func (l *Logger) Warnf(format string, args ...any) {
	l.log(sevWarning, "warning: ", format, args...)
}

// Errorf logs a failure.
func (l *Logger) Errorf(format string, args ...any) {
	l.log(sevErr, "error: ", format, args...)
}

func (l *Logger) log(sev severity, level, format string, args ...any) {
	msg := strings.TrimRight(fmt.Sprintf(format, args...), "\n")
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stderr != nil && (l.all || sev != sevInfo) {
		var b strings.Builder
		for _, line := range strings.Split(msg, "\n") {
			fmt.Fprintf(&b, "%s: %s%s\n", l.tag, level, line)
		}
		if _, err := io.WriteString(l.stderr, b.String()); err != nil {
			l.stderrBroke()
		}
	}
	if l.sys != nil {
		l.sys.send(sev, msg) // a line syslog cannot take is dropped
	}
}

// stderrBroke stops writing to a stderr that failed (a closed pipe or
// terminal, the journal gone): from then on every line goes to syslog,
// opened now if stderr was the journal.
func (l *Logger) stderrBroke() {
	l.stderr = nil
	if l.sys == nil && l.fallback {
		if w, err := dialSyslog(l.tag); err == nil {
			l.sys = w
		}
	}
}

// Close releases the syslog connection.
func (l *Logger) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sys != nil {
		l.sys.close()
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

// isJournal reports whether w is the stream systemd connected to the
// journal: JOURNAL_STREAM holds its device and inode.
func isJournal(w io.Writer) bool {
	f, ok := w.(*os.File)
	js := os.Getenv("JOURNAL_STREAM")
	if !ok || js == "" {
		return false
	}
	dev, ino, found := strings.Cut(js, ":")
	if !found {
		return false
	}
	var st syscall.Stat_t
	if syscall.Fstat(int(f.Fd()), &st) != nil {
		return false
	}
	return strconv.FormatUint(st.Dev, 10) == dev && strconv.FormatUint(st.Ino, 10) == ino
}

// surviveClosedStderr: a closed stderr (the terminal gone, a reader of a
// pipe that quit, the journal restarted) must not end a tool. Go kills a
// program that writes to a broken pipe on fd 1 or 2 unless it handles
// SIGPIPE; handled, the write fails with EPIPE and the logger goes on
// without stderr. Handling it rather than ignoring it lets the children
// (pppd, modem_reset) start with SIGPIPE at its default, as always.
var surviveClosedStderr sync.Once

func handleSIGPIPE() { signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE) }
