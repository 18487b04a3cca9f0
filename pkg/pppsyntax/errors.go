package pppsyntax

import (
	"errors"
	"fmt"
)

// Sentinel errors, to be matched with errors.Is. Every error of this
// package wraps one of them and adds what was refused and why.
var (
	// ErrUnsafeChar: the value holds a byte that cannot be written so that
	// pppd or chat reads it back literally. A *CharError names the byte.
	ErrUnsafeChar = errors.New("pppsyntax: character cannot be written safely")

	// ErrTooLong: the value is longer than pppd or chat keeps.
	ErrTooLong = errors.New("pppsyntax: value too long")

	// ErrEmpty: an empty value where pppd gives empty a meaning of its own.
	ErrEmpty = errors.New("pppsyntax: empty value")

	// ErrReserved: the value is a word that pppd reads as something other
	// than the literal value (a wildcard, a file to read the secret from).
	ErrReserved = errors.New("pppsyntax: value has a special meaning")

	// ErrSyntax: a parser met text that pppd or chat rejects or only
	// warns about (an unterminated quote, an incomplete secrets entry).
	ErrSyntax = errors.New("pppsyntax: syntax error")
)

// CharError reports the byte that an encoder refused. It matches
// ErrUnsafeChar with errors.Is.
type CharError struct {
	Func   string // the encoder that refused, e.g. "ChatSend"
	Char   byte
	Offset int // byte offset of Char in the value
	Reason string
}

func (e *CharError) Error() string {
	return fmt.Sprintf("pppsyntax: %s: %s at offset %d: %s", e.Func, describeByte(e.Char), e.Offset, e.Reason)
}

func (e *CharError) Unwrap() error { return ErrUnsafeChar }

// describeByte names a byte so that a user can find it in the value even
// when it is invisible.
func describeByte(c byte) string {
	switch {
	case c >= 0x80:
		return fmt.Sprintf("byte 0x%02x", c)
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf("control character %q (0x%02x)", rune(c), c)
	default:
		return fmt.Sprintf("character %q", rune(c))
	}
}
