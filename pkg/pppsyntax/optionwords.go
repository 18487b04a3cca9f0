package pppsyntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxWordLen is the longest word pppd reads from a file: getword fills a
// buffer of MAXWORDLEN (1024) bytes that must end in a NUL, and cuts a
// longer word down with only a warning in the log.
const MaxWordLen = 1023

// OptionWord returns s written as one word of pppd's option and secrets
// file syntax: double-quoted, with backslash escapes where needed, such that
// pppd reads the result back as exactly s, as a single word.
//
// The word must be followed by white space or a newline: pppd joins text
// that touches a closing quote onto the same word. An empty s gives "",
// which pppd reads as an empty word anywhere except at the very end of the
// file, so end the file with a newline.
//
// It refuses a NUL byte (pppd keeps words as C strings) and values longer
// than MaxWordLen bytes. Shorter limits of particular fields are checked by
// CheckName and CheckSecret. Quoting never stops a word from being taken as
// an option name, so a value must only ever be written where pppd expects
// an option's argument or a secrets field, never as a word of its own.
func OptionWord(s string) (string, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return "", &CharError{Func: "OptionWord", Char: 0, Offset: i,
			Reason: "pppd keeps words as C strings, so the word would end there"}
	}
	if len(s) > MaxWordLen {
		return "", fmt.Errorf("%w: OptionWord: %d bytes, pppd cuts words after %d", ErrTooLong, len(s), MaxWordLen)
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			// Escaped so that a generated entry always stays on one line:
			// line-based readers (ours and people's) then agree with pppd.
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			writeOctal(&b, c)
		case c >= 0x80:
			i += writeUTF8(&b, s, i)
			continue
		default:
			b.WriteByte(c)
		}
		i++
	}
	b.WriteByte('"')
	return b.String(), nil
}

// writeOctal writes c as a three-digit octal escape. Both getword and
// chat's clean() read at most three octal digits, so a digit that follows
// in the value is never swallowed into the escape.
// writeUTF8 copies the UTF-8 character at s[i] to b, or an octal escape
// for a byte that is not valid UTF-8 (pppd and chat's clean() turn it back
// into the same byte; the escape keeps the generated file valid UTF-8 for
// editors and diff). It returns how many bytes of s it used.
func writeUTF8(b *strings.Builder, s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size == 1 {
		writeOctal(b, s[i])
		return 1
	}
	b.WriteString(s[i : i+size])
	return size
}

func writeOctal(b *strings.Builder, c byte) {
	b.WriteByte('\\')
	b.WriteByte('0' + c>>6)
	b.WriteByte('0' + c>>3&7)
	b.WriteByte('0' + c&7)
}

// Word is one word as pppd's getword reads it.
type Word struct {
	Text   string // the word after quotes and escapes are taken out
	Line   int    // 1-based line on which the word starts
	Quoted bool   // the word had a quoted part
}

// scanWords splits text into words with the rules of pppd's getword()
// (pppd/options.c, pppd 2.4.5 to 2.5.x): white space separates words; '#'
// where a word could start, or right after an unquoted word, comments out
// the rest of the line; " and ' quote anywhere in a word, and the
// word goes on after the closing quote; a backslash escapes the next
// character (\a \b \f \n \r \s \t, one to three octal digits, \x and up to
// two hex digits, any other character stands for itself) inside quotes as
// well as outside; backslash-newline is dropped.
//
// Where pppd only logs a warning and carries on (an unterminated quote at
// the end of the text, a word longer than MaxWordLen, which pppd cuts) or
// silently keeps less than was written (a NUL byte, from the file or from
// an escape such as \0 or \x, ends the word as pppd uses it), it returns
// every word as pppd would use it together with an error about the first
// such problem.
func scanWords(text string) ([]scannedWord, error) {
	sc := wordScanner{b: text, line: 1}
	var words []scannedWord
	var firstErr error
	for {
		w, ok, err := sc.next()
		if err != nil && firstErr == nil {
			firstErr = err
		}
		if !ok {
			return words, firstErr
		}
		words = append(words, w)
	}
}

// scannedWord is a Word plus what scan_authfile needs to know, whether a
// newline came before the word, and where the word lies in the text.
type scannedWord struct {
	Word
	newline    bool
	start, end int // byte offsets of the word's first byte and just past its last
}

// wordScanner mirrors getword over a string, keeping getc's one-character
// pushback and the line number of every character it hands out.
type wordScanner struct {
	b     string
	i     int
	line  int // line of b[i]
	cline int // line of the character getc returned last
}

const eof = -1

func (s *wordScanner) getc() int {
	if s.i >= len(s.b) {
		s.cline = s.line
		return eof
	}
	c := s.b[s.i]
	s.i++
	s.cline = s.line
	if c == '\n' {
		s.line++
	}
	return int(c)
}

func (s *wordScanner) ungetc() {
	s.i--
	if s.b[s.i] == '\n' {
		s.line--
	}
}

// isSpace is isspace() in the C locale, which pppd never leaves.
func isSpace(c int) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isOctal(c int) bool { return c >= '0' && c <= '7' }

func hexValue(c int) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// next reads one word as getword does. ok is false when the text has no
// more words; err reports what pppd would warn about or silently lose.
func (s *wordScanner) next() (w scannedWord, ok bool, err error) {
	escape, comment := false, false
	var c int
	start := 0

	// Skip white space and comments up to the first character of a word.
	for {
		c = s.getc()
		if c == eof {
			break
		}
		if c == '\n' {
			if escape {
				escape = false // backslash-newline between words
			} else {
				w.newline = true
				comment = false
			}
			continue
		}
		if comment {
			continue
		}
		if escape {
			break
		}
		if c == '\\' {
			escape = true
			start, w.start = s.cline, s.i-1
			continue
		}
		if c == '#' {
			comment = true
			continue
		}
		if !isSpace(c) {
			start, w.start = s.cline, s.i-1
			break
		}
	}
	w.Line = start

	var word []byte
	n := 0 // bytes pppd counted, kept or not
	store := func(v int) {
		if n < MaxWordLen+1 {
			word = append(word, byte(v))
		}
		n++
	}
	quote := 0
	for c != eof {
		if escape {
			escape = false
			if c == '\n' {
				c = s.getc()
				continue
			}
			value, got := 0, false
			switch c {
			case 'a':
				value = '\a'
			case 'b':
				value = '\b'
			case 'f':
				value = '\f'
			case 'n':
				value = '\n'
			case 'r':
				value = '\r'
			case 's':
				value = ' '
			case 't':
				value = '\t'
			default:
				switch {
				case isOctal(c):
					for k := 0; k < 3 && isOctal(c); k++ {
						value = value<<3 + c&7
						c = s.getc()
					}
					got = true
				case c == 'x':
					c = s.getc()
					for k := 0; k < 2; k++ {
						d, isHex := hexValue(c)
						if !isHex {
							break
						}
						value = value<<4 + d
						c = s.getc()
					}
					got = true
				default:
					value = c
				}
			}
			store(value)
			if !got {
				c = s.getc()
			}
			continue
		}
		if c == '\\' {
			escape = true
			c = s.getc()
			continue
		}
		if quote != 0 {
			if c == quote {
				quote = 0
				c = s.getc()
				continue
			}
		} else if c == '"' || c == '\'' {
			quote = c
			w.Quoted = true
			c = s.getc()
			continue
		} else if isSpace(c) || c == '#' {
			s.ungetc()
			break
		}
		store(c)
		c = s.getc()
	}

	w.end = s.i // at the character that ended the word, or the end of the text
	if c == eof {
		if n == 0 {
			return w, false, nil
		}
		if quote != 0 {
			err = fmt.Errorf("%w: line %d: quoted word runs to the end of the text", ErrSyntax, w.Line)
		}
	}
	if n > MaxWordLen {
		word = word[:MaxWordLen]
		if err == nil {
			err = fmt.Errorf("%w: line %d: word of %d bytes, pppd cuts it to %d", ErrTooLong, w.Line, n, MaxWordLen)
		}
	}
	if i := strings.IndexByte(string(word), 0); i >= 0 {
		word = word[:i]
		if err == nil {
			err = fmt.Errorf("%w: line %d: word holds a NUL byte, pppd ends the word there", ErrSyntax, w.Line)
		}
	}
	w.Text = string(word)
	return w, true, err
}
