package runstate

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeError is malformed state.json: the line and what was wrong.
type decodeError struct {
	line int
	msg  string
}

// Error is "line: what", to follow the file name.
func (e *decodeError) Error() string { return fmt.Sprintf("%d: %s", e.line, e.msg) }

// maxDepth bounds the nesting of a skipped value, as encoding/json does.
const maxDepth = 10000

// decoder reads one JSON object from data.
type decoder struct {
	data  []byte
	pos   int
	depth int
}

// decodeState reads state.json's content: any JSON object, whitespace
// anywhere, with stateFields' keys (spelled exactly so) in any order, the
// last of a repeated key winning, null for any of them (which leaves a
// field as it is, except that an optional one becomes nil), and other
// keys skipped whatever their value. Strings are read as encoding/json
// reads them: escapes, surrogate pairs, and U+FFFD for invalid UTF-8 or a
// lone surrogate. Unlike encoding/json, keys match only exactly ("PID" is
// an unknown key), a bare null is refused rather than read as no change,
// and a time may be written with escapes.
func decodeState(data []byte) (State, error) {
	var s State
	d := &decoder{data: data}
	d.space()
	if !d.next('{') {
		return s, d.fail("want a JSON object ({...})")
	}
	err := d.members(func(key string) error {
		if f := fieldNamed(key); f != nil {
			return f.field(&s).set(d, key)
		}
		return d.skip()
	})
	if err != nil {
		return s, err
	}
	d.space()
	if d.pos < len(d.data) {
		return s, d.fail("want nothing after the object's closing }")
	}
	return s, nil
}

func fieldNamed(key string) *stateField {
	for i := range stateFields {
		if stateFields[i].key == key {
			return &stateFields[i]
		}
	}
	return nil
}

// members reads an object's members after its {, up to and with its },
// calling value for each key with d at the start of its value.
func (d *decoder) members(value func(key string) error) error {
	d.space()
	if d.next('}') {
		return nil
	}
	for {
		d.space()
		if d.peek() != '"' {
			return d.fail("want a key (a string in double quotes)")
		}
		key, err := d.str()
		if err != nil {
			return err
		}
		d.space()
		if !d.next(':') {
			return d.fail("want : after the key %q", key)
		}
		d.space()
		if err := value(key); err != nil {
			return err
		}
		d.space()
		if d.next('}') {
			return nil
		}
		if !d.next(',') {
			return d.fail("want , or } after the value of %q", key)
		}
	}
}

// skip reads any one JSON value.
func (d *decoder) skip() error {
	switch d.peek() {
	case '{', '[':
		if d.depth++; d.depth > maxDepth {
			return d.fail("values nested more than %d deep", maxDepth)
		}
		defer func() { d.depth-- }()
		if d.next('{') {
			return d.members(func(string) error { return d.skip() })
		}
		d.pos++
		d.space()
		if d.next(']') {
			return nil
		}
		for {
			d.space()
			if err := d.skip(); err != nil {
				return err
			}
			d.space()
			if d.next(']') {
				return nil
			}
			if !d.next(',') {
				return d.fail("want , or ] in an array")
			}
		}
	case '"':
		_, err := d.str()
		return err
	}
	if d.literal("true") || d.literal("false") || d.literal("null") {
		return nil
	}
	if _, ok := d.number(); !ok {
		return d.fail("want a JSON value")
	}
	return nil
}

// int reads key's value, an integer that fits an int.
func (d *decoder) int(key string) (int, error) {
	at := d.pos
	text, ok := d.number()
	if !ok {
		return 0, d.fail("%q: want an integer", key)
	}
	n, err := strconv.ParseInt(text, 10, strconv.IntSize)
	if err != nil {
		return 0, d.failAt(at, "%q: want an integer from %d to %d", key, minInt, maxInt)
	}
	return int(n), nil
}

const (
	maxInt = int(^uint(0) >> 1)
	minInt = -maxInt - 1
)

// string reads key's value, a string.
func (d *decoder) string(key string) (string, error) {
	if d.peek() != '"' {
		return "", d.fail("%q: want a string in double quotes", key)
	}
	return d.str()
}

// str reads the string at d.pos (at its opening quote).
func (d *decoder) str() (string, error) {
	d.pos++
	var out []byte
	start := d.pos
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			out = append(out, d.data[start:d.pos]...)
			d.pos++
			return string(out), nil
		case c == '\\':
			out = append(out, d.data[start:d.pos]...)
			var err error
			if out, err = d.escape(out); err != nil {
				return "", err
			}
			start = d.pos
		case c < 0x20:
			return "", d.fail("control character %#02x in a string (JSON wants it as \\u%04x)", c, c)
		case c < utf8.RuneSelf:
			d.pos++
		default:
			r, size := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && size == 1 {
				out = append(out, d.data[start:d.pos]...)
				out = utf8.AppendRune(out, utf8.RuneError)
				start = d.pos + 1
			}
			d.pos += size
		}
	}
	return "", d.fail("the string has no closing double quote")
}

// escape appends the character of the escape at d.pos (at its backslash)
// to out.
func (d *decoder) escape(out []byte) ([]byte, error) {
	if d.pos+1 >= len(d.data) {
		return out, d.fail("the string has no closing double quote")
	}
	c := d.data[d.pos+1]
	if i := bytes.IndexByte([]byte(`"\/bfnrt`), c); i >= 0 {
		d.pos += 2
		return append(out, "\"\\/\b\f\n\r\t"[i]), nil
	}
	if c != 'u' {
		return out, d.fail(`unknown escape \%c in a string (JSON has \" \\ \/ \b \f \n \r \t \uXXXX)`, c)
	}
	r, ok := hex4(d.data[d.pos+2:])
	if !ok {
		return out, d.fail(`want four hex digits after \u`)
	}
	d.pos += 6
	if utf16.IsSurrogate(r) {
		// A lone half of a pair is U+FFFD, as encoding/json reads it.
		low, ok := rune(0), false
		if bytes.HasPrefix(d.data[d.pos:], []byte(`\u`)) {
			low, ok = hex4(d.data[d.pos+2:])
		}
		r = utf16.DecodeRune(r, low)
		if ok && r != utf8.RuneError {
			d.pos += 6
		}
	}
	return utf8.AppendRune(out, r), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number reads a JSON number and returns its text.
func (d *decoder) number() (string, bool) {
	p := d.pos
	digits := func() bool {
		n := p
		for p < len(d.data) && '0' <= d.data[p] && d.data[p] <= '9' {
			p++
		}
		return p > n
	}
	if p < len(d.data) && d.data[p] == '-' {
		p++
	}
	if p < len(d.data) && d.data[p] == '0' {
		p++
	} else if !digits() {
		return "", false
	}
	if p < len(d.data) && d.data[p] == '.' {
		p++
		if !digits() {
			return "", false
		}
	}
	if p < len(d.data) && (d.data[p] == 'e' || d.data[p] == 'E') {
		p++
		if p < len(d.data) && (d.data[p] == '+' || d.data[p] == '-') {
			p++
		}
		if !digits() {
			return "", false
		}
	}
	text := string(d.data[d.pos:p])
	d.pos = p
	return text, true
}

// literal reads word (true, false, null) when it is next.
func (d *decoder) literal(word string) bool {
	if !bytes.HasPrefix(d.data[d.pos:], []byte(word)) {
		return false
	}
	d.pos += len(word)
	return true
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

func (d *decoder) next(c byte) bool {
	if d.peek() == c && d.pos < len(d.data) {
		d.pos++
		return true
	}
	return false
}

func (d *decoder) fail(format string, args ...any) error {
	return d.failAt(d.pos, format, args...)
}

// failAt is an error at data[at], saying what is there.
func (d *decoder) failAt(at int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if at >= len(d.data) {
		msg += ", got the end of the file"
	} else {
		rest := d.data[at:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		if len(rest) > 40 {
			rest = rest[:40]
		}
		msg += fmt.Sprintf(", got %q", rest)
	}
	return &decodeError{line: 1 + bytes.Count(d.data[:at], []byte{'\n'}), msg: msg}
}
