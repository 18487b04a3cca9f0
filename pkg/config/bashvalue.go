package config

import "strings"

// assignWord is a word NAME=VALUE (or NAME+=…, NAME[…]=…) taken apart.
type assignWord struct {
	name             string
	appends, element bool
	exported         bool   // an argument of export
	value            []part // what follows the '='
	// start is where the name starts; end is after the value, or after
	// the '=' when there is none; wordEnd is after the word, with any
	// backslash-newline that ends it.
	start, end, wordEnd int
}

func (a assignWord) array() bool { return len(a.value) == 1 && a.value[0].kind == arrayPart }

// splitAssign takes w apart if it is an assignment word.
func splitAssign(w word) (assignWord, bool) {
	if len(w.parts) == 0 || w.parts[0].kind != litPart {
		return assignWord{}, false
	}
	first := w.parts[0]
	n, name, appends, element := assignPrefix(first.text)
	if n == 0 {
		return assignWord{}, false
	}
	a := assignWord{name: name, appends: appends, element: element, start: w.start, end: first.start + n, wordEnd: w.end}
	if n < len(first.text) {
		a.value = append(a.value, part{kind: litPart, start: first.start + n, end: first.end, text: first.text[n:]})
	}
	a.value = append(a.value, w.parts[1:]...)
	if len(a.value) > 0 {
		last := a.value[len(a.value)-1]
		a.end = last.end
		if last.kind == litPart {
			// A backslash-newline after the value joins the next line
			// to this one: it is not part of what SetKey replaces.
			t := last.text
			for strings.HasSuffix(t, "\\\n") {
				t = t[:len(t)-2]
			}
			a.end = last.start + len(t)
		}
	}
	return a, true
}

// assignPrefix reads NAME=, NAME+=, NAME[…]= or NAME[…]+= at the start
// of s: its length (0 if there is none) and the name. A backslash-newline
// is nothing to bash, even inside a name.
func assignPrefix(s string) (n int, name string, appends, element bool) {
	var b strings.Builder
	i := 0
	for i < len(s) {
		if strings.HasPrefix(s[i:], "\\\n") {
			i += 2
			continue
		}
		if !isNameByte(s[i]) || b.Len() == 0 && s[i] >= '0' && s[i] <= '9' {
			break
		}
		b.WriteByte(s[i])
		i++
	}
	if b.Len() == 0 {
		return 0, "", false, false
	}
	if i < len(s) && s[i] == '[' {
		end := indexClose(s, i)
		if end == 0 {
			return 0, "", false, false
		}
		i, element = end, true
	}
	switch {
	case strings.HasPrefix(s[i:], "+="):
		return i + 2, b.String(), true, element
	case strings.HasPrefix(s[i:], "="):
		return i + 1, b.String(), false, element
	}
	return 0, "", false, false
}

func isAssignPrefix(s string) bool {
	n, _, _, _ := assignPrefix(s)
	return n > 0 && n == len(s)
}

// indexClose is the offset after the ']' closing the '[' at s[i] on its
// line, or 0.
func indexClose(s string, i int) int {
	for j := i + 1; j < len(s) && s[j] != '\n'; j++ {
		switch s[j] {
		case '\\':
			j++
		case '\'':
			k := strings.IndexByte(s[j+1:], '\'')
			if k < 0 {
				return 0
			}
			j += k + 1
		case ']':
			return j + 1
		}
	}
	return 0
}

// nameIn is the name an argument of a declaration (export NAME, export
// NAME=…) is about, or "".
func nameIn(w word) string {
	if a, ok := splitAssign(w); ok {
		return a.name
	}
	if s := literalWord(w); validKeyName(s) {
		return s
	}
	return ""
}

// wordValue is the value bash gives the assignment, or why it is refused
// (why may quote the file; generic does not).
func wordValue(data []byte, a assignWord) (v, why, generic string) {
	var b strings.Builder
	for i, p := range a.value {
		switch p.kind {
		case litPart:
			afterColon := strings.HasSuffix(b.String(), ":")
			s, bad := unquotedLit(p.text, i == 0, afterColon)
			if bad == "" && a.exported && hasUnquotedBrace(p.text) {
				// export's arguments, unlike assignments, go through
				// brace expansion: export A={a,b} sets A to b.
				bad = "bash would expand {…} after export"
			}
			if bad != "" {
				return "", bad, bad
			}
			b.WriteString(s)
		case sglPart:
			b.WriteString(p.text)
		case dollarSglPart:
			return "", "bash would decode $'…' escapes", "bash would decode $'…' escapes"
		case dollarDblPart:
			return "", `bash would translate $"…"`, `bash would translate $"…"`
		case dblPart:
			for _, q := range p.inner {
				if q.kind != litPart {
					return "", expansion(data, q), "bash would expand part of the value"
				}
				s, bad := doubleQuotedLit(q.text)
				if bad != "" {
					return "", bad, bad
				}
				b.WriteString(s)
			}
		default:
			return "", expansion(data, p), "bash would expand part of the value"
		}
	}
	return b.String(), "", ""
}

func hasUnquotedBrace(raw string) bool {
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '\\':
			i++
		case '{':
			return true
		}
	}
	return false
}

// literalIntent is what the writer most likely meant: the value with its
// quotes removed and every expansion kept as written.
func literalIntent(data []byte, parts []part) string {
	var b strings.Builder
	for _, p := range parts {
		switch p.kind {
		case litPart:
			s, _ := unquotedLit(p.text, false, false)
			b.WriteString(s)
		case sglPart, dollarSglPart:
			b.WriteString(p.text)
		case dblPart, dollarDblPart:
			for _, q := range p.inner {
				if q.kind == litPart {
					s, _ := doubleQuotedLit(q.text)
					b.WriteString(s)
				} else {
					b.WriteString(string(data[q.start:q.end]))
				}
			}
		default:
			b.WriteString(string(data[p.start:p.end]))
		}
	}
	return b.String()
}

// expansion says what bash would do with a part that is not plain text.
func expansion(data []byte, p part) string {
	src := shorten(string(data[p.start:p.end]))
	switch p.kind {
	case cmdPart:
		return "bash would run the command " + src
	case arithPart:
		return "bash would compute " + src
	case globPart:
		return "bash would read " + src + " as a pattern"
	}
	return "bash would expand " + src
}

// unquotedLit applies bash's rules to text outside quotes: a backslash
// takes the next character literally, and a backslash-newline is nothing;
// a '~' at the start of the value or after a ':' is a home directory; a
// '$' is refused even where bash would keep it, to keep the rule simple.
// The text comes back also with a problem, as the writer most likely
// meant it.
func unquotedLit(raw string, wordStart, afterColon bool) (string, string) {
	var b strings.Builder
	problem := ""
	note := func(p string) {
		if problem == "" {
			problem = p
		}
	}
	atStart := wordStart
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\':
			i++
			if i == len(raw) {
				note("a backslash at the end of the file")
				continue
			}
			if raw[i] == '\n' {
				continue
			}
			b.WriteByte(raw[i])
			atStart, afterColon = false, false
			continue
		case c == '~' && (atStart || afterColon):
			note("bash would expand ~ to a home directory")
		case c == '$':
			note("a $ outside single quotes")
		}
		b.WriteByte(c)
		atStart, afterColon = false, c == ':'
	}
	return b.String(), problem
}

// doubleQuotedLit applies bash's rules inside double quotes: a backslash
// escapes only $ ` " \ and a newline, and stays before anything else. A
// '$' is refused, as outside quotes.
func doubleQuotedLit(raw string) (string, string) {
	var b strings.Builder
	problem := ""
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '$' && problem == "" {
			problem = "a $ outside single quotes"
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(raw) {
			if problem == "" {
				problem = "a backslash before the closing quote"
			}
			b.WriteByte(c)
			continue
		}
		switch n := raw[i+1]; n {
		case '$', '`', '"', '\\':
			b.WriteByte(n)
			i++
		case '\n':
			i++
		default:
			b.WriteByte('\\')
		}
	}
	return b.String(), problem
}
