package modem

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout is the per-command timeout of a Session made without
// WithTimeout.
const DefaultTimeout = 5 * time.Second

// urcBuffer is how many unsolicited lines URCs holds before it drops the
// oldest.
const urcBuffer = 64

// maxLine bounds a line; a longer run of bytes without a line end (noise
// on the port, data after CONNECT) is cut into pieces of this size.
const maxLine = 4096

// OpError is the error of a Session: the operation (the command as sent,
// with secrets hidden, or "open PATH", "close") and what went wrong.
type OpError struct {
	Op  string
	Err error
}

func (e *OpError) Error() string { return "modem: " + e.Op + ": " + e.Err.Error() }

func (e *OpError) Unwrap() error { return e.Err }

// Session owns the AT command port of a module. One goroutine reads lines
// from the port and hands each to the command in progress or, when it is
// unsolicited, to URCs; commands are sent one at a time.
//
// A Session must be closed; Close also closes the port.
type Session struct {
	rw      io.ReadWriter
	timeout time.Duration
	logf    func(dir, line string)
	logMu   sync.Mutex

	sem     chan struct{} // held by the command in progress
	writes  chan writeJob // to the writer goroutine
	urcs    chan string
	closing chan struct{} // closed by Close
	done    chan struct{} // closed when the reader has stopped

	closeOnce sync.Once
	closeErr  error

	mu      sync.Mutex
	req     *request // the command waiting for its final result
	stale   *request // a command given up on whose final result is owed
	online  bool     // CONNECT was the last result: the port carries data
	readErr error    // why the reader stopped
}

// request is one command waiting for its reply.
type request struct {
	cmd      string
	prefixes []string // information lines that answer cmd ("+CREG:")
	info     []string
	echoed   bool
	// resynced: a final result was dropped as the owed reply of a stale
	// command while this one waited.
	resynced bool
	done     chan reply // buffered: the reader never blocks on it
}

type reply struct {
	info   []string
	result Result
	line   string
}

type writeJob struct {
	b    []byte
	log  string
	errc chan error // buffered
}

// An Option configures a Session.
type Option func(*Session)

// WithTimeout sets how long a command may wait for its final result when
// the caller's context has no earlier deadline (default DefaultTimeout).
// The time spent waiting for an earlier command does not count. A d of 0
// or less leaves the deadline to the context alone.
func WithTimeout(d time.Duration) Option {
	return func(s *Session) { s.timeout = d }
}

// WithLog has f called with every line the session sends (dir ">"),
// receives as a reply (dir "<") or passes on as unsolicited (dir "!"), for
// debug logs. Arguments of commands that carry PINs or passwords are hidden.
// Calls are serialised; f must not call the Session.
func WithLog(f func(dir, line string)) Option {
	return func(s *Session) { s.logf = f }
}

// NewSession starts a session on rw, which it owns from now on: Close
// closes rw when it is an io.Closer, and that Close must make a pending Read
// return (as it does for io.Pipe, ttys and go.bug.st/serial ports). It is
// primarily useful for tests; programs use Open.
func NewSession(rw io.ReadWriter, opts ...Option) *Session {
	s := &Session{
		rw:      rw,
		timeout: DefaultTimeout,
		sem:     make(chan struct{}, 1),
		writes:  make(chan writeJob),
		urcs:    make(chan string, urcBuffer),
		closing: make(chan struct{}),
		done:    make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	go s.readLoop()
	go s.writeLoop()
	return s
}

// Close stops the session: a Command in progress returns ErrClosed, and the
// port is closed.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		close(s.closing)
		if c, ok := s.rw.(io.Closer); ok {
			if err := c.Close(); err != nil {
				s.closeErr = &OpError{Op: "close", Err: err}
			}
			<-s.done
		}
	})
	return s.closeErr
}

// Command sends cmd (without the trailing "\r", which it adds) and waits
// for the module's final result. It returns the information lines of the
// reply, without the echo of cmd and without unsolicited result codes,
// which go to URCs.
//
// OK and CONNECT (the answer of a dial, ATD…) are success; ERROR,
// +CME ERROR, +CMS ERROR, NO CARRIER, BUSY, NO ANSWER and NO DIALTONE are
// returned as ErrError, *CMEError, *CMSError, ErrNoCarrier, ErrBusy,
// ErrNoAnswer and ErrNoDialtone, wrapped in an *OpError naming the command.
// A command that gets no final result in time fails with ErrTimeout; one
// whose context is cancelled fails at once with the context's error.
//
// A command that timed out or was cancelled after it was sent still owes a
// final result. The session drops the next final result that arrives before
// the echo of a later command, so that a late reply is not taken as the
// answer to the next command. If the module never answers the abandoned
// command and echo is off, the next command loses its own final result to
// this rule and times out; the session then counts the two as settled, so
// the one after it is answered normally.
//
// After a CONNECT the port carries data, not lines: until the module says
// NO CARRIER (which goes to URCs) the session drops what it reads while no
// command is in progress. Since the reader goes on reading, the data is lost
// to anyone else: a session is for command mode, and the suite leaves the
// dialling for PPP to pppd's chat.
//
// Concurrent calls are served one after the other.
func (s *Session) Command(ctx context.Context, cmd string) ([]string, error) {
	op := redact(cmd)
	if err := checkCommand(cmd); err != nil {
		return nil, &OpError{Op: fmt.Sprintf("%q", op), Err: err}
	}
	select {
	case <-s.closing:
		return nil, &OpError{Op: op, Err: ErrClosed}
	default:
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &OpError{Op: op, Err: contextError(ctx)}
	case <-s.closing:
		return nil, &OpError{Op: op, Err: ErrClosed}
	case <-s.done:
		return nil, &OpError{Op: op, Err: s.stoppedError()}
	}
	defer func() { <-s.sem }()
	if ctx.Err() != nil {
		// select picks at random among ready cases: do not send a command
		// whose caller has already given up.
		return nil, &OpError{Op: op, Err: contextError(ctx)}
	}

	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}

	req := &request{cmd: cmd, prefixes: responsePrefixes(cmd), done: make(chan reply, 1)}
	s.mu.Lock()
	s.req = req
	s.mu.Unlock()

	job := writeJob{b: []byte(cmd + "\r"), log: op, errc: make(chan error, 1)}
	select {
	case s.writes <- job:
	case <-ctx.Done():
		s.abandon(req, false)
		return nil, &OpError{Op: op, Err: contextError(ctx)}
	case <-s.closing:
		return nil, &OpError{Op: op, Err: ErrClosed}
	case <-s.done:
		return nil, &OpError{Op: op, Err: s.stoppedError()}
	}

	errc := job.errc
	for {
		select {
		case rep := <-req.done:
			return finish(op, rep)
		case err := <-errc:
			if err == nil {
				errc = nil // sent; wait for the reply
				continue
			}
			s.abandon(req, false)
			return nil, &OpError{Op: op, Err: err}
		case <-ctx.Done():
			if rep, ok := s.abandon(req, true); ok {
				return finish(op, rep)
			}
			return nil, &OpError{Op: op, Err: contextError(ctx)}
		case <-s.closing:
			return s.lastChance(op, req, ErrClosed)
		case <-s.done:
			return s.lastChance(op, req, s.stoppedError())
		}
	}
}

// lastChance returns the reply of req if the reader delivered it before it
// stopped, else err.
func (s *Session) lastChance(op string, req *request, err error) ([]string, error) {
	select {
	case rep := <-req.done:
		return finish(op, rep)
	default:
		return nil, &OpError{Op: op, Err: err}
	}
}

// abandon withdraws req. When its reply arrived meanwhile, abandon returns
// it instead. A command that was sent (owed) becomes the stale command whose
// late final result the reader drops.
func (s *Session) abandon(req *request, owed bool) (reply, bool) {
	s.mu.Lock()
	if s.req != req {
		s.mu.Unlock()
		// The reader has taken the final result and is about to deliver it.
		return <-req.done, true
	}
	defer s.mu.Unlock()
	s.req = nil
	switch {
	case !owed:
	case req.resynced:
		// The final result dropped while req waited was most likely its
		// own (the stale command was never answered): nothing is owed.
		s.stale = nil
	default:
		s.stale = req
	}
	return reply{}, false
}

func finish(op string, rep reply) ([]string, error) {
	if err := resultError(rep.result, rep.line); err != nil {
		return rep.info, &OpError{Op: op, Err: err}
	}
	return rep.info, nil
}

func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimeout
	}
	return context.Cause(ctx)
}

// stoppedError says why the reader stopped on its own.
func (s *Session) stoppedError() error {
	select {
	case <-s.closing:
		return ErrClosed
	default:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readErr == nil {
		return fmt.Errorf("%w: %w", ErrClosed, io.EOF)
	}
	return fmt.Errorf("%w: %w", ErrClosed, s.readErr)
}

func checkCommand(cmd string) error {
	if cmd == "" {
		return errors.New("empty command")
	}
	for _, c := range []byte(cmd) {
		// A CR would end the command early and start another one with
		// whatever follows; ^Z and ESC end or cancel SMS text.
		if c < 0x20 || c == 0x7f {
			return errors.New("command contains a control character")
		}
	}
	return nil
}

func (s *Session) log(dir, line string) {
	if s.logf == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.logf(dir, line)
}

func (s *Session) writeLoop() {
	for {
		select {
		case job := <-s.writes:
			s.log(">", job.log)
			_, err := s.rw.Write(job.b)
			job.errc <- err
		case <-s.closing:
			return
		}
	}
}

func (s *Session) readLoop() {
	defer close(s.urcs)
	defer close(s.done)
	sc := bufio.NewScanner(s.rw)
	sc.Buffer(make([]byte, maxLine), maxLine)
	sc.Split(splitLines)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		r, deliver := s.route(line)
		switch r {
		case routeURC:
			s.log("!", line)
			s.pushURC(line)
		case routeEcho:
			s.log("<", redact(line))
		case routeData:
			// Bytes of a data call are not lines; leave them out of the log.
		default:
			s.log("<", line)
		}
		if deliver != nil {
			// After the log, so that the final result is logged before
			// the caller goes on.
			deliver()
		}
	}
	s.mu.Lock()
	s.readErr = sc.Err()
	s.mu.Unlock()
}

// pushURC queues line, dropping the oldest queued line when the buffer is
// full: the reader must never wait for a consumer.
func (s *Session) pushURC(line string) {
	for {
		select {
		case s.urcs <- line:
			return
		default:
		}
		select {
		case <-s.urcs:
		default:
		}
	}
}

type route int

const (
	routeReply route = iota // part of the reply of the command in progress
	routeEcho               // the echo of the command in progress
	routeURC                // to URCs
	routeDrop               // the late reply of an abandoned command, or a result for no command
	routeData               // received during a data call
)

// route decides where line goes. For the final result of the command in
// progress it withdraws the command and returns deliver, which hands over
// the reply.
func (s *Session) route(line string) (r route, deliver func()) {
	res := Classify(line)
	s.mu.Lock()
	defer s.mu.Unlock()
	req, stale := s.req, s.stale

	if req == nil {
		switch {
		case s.online:
			if res == ResultNoCarrier {
				s.online = false
				return routeURC, nil
			}
			return routeData, nil
		case stale != nil && res.Final():
			s.stale = nil
			return routeDrop, nil
		case stale != nil:
			if isURC(line) && !stale.answers(line) {
				return routeURC, nil
			}
			return routeDrop, nil
		case res == ResultOK, res == ResultError, res == ResultCMEError, res == ResultCMSError:
			return routeDrop, nil
		}
		return routeURC, nil
	}

	if !req.echoed && line == strings.TrimSpace(req.cmd) {
		req.echoed = true
		if stale != nil {
			// The module has taken up this command: whatever of the
			// abandoned one has not come yet never will.
			s.stale = nil
			req.info = nil
		}
		return routeEcho, nil
	}
	if isURC(line) && !req.answers(line) && (stale == nil || !stale.answers(line)) {
		return routeURC, nil
	}
	if !res.Final() {
		req.info = append(req.info, line)
		return routeReply, nil
	}
	if stale != nil {
		s.stale = nil
		req.info = nil
		req.resynced = true
		return routeDrop, nil
	}
	rep := reply{info: req.info, result: res, line: line}
	s.req = nil
	s.online = res == ResultConnect
	return routeReply, func() { req.done <- rep }
}

// answers reports whether line is an information line of the reply to r's
// command, for lines that could also be unsolicited.
func (r *request) answers(line string) bool {
	for _, p := range r.prefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// urcPrefixes start the unsolicited result codes of 27.007, 27.005 and of
// the module makers ("^" Huawei, "+UU" u-blox). A line with one of these is
// still the reply when it answers the command in progress ("+CREG: 0,1" to
// AT+CREG?).
var urcPrefixes = []string{
	"+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:",
	"RING", "+CRING:", "+CLIP:", "+CCWA:",
	"+CMTI:", "+CMT:", "+CDS:", "+CDSI:", "+CBM:", "+CBMI:", "+CUSD:",
	"+CIEV:", "+CGEV:", "+CTZV:", "+CTZE:", "+CTZEU:",
	"+UU", "^",
}

func isURC(line string) bool {
	for _, p := range urcPrefixes {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// responsePrefixes lists the prefixes of the information lines that answer
// cmd: "AT+CREG?" → "+CREG:"; "AT+CREG?;+CGREG?" → "+CREG:", "+CGREG:";
// "AT^SYSINFO" → "^SYSINFO:". Basic commands (ATI, ATD…) have none.
func responsePrefixes(cmd string) []string {
	if len(cmd) < 2 || !strings.EqualFold(cmd[:2], "AT") {
		return nil
	}
	var ps []string
	for part := range strings.SplitSeq(cmd[2:], ";") {
		part = strings.TrimSpace(part)
		if part == "" || !strings.ContainsRune("+^#$%", rune(part[0])) {
			continue
		}
		name := part
		if i := strings.IndexAny(part, "=?"); i >= 0 {
			name = part[:i]
		}
		if len(name) > 1 {
			ps = append(ps, strings.ToUpper(name)+":")
		}
	}
	return ps
}

// secretCommands take PINs, passwords or account secrets as arguments.
var secretCommands = []string{
	"+CPIN", "+CPIN2", "+CPWD", "+CLCK", "+CGAUTH", "+UAUTHREQ", "^AUTHDATA", "$QCPDPP", "+QICSGP",
}

// redact hides the arguments of commands that carry secrets, so that a
// command can go into an error or a log line: AT+CPIN="1234" → AT+CPIN=***.
func redact(cmd string) string {
	if len(cmd) < 2 || !strings.EqualFold(cmd[:2], "AT") {
		return cmd
	}
	off := 2
	for part := range strings.SplitSeq(cmd[2:], ";") {
		if eq := strings.IndexByte(part, '='); eq >= 0 {
			name := strings.ToUpper(strings.TrimSpace(part[:eq]))
			if slices.Contains(secretCommands, name) {
				return cmd[:off+eq+1] + "***"
			}
		}
		off += len(part) + 1
	}
	return cmd
}

// splitLines is a bufio.SplitFunc for AT lines: a line ends at "\r\n",
// "\r" or "\n"; runs of line ends (empty lines) are skipped.
func splitLines(data []byte, atEOF bool) (advance int, token []byte, err error) {
	start := 0
	for start < len(data) && (data[start] == '\r' || data[start] == '\n') {
		start++
	}
	if i := bytes.IndexAny(data[start:], "\r\n"); i >= 0 {
		return start + i + 1, data[start : start+i], nil
	}
	if start < len(data) && (atEOF || len(data) >= maxLine) {
		return len(data), data[start:], nil
	}
	return start, nil, nil
}
