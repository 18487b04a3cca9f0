package runstate

import (
	"fmt"
	"unicode/utf8"
)

// Member is a key that EncodeWith writes before State's own; Value is its
// JSON text as written ("true", "42").
type Member struct {
	Key, Value string
}

// Encode is state.json's content for s (without the final newline):
// what encoding/json's MarshalIndent(s, "", "  ") writes, with the keys,
// order, omissions and time format of State's json tags, except that
// strings also escape DEL and the C1 controls U+0080-U+009F (as \u007f,
// \u0080...), which a terminal may take for a control sequence.
func Encode(s State) ([]byte, error) {
	return EncodeWith(nil, &s)
}

// JSONString is s as a JSON string, for a Member's Value.
func JSONString(s string) string { return string(appendString(nil, s)) }

// EncodeWith is Encode with lead's members first; s nil writes lead's
// members only.
func EncodeWith(lead []Member, s *State) ([]byte, error) {
	b := []byte{'{'}
	n := 0
	member := func(key string) {
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, "\n  "...)
		b = appendString(b, key)
		b = append(b, ": "...)
	}
	for _, m := range lead {
		member(m.Key)
		b = append(b, m.Value...)
	}
	if s != nil {
		for _, f := range stateFields {
			v := f.field(s)
			if f.omit == omitEmpty && v.empty() {
				continue
			}
			member(f.key)
			var err error
			if b, err = v.get(b); err != nil {
				return nil, fmt.Errorf("runstate: %s: %w", f.key, err)
			}
		}
	}
	if n > 0 {
		b = append(b, '\n')
	}
	return append(b, '}'), nil
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. It escapes what encoding/json
// escapes, in the same way: quote and backslash, control characters
// (\n, \r, \t, \b, \f, else \u00XX), <, > and &, U+2028 and U+2029, and
// invalid UTF-8 (each bad byte as \ufffd); and also DEL and the C1
// controls, so that the file shows no control character at all.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029' || (r >= 0x80 && r <= 0x9f):
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', hexDigits[r>>12], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
