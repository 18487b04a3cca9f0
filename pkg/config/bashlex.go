package config

import (
	"bytes"
	"strings"
)

// The lexer splits a file into bash's tokens: words, operators and
// newlines. It reads exactly the quoting a configuration may use ('…',
// "…", backslashes), and of everything else (expansions, commands,
// patterns, arrays) only enough to know where it ends, so that it can be
// refused with its text.

type partKind int

const (
	litPart       partKind = iota // unquoted text, backslashes as written
	sglPart                       // '…'
	dblPart                       // "…"
	dollarSglPart                 // $'…'
	dollarDblPart                 // $"…"
	paramPart                     // $NAME, $1, $$, ${…}
	cmdPart                       // $(…), `…`, <(…), >(…)
	arithPart                     // $((…)), $[…]
	globPart                      // @(…), *(…), +(…), ?(…), !(…)
	arrayPart                     // (…) right after NAME=
)

// part is one piece of a word.
type part struct {
	kind       partKind
	start, end int    // its bytes in the file
	text       string // litPart: as written; sglPart, dollarSglPart: between the quotes
	inner      []part // dblPart, dollarDblPart: the pieces between the quotes
}

type word struct {
	parts      []part
	start, end int
}

type tokenKind int

const (
	wordToken tokenKind = iota
	opToken
	newlineToken
	eofToken
)

type lexToken struct {
	kind       tokenKind
	op         string // opToken
	word       word   // wordToken
	start, end int
}

// syntaxError is text the lexer cannot delimit, such as an unmatched
// quote: where it starts and what is wrong.
type syntaxError struct {
	at  int
	msg string
}

type lexer struct {
	data  []byte
	pos   int
	depth int // of balanced parts inside one another
}

// maxDepth bounds how deep parts may nest, so that a hostile file
// cannot take the stack.
const maxDepth = 64

func (l *lexer) at(i int) byte {
	if i < len(l.data) {
		return l.data[i]
	}
	return 0
}

// operators, longest first where one begins another.
var operators = []string{";;&", ";;", ";&", ";", "&&", "&>>", "&>", "&", "||", "|&", "|",
	"<<<", "<<-", "<<", "<>", "<&", "<", ">>", ">&", ">|", ">", "(", ")"}

func isOperatorByte(c byte) bool { return strings.IndexByte(";&|<>()", c) >= 0 }

// next returns the next token; comments are skipped, as are blanks and
// backslash-newlines between words.
func (l *lexer) next() (lexToken, *syntaxError) {
	for {
		for l.pos < len(l.data) {
			if c := l.data[l.pos]; c == ' ' || c == '\t' {
				l.pos++
			} else if c == '\\' && l.at(l.pos+1) == '\n' {
				l.pos += 2
			} else {
				break
			}
		}
		if l.pos >= len(l.data) {
			return lexToken{kind: eofToken, start: l.pos, end: l.pos}, nil
		}
		if l.data[l.pos] != '#' {
			break
		}
		for l.pos < len(l.data) && l.data[l.pos] != '\n' {
			l.pos++
		}
	}
	start := l.pos
	c := l.data[start]
	if c == '\n' {
		l.pos++
		return lexToken{kind: newlineToken, start: start, end: l.pos}, nil
	}
	if isOperatorByte(c) && !l.procSubstAt(start) {
		for _, op := range operators {
			if bytes.HasPrefix(l.data[start:], []byte(op)) {
				l.pos += len(op)
				return lexToken{kind: opToken, op: op, start: start, end: l.pos}, nil
			}
		}
	}
	w, err := l.word()
	return lexToken{kind: wordToken, word: w, start: w.start, end: w.end}, err
}

func (l *lexer) procSubstAt(i int) bool {
	return (l.data[i] == '<' || l.data[i] == '>') && l.at(i+1) == '('
}

// word reads one word: up to an unquoted blank, newline or operator.
func (l *lexer) word() (word, *syntaxError) {
	w := word{start: l.pos}
	litStart := -1
	flush := func() {
		if litStart >= 0 {
			w.parts = append(w.parts, part{kind: litPart, start: litStart, end: l.pos, text: string(l.data[litStart:l.pos])})
			litStart = -1
		}
	}
	add := func(p part, err *syntaxError) *syntaxError {
		if err == nil {
			flush()
			w.parts = append(w.parts, p)
			l.pos = p.end
		}
		return err
	}
	for l.pos < len(l.data) {
		i, c := l.pos, l.data[l.pos]
		var err *syntaxError
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			flush()
			w.end = l.pos
			return w, nil
		case l.procSubstAt(i):
			err = add(l.balanced(cmdPart, i, i+1))
		case c == '(' && len(w.parts) == 0 && isAssignPrefix(string(l.data[w.start:i])):
			err = add(l.balanced(arrayPart, i, i))
		case isOperatorByte(c):
			flush()
			w.end = l.pos
			return w, nil
		case strings.IndexByte("@*+?!", c) >= 0 && l.at(i+1) == '(':
			err = add(l.balanced(globPart, i, i+1))
		case c == '\'':
			end := bytes.IndexByte(l.data[i+1:], '\'')
			if end < 0 {
				return w, &syntaxError{i, "unmatched '"}
			}
			err = add(part{kind: sglPart, start: i, end: i + end + 2, text: string(l.data[i+1 : i+1+end])}, nil)
		case c == '"':
			err = add(l.doubleQuoted(i, i, dblPart))
		case c == '`':
			err = add(l.backquoted(i))
		case c == '$' && l.isExpansion(i, false):
			err = add(l.dollar(i))
		default:
			if litStart < 0 {
				litStart = i
			}
			l.pos++
			if c == '\\' && i+1 < len(l.data) {
				l.pos++
			}
			if c == '[' && len(w.parts) == 0 && validKeyName(strings.ReplaceAll(string(l.data[w.start:i]), "\\\n", "")) {
				// NAME[…] may be an array element; its index may hold blanks.
				line := l.data[i:]
				if n := bytes.IndexByte(line, '\n'); n >= 0 {
					line = line[:n]
				}
				if end := indexClose(string(line), 0); end > 0 {
					l.pos = i + end
				}
			}
		}
		if err != nil {
			return w, err
		}
	}
	flush()
	w.end = l.pos
	return w, nil
}

// isExpansion reports whether the '$' at i starts an expansion; inside
// double quotes $'…' and $"…" are not.
func (l *lexer) isExpansion(i int, inDouble bool) bool {
	n := l.at(i + 1)
	switch {
	case n == '\'' || n == '"':
		return !inDouble
	case n == '(' || n == '{' || n == '[' || n == '_' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z' || n >= '0' && n <= '9':
		return true
	}
	return n != 0 && strings.IndexByte("@*#?-$!", n) >= 0
}

// dollar reads the expansion starting with the '$' at i.
func (l *lexer) dollar(i int) (part, *syntaxError) {
	switch n := l.at(i + 1); {
	case n == '\'':
		for j := i + 2; j < len(l.data); j++ {
			switch l.data[j] {
			case '\\':
				j++
			case '\'':
				return part{kind: dollarSglPart, start: i, end: j + 1, text: string(l.data[i+2 : j])}, nil
			}
		}
		return part{}, &syntaxError{i, "unmatched $'"}
	case n == '"':
		return l.doubleQuoted(i, i+1, dollarDblPart)
	case n == '(':
		p, err := l.balanced(cmdPart, i, i+1)
		if err == nil && l.at(i+2) == '(' && p.end-i >= 5 && l.data[p.end-2] == ')' {
			p.kind = arithPart
		}
		return p, err
	case n == '{':
		return l.balanced(paramPart, i, i+1)
	case n == '[':
		return l.balanced(arithPart, i, i+1)
	case n == '_' || n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
		j := i + 1
		for j < len(l.data) && isNameByte(l.data[j]) {
			j++
		}
		return part{kind: paramPart, start: i, end: j}, nil
	}
	return part{kind: paramPart, start: i, end: i + 2}, nil // $1, $$, $?, …
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// doubleQuoted reads "…" with its quote at q; the part starts at start
// (a '$' before the quote for $"…").
func (l *lexer) doubleQuoted(start, q int, kind partKind) (part, *syntaxError) {
	p := part{kind: kind, start: start}
	litStart := -1
	flush := func(j int) {
		if litStart >= 0 {
			p.inner = append(p.inner, part{kind: litPart, start: litStart, end: j, text: string(l.data[litStart:j])})
			litStart = -1
		}
	}
	for j := q + 1; j < len(l.data); {
		var in part
		var err *syntaxError
		switch c := l.data[j]; {
		case c == '"':
			flush(j)
			p.end = j + 1
			return p, nil
		case c == '`':
			in, err = l.backquoted(j)
		case c == '$' && l.isExpansion(j, true):
			in, err = l.dollar(j)
		default:
			if litStart < 0 {
				litStart = j
			}
			j++
			if c == '\\' {
				j++
			}
			continue
		}
		if err != nil {
			return p, err
		}
		flush(j)
		p.inner = append(p.inner, in)
		j = in.end
	}
	return p, &syntaxError{q, `unmatched "`}
}

// backquoted reads `…` starting at i.
func (l *lexer) backquoted(i int) (part, *syntaxError) {
	for j := i + 1; j < len(l.data); j++ {
		switch l.data[j] {
		case '\\':
			j++
		case '`':
			return part{kind: cmdPart, start: i, end: j + 1}, nil
		}
	}
	return part{}, &syntaxError{i, "unmatched `"}
}

// balanced reads a part from start whose bracket at open ('(', '{' or
// '[') is closed further on. Quotes inside are skipped; what is inside is
// not read otherwise, as the part is refused whatever it holds.
func (l *lexer) balanced(kind partKind, start, open int) (part, *syntaxError) {
	if l.depth++; l.depth > maxDepth {
		return part{}, &syntaxError{start, "expansions nested too deeply"}
	}
	defer func() { l.depth-- }()
	o := l.data[open]
	c := map[byte]byte{'(': ')', '{': '}', '[': ']'}[o]
	depth := 0
	for j := open; j < len(l.data); j++ {
		switch b := l.data[j]; b {
		case '\\':
			j++
		case '\'':
			k := bytes.IndexByte(l.data[j+1:], '\'')
			if k < 0 {
				return part{}, &syntaxError{j, "unmatched '"}
			}
			j += k + 1
		case '"':
			p, err := l.doubleQuoted(j, j, dblPart)
			if err != nil {
				return part{}, err
			}
			j = p.end - 1
		case '`':
			p, err := l.backquoted(j)
			if err != nil {
				return part{}, err
			}
			j = p.end - 1
		case o:
			depth++
		case c:
			depth--
			if depth == 0 {
				return part{kind: kind, start: start, end: j + 1}, nil
			}
		}
	}
	return part{}, &syntaxError{start, "unmatched " + string(l.data[start:open+1])}
}
