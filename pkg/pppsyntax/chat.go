package pppsyntax

import (
	"fmt"
	"strings"
)

const (
	// MaxChatTokenLen bounds a token from ChatSend so that an expect
	// token, a space, a send token and the newline always fit in the 1023
	// bytes that chat reads as one line.
	MaxChatTokenLen = 510

	// MaxAbortLen is the longest string chat takes after ABORT,
	// CLR_ABORT, REPORT or CLR_REPORT (its fail_buffer is 50 bytes with
	// the NUL); a longer one makes chat exit with status 1.
	MaxAbortLen = 49
)

// expectKeywords are the tokens that chat_expect compares, unquoted and
// before any escape processing, against its keywords.
var expectKeywords = []string{"ABORT", "CLR_ABORT", "REPORT", "CLR_REPORT", "TIMEOUT", "ECHO", "SAY", "HANGUP"}

// IsExpectKeyword reports whether chat reads tok, in expect position, as a
// keyword that takes the next token as its argument instead of as a
// string to wait for. Quoting does not help: chat compares the token after
// taking the quotes off.
func IsExpectKeyword(tok string) bool {
	for _, k := range expectKeywords {
		if tok == k {
			return true
		}
	}
	return false
}

// ChatSend returns s as one chat token that chat, in send position, sends
// as exactly the bytes of s followed by its usual carriage return.
//
// It is written unquoted where it can be, so AT commands such as
// AT+CGDCONT=1,"IP","CHAP:dream.jp" stay as given: chat takes a quote in
// the middle of an unquoted token literally. A value holding a space is
// put in single quotes. \ ^ and $ are escaped with a backslash (\$ stays
// '$' with and without chat -E), as is a leading # " ' or @ (a comment
// line, a quoted token, a file to send). EOT, BREAK and the expect
// keywords get their first letter written as an octal escape: chat
// compares tokens with its keywords before it processes escapes, so the
// token no longer matches while clean() still turns it into the word.
//
// Control characters are refused, not escaped: a CR or LF inside an AT
// command would end it and start another one chosen by the value. NUL,
// tab and DEL are refused with them. Bytes from 0x80 up are sent as they
// are. A token longer than MaxChatTokenLen is refused.
//
// The token is meant for send position, or as the argument of ABORT,
// REPORT and their CLR_ forms (which chat cleans without sending, with the
// same result for these escapes); not as the argument of SAY, which chat
// writes with the escapes' backslashes doubled.
func ChatSend(s string) (string, error) {
	return chatToken("ChatSend", s)
}

func chatToken(fn, s string) (string, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return "", &CharError{Func: fn, Char: c, Offset: i,
				Reason: "control characters are refused in chat strings: a CR or LF would end the modem command and start another"}
		}
	}
	if s == "" {
		return "''", nil
	}
	keyword := IsExpectKeyword(s) || s == "EOT" || s == "BREAK"
	quoted := strings.IndexByte(s, ' ') >= 0

	var b strings.Builder
	if quoted {
		b.WriteByte('\'')
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case i == 0 && keyword:
			writeOctal(&b, c)
		case c == '\\' || c == '^' || c == '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case i == 0 && (c == '#' || c == '"' || c == '\'' || c == '@'):
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\'' && quoted:
			b.WriteString(`\'`)
		case c >= 0x80:
			i += writeUTF8(&b, s, i)
			continue
		default:
			b.WriteByte(c)
		}
		i++
	}
	if quoted {
		b.WriteByte('\'')
	}
	tok := b.String()
	if len(tok) > MaxChatTokenLen {
		return "", fmt.Errorf("%w: %s: the value needs a token of %d bytes, chat lines leave room for %d", ErrTooLong, fn, len(tok), MaxChatTokenLen)
	}
	return tok, nil
}
