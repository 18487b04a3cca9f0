package modem

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Result is the kind of a line a module sends: a final result code, which
// ends the reply to a command, or ResultNone for every other line.
type Result int

// Final result codes (ITU-T V.250 and 3GPP TS 27.007 verbose forms).
const (
	ResultNone Result = iota // not a final result: information, echo or URC
	ResultOK
	ResultError
	ResultCMEError
	ResultCMSError
	ResultConnect
	ResultNoCarrier
	ResultBusy
	ResultNoAnswer
	ResultNoDialtone
)

var resultNames = [...]string{
	ResultNone:       "none",
	ResultOK:         "OK",
	ResultError:      "ERROR",
	ResultCMEError:   "+CME ERROR",
	ResultCMSError:   "+CMS ERROR",
	ResultConnect:    "CONNECT",
	ResultNoCarrier:  "NO CARRIER",
	ResultBusy:       "BUSY",
	ResultNoAnswer:   "NO ANSWER",
	ResultNoDialtone: "NO DIALTONE",
}

func (r Result) String() string {
	if r >= 0 && int(r) < len(resultNames) {
		return resultNames[r]
	}
	return "Result(" + strconv.Itoa(int(r)) + ")"
}

// Final reports whether r ends the reply to a command.
func (r Result) Final() bool { return r != ResultNone }

// Classify tells whether line is a final result code and which one. It
// expects verbose result codes (ATV1, the default); surrounding white space
// is ignored, case is not (modules send these in capitals).
func Classify(line string) Result {
	line = strings.TrimSpace(line)
	switch line {
	case "OK":
		return ResultOK
	case "ERROR":
		return ResultError
	case "NO CARRIER":
		return ResultNoCarrier
	case "BUSY":
		return ResultBusy
	case "NO ANSWER":
		return ResultNoAnswer
	case "NO DIALTONE", "NO DIAL TONE":
		return ResultNoDialtone
	case "CONNECT":
		return ResultConnect
	}
	switch {
	case strings.HasPrefix(line, "+CME ERROR:"):
		return ResultCMEError
	case strings.HasPrefix(line, "+CMS ERROR:"):
		return ResultCMSError
	case strings.HasPrefix(line, "CONNECT "): // "CONNECT 460800", "CONNECT 9600/ARQ"
		return ResultConnect
	}
	return ResultNone
}

// Sentinel errors, wrapped in an *OpError naming the command; compare them
// with errors.Is.
var (
	// ErrError: the module answered ERROR. A *CMEError or *CMSError also
	// matches ErrError, so that "the module refused the command" is one
	// test.
	ErrError      = errors.New("ERROR")
	ErrNoCarrier  = errors.New("NO CARRIER")
	ErrBusy       = errors.New("BUSY")
	ErrNoAnswer   = errors.New("NO ANSWER")
	ErrNoDialtone = errors.New("NO DIALTONE")
	// ErrTimeout: no final result came before the command's deadline. It
	// also matches context.DeadlineExceeded.
	ErrTimeout error = timeoutError{}
	// ErrClosed: the session was closed, or its port stopped delivering
	// data (the module was unplugged), before the command completed.
	ErrClosed = errors.New("session closed")
)

type timeoutError struct{}

func (timeoutError) Error() string { return "timed out" }
func (timeoutError) Timeout() bool { return true }
func (timeoutError) Unwrap() error { return context.DeadlineExceeded }

// CMEError is a "+CME ERROR: <err>" result (27.007 §9.2): a mobile
// equipment error, such as a missing SIM.
type CMEError struct {
	// Code is the numeric error code, or -1 when the module gave text
	// (AT+CMEE=2).
	Code int
	// Text is the module's text, empty when it gave a number.
	Text string
}

func (e *CMEError) Error() string { return formatCodeError("+CME ERROR", e.Code, e.Text, cmeText) }

// Is makes a CMEError match ErrError.
func (e *CMEError) Is(target error) bool { return target == ErrError }

// CMSError is a "+CMS ERROR: <err>" result (27.005 §3.2.5), a message
// service error.
type CMSError struct {
	// Code is the numeric error code, or -1 when the module gave text.
	Code int
	Text string
}

func (e *CMSError) Error() string { return formatCodeError("+CMS ERROR", e.Code, e.Text, nil) }

// Is makes a CMSError match ErrError.
func (e *CMSError) Is(target error) bool { return target == ErrError }

func formatCodeError(prefix string, code int, text string, names map[int]string) string {
	if code < 0 {
		return prefix + ": " + text
	}
	if name, ok := names[code]; ok {
		return fmt.Sprintf("%s: %d (%s)", prefix, code, name)
	}
	return fmt.Sprintf("%s: %d", prefix, code)
}

// cmeText names the +CME ERROR codes of 27.007 §9.2 that a PPP router meets,
// so that a log line says "SIM not inserted" and not only "10".
var cmeText = map[int]string{
	0:   "phone failure",
	3:   "operation not allowed",
	4:   "operation not supported",
	5:   "PH-SIM PIN required",
	10:  "SIM not inserted",
	11:  "SIM PIN required",
	12:  "SIM PUK required",
	13:  "SIM failure",
	14:  "SIM busy",
	15:  "SIM wrong",
	16:  "incorrect password",
	17:  "SIM PIN2 required",
	18:  "SIM PUK2 required",
	30:  "no network service",
	31:  "network timeout",
	32:  "network not allowed - emergency calls only",
	100: "unknown",
	103: "illegal MS",
	106: "illegal ME",
	107: "GPRS services not allowed",
	111: "PLMN not allowed",
	112: "location area not allowed",
	113: "roaming not allowed in this location area",
	132: "service option not supported",
	133: "requested service option not subscribed",
	134: "service option temporarily out of order",
	148: "unspecified GPRS error",
	149: "PDP authentication failure",
}

// resultError turns the final result line into the error it stands for, or
// nil for a success (OK, CONNECT).
func resultError(r Result, line string) error {
	switch r {
	case ResultOK, ResultConnect, ResultNone:
		return nil
	case ResultError:
		return ErrError
	case ResultCMEError:
		code, text := parseCodeError(line, "+CME ERROR:")
		return &CMEError{Code: code, Text: text}
	case ResultCMSError:
		code, text := parseCodeError(line, "+CMS ERROR:")
		return &CMSError{Code: code, Text: text}
	case ResultNoCarrier:
		return ErrNoCarrier
	case ResultBusy:
		return ErrBusy
	case ResultNoAnswer:
		return ErrNoAnswer
	case ResultNoDialtone:
		return ErrNoDialtone
	}
	return fmt.Errorf("unexpected result %q", line)
}

func parseCodeError(line, prefix string) (code int, text string) {
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), prefix))
	if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
		return n, ""
	}
	return -1, rest
}
