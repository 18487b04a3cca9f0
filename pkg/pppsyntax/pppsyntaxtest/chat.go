package pppsyntaxtest

import (
	"fmt"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
)

// readMax is what one fgets of chat's do_file takes: STR_LEN (1024) bytes
// less the NUL, newline included. A longer line is read as several lines,
// the later ones starting mid-token.
const readMax = 1023

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
		end := min(pos+readMax, len(text))
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
						return toks, fmt.Errorf("%w: line %d: unterminated quote, chat exits with status 1", pppsyntax.ErrSyntax, chunkLine)
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
