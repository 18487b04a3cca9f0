package pppsyntax

import (
	"fmt"
	"strings"
)

const (
	// chatReadMax is what one fgets of chat's do_file takes: STR_LEN
	// (1024) bytes less the NUL, newline included. A longer line is read
	// as several lines, the later ones starting mid-token.
	chatReadMax = 1023

	// MaxChatTokenLen bounds a token from ChatSend or ChatExpect so that
	// an expect token, a space, a send token and the newline always fit
	// in the 1023 bytes that chat reads as one line.
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
	return chatToken("ChatSend", s, false)
}

// ChatExpect returns s as one chat token that chat, in expect position,
// waits for as exactly the bytes of s: never a keyword, never split into
// sub-expect and sub-send strings at '-'. It escapes as ChatSend does, and
// also every '-'.
//
// Besides what ChatSend refuses, it refuses bytes from 0x80 up: chat reads
// the modem's bytes with the top bit cleared, so such a string could never
// match and chat would wait until its TIMEOUT.
func ChatExpect(s string) (string, error) {
	return chatToken("ChatExpect", s, true)
}

func chatToken(fn, s string, expect bool) (string, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 || c == 0x7f:
			return "", &CharError{Func: fn, Char: c, Offset: i,
				Reason: "control characters are refused in chat strings: a CR or LF would end the modem command and start another"}
		case c >= 0x80 && expect:
			return "", &CharError{Func: fn, Char: c, Offset: i,
				Reason: "chat clears the top bit of every byte it reads, so an expect string with this byte never matches"}
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
		case c == '-' && expect:
			b.WriteString(`\-`)
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

// ChatToken is one token of a chat script as chat reads it: quotes taken
// off, backslash escapes still in (clean() handles those later).
type ChatToken struct {
	Text string
	Line int // 1-based line of the file the token is on
}

// ReadChatScript splits a chat script into tokens the way chat -f does
// (do_file in chat/chat.c): the file is read in lines of at most 1023
// bytes (fgets into STR_LEN), a longer line going on as a new read; a read
// that starts with '#' is a comment, and a '#' anywhere else is an
// ordinary character; only space and tab separate tokens (a CR stays in
// the token); a token is quoted only when it starts with " or ', the
// quote ending at the same character not escaped by a backslash, and
// whatever follows a closing quote starts the next token; a NUL byte ends
// the line. Tokens alternate between expect and send across lines.
//
// An unterminated quote is an error, as it is for chat, which exits there.
func ReadChatScript(text string) ([]ChatToken, error) {
	var toks []ChatToken
	line := 1
	for pos := 0; pos < len(text); {
		end := min(pos+chatReadMax, len(text))
		if nl := strings.IndexByte(text[pos:end], '\n'); nl >= 0 {
			end = pos + nl + 1
		}
		chunk := text[pos:end]
		pos = end
		chunkLine := line
		if strings.HasSuffix(chunk, "\n") {
			line++
		}
		// chat cuts the line at its newline with strchr, which stops at
		// a NUL first; either way the rest is never tokenised.
		if k := strings.IndexAny(chunk, "\x00\n"); k >= 0 {
			chunk = chunk[:k]
		}
		if strings.HasPrefix(chunk, "#") {
			continue
		}
		for i := 0; i < len(chunk); {
			c := chunk[i]
			if c == ' ' || c == '\t' {
				i++
				continue
			}
			var arg string
			if c == '"' || c == '\'' {
				i++
				start := i
				for {
					if i >= len(chunk) {
						return toks, fmt.Errorf("%w: line %d: unterminated quote, chat exits with status 1", ErrSyntax, chunkLine)
					}
					if chunk[i] == c {
						break
					}
					if chunk[i] == '\\' && i+1 < len(chunk) {
						i++
					}
					i++
				}
				arg = chunk[start:i]
				i++ // chat overwrites the closing quote with the token's NUL
			} else {
				start := i
				for i < len(chunk) && chunk[i] != ' ' && chunk[i] != '\t' {
					i++
				}
				arg = chunk[start:i]
				if i < len(chunk) {
					i++
				}
			}
			toks = append(toks, ChatToken{Text: arg, Line: chunkLine})
		}
	}
	return toks, nil
}

// CleanSend returns what chat sends for a send token: the bytes its
// clean() and put_string() write before the carriage return that chat
// appends, and noCR true when a final \c leaves that carriage return out.
// EOT and BREAK are replaced first, as chat_send does.
//
// It assumes chat runs without -E, -T and -U, as our connect line does.
// \d, \p and \K are a delay, a pause and a break, not bytes, so they do not
// appear in out. A token starting with @ is sent from a file by chat (see
// SendsFile); CleanSend does not read files and cleans the token as it is.
func CleanSend(tok string) (out string, noCR bool) {
	switch tok {
	case "EOT":
		tok = `^D\c`
	case "BREAK":
		tok = `\K\c`
	}
	p, addReturn := clean(tok, true)
	return string(putString(p)), !addReturn
}

// CleanExpect returns the bytes chat waits for when it cleans an expect
// string (one of ExpectParts), or takes the argument of ABORT, REPORT and
// their CLR_ forms (clean() with sending 0, again without -E, -T and -U).
func CleanExpect(tok string) string {
	p, _ := clean(tok, false)
	if k := strings.IndexByte(string(p), 0); k >= 0 {
		p = p[:k]
	}
	return string(p)
}

// ExpectParts splits an expect token at each '-' not escaped by a
// backslash, as chat's expect_strtok does: the parts are the string to
// wait for, then alternately a string to send if the wait timed out and
// the next string to wait for. An empty token has no parts: chat then
// waits for nothing.
func ExpectParts(tok string) []string {
	if k := strings.IndexByte(tok, 0); k >= 0 {
		tok = tok[:k]
	}
	var parts []string
	for tok != "" {
		end, next := len(tok), len(tok)
		for i := 0; i < len(tok); i++ {
			if tok[i] == '\\' {
				i++
				continue
			}
			if tok[i] == '-' {
				end, next = i, i+1
				break
			}
		}
		parts = append(parts, tok[:end])
		tok = tok[next:]
	}
	return parts
}

// SendsFile reports whether chat, given tok in send position, sends the
// contents of a file instead of tok, and the file's name.
func SendsFile(tok string) (name string, ok bool) {
	if !strings.HasPrefix(tok, "@") {
		return "", false
	}
	name = strings.TrimLeft(tok[1:], " \t")
	if k := strings.IndexByte(name, 0); k >= 0 {
		name = name[:k]
	}
	return name, name != ""
}

// clean mirrors chat's clean(): with sending it leaves \\, \d, \p, \K and
// escaped NULs marked with a backslash for put_string; without it they
// become the bare characters. The carriage return that chat appends when
// sending is reported as addReturn instead of being added.
func clean(s string, sending bool) (p []byte, addReturn bool) {
	if k := strings.IndexByte(s, 0); k >= 0 {
		s = s[:k]
	}
	addReturn = sending
	p = make([]byte, 0, len(s)+2)
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c == '^' {
			if i >= len(s) {
				p = append(p, '^')
				break
			}
			c = s[i] & 0x1f
			i++
			if c != 0 {
				p = append(p, c)
			}
			continue
		}
		if c != '\\' {
			p = append(p, c)
			continue
		}
		if i >= len(s) {
			if sending {
				p = append(p, '\\', '\\')
			}
			break
		}
		c = s[i]
		i++
		switch c {
		case 'b':
			p = append(p, '\b')
		case 'c':
			if sending && i >= len(s) {
				addReturn = false
			} else {
				p = append(p, 'c')
			}
		case '\\', 'K', 'p', 'd':
			if sending {
				p = append(p, '\\')
			}
			p = append(p, c)
		case 'T', 'U':
			// Without -T or -U there is no phone number to put in.
			p = append(p, '\\', c)
		case 'q':
			// Only hides the string from chat's log.
		case 'r':
			p = append(p, '\r')
		case 'n':
			p = append(p, '\n')
		case 's':
			p = append(p, ' ')
		case 't':
			p = append(p, '\t')
		case 'N':
			if sending {
				p = append(p, '\\', 0)
			} else {
				p = append(p, 'N')
			}
		default:
			if c >= '0' && c <= '7' {
				v := c & 7
				for k := 0; k < 2 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
					v = v<<3 | (s[i] - '0')
					i++
				}
				if v != 0 || sending {
					if sending && (v == '\\' || v == 0) {
						p = append(p, '\\')
					}
					p = append(p, v)
				}
				break
			}
			if sending {
				p = append(p, '\\')
			}
			p = append(p, c)
		}
	}
	return p, addReturn
}

// putString mirrors chat's put_string() on cleaned text: the bytes it
// writes, leaving out the delay, pause and break that \d, \p and \K ask for.
func putString(p []byte) []byte {
	var out []byte
	for i := 0; i < len(p); {
		c := p[i]
		i++
		if c == 0 {
			break
		}
		if c != '\\' {
			out = append(out, c)
			continue
		}
		c = 0
		if i < len(p) {
			c = p[i]
			i++
		}
		switch c {
		case 'd', 'K', 'p':
		default:
			out = append(out, c)
		}
	}
	return out
}
