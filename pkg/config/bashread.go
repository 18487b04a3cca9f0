package config

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// assignment is one KEY=VALUE statement of the file with the value bash
// gives KEY when it sources the file.
type assignment struct {
	Key   string
	Value string
	Line  int // where the statement starts
	// Start and End are the byte offsets of KEY=VALUE (without an export
	// before it or a comment after it): what SetKey replaces.
	Start, End int
}

// readAssignments reads data as bash sources it (set -a; . FILE) and
// returns the assignments in file order. A statement bash would not read
// as a plain assignment of a literal value (an expansion, a command, a
// redirection, …) is refused: it comes back as a FieldError naming its
// line and key and showing a form bash reads literally. refused holds the
// keys of refused statements. Where the reader cannot tell where a
// statement ends (an unmatched quote, a loop, a function, a here-document),
// it stops there: the file is refused anyway.
func readAssignments(name string, data []byte) (as []assignment, errs Errors, refused map[string]bool) {
	refused = map[string]bool{}
	r := &fileReader{name: name, data: data, lex: lexer{data: data}, line: 1}
	if line := invalidUTF8Line(data); line > 0 {
		return nil, Errors{r.unreadable(line, "invalid UTF-8 encoding")}, refused
	}
	lastLine := 0
	for {
		st, serr := r.statement()
		if serr != nil {
			errs = append(errs, r.unreadable(r.lineOf(serr.at), serr.msg))
			return as, errs, refused
		}
		if st == nil {
			return as, errs, refused
		}
		if st.line == lastLine {
			// The rest of a line already refused for its ';' or '&'.
			if st.commands || st.heredoc {
				return as, errs, refused
			}
			lastLine = st.endLine
			continue
		}
		lastLine = st.endLine
		if st.commands {
			errs = append(errs, &FieldError{File: name, Line: st.line,
				Accepted: "bash would run this line as commands (&&, ||, |, a function, a loop, a test or a group); expected KEY=VALUE"})
			return as, errs, refused
		}
		a, bad, key := r.readStatement(st)
		if bad == nil {
			as = append(as, a)
			continue
		}
		errs = append(errs, bad)
		if bad.Key != "" {
			refused[bad.Key] = true
		}
		if key != "" {
			refused[key] = true
		}
		if st.heredoc {
			return as, errs, refused // its text follows
		}
	}
}

// invalidUTF8Line is the first line that is not UTF-8, or 0.
func invalidUTF8Line(data []byte) int {
	if utf8.Valid(data) {
		return 0
	}
	line := 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		data = data[size:]
	}
	return line
}

type fileReader struct {
	name string
	data []byte
	lex  lexer
	// line is the line of offset counted.
	counted, line int
}

// lineOf is the line of the byte at offset; lines are counted on from
// the last offset asked, as the reader goes forward.
func (r *fileReader) lineOf(offset int) int {
	offset = min(offset, len(r.data))
	if offset < r.counted {
		r.counted, r.line = 0, 1
	}
	r.line += bytes.Count(r.data[r.counted:offset], []byte("\n"))
	r.counted = offset
	return r.line
}

func (r *fileReader) unreadable(line int, why string) *FieldError {
	return &FieldError{File: r.name, Line: line, Accepted: fmt.Sprintf("cannot read this line (%s); expected KEY=VALUE", why)}
}

// readStatement turns one simple statement into an assignment, or refuses
// it; key is the name it was about to set, if any.
func (r *fileReader) readStatement(st *statement) (a assignment, bad *FieldError, key string) {
	as, bad, key := r.onlyAssignment(st)
	if bad != nil {
		return assignment{}, bad, key
	}
	switch {
	case as.appends:
		return assignment{}, r.notKeyValue(st, "+= appends to a value"), key
	case as.element:
		return assignment{}, r.notKeyValue(st, "bash would set an array element"), key
	case as.array():
		return assignment{}, r.notKeyValue(st, "bash would make an array"), key
	case st.terminator == "&":
		return r.refuse(st, as, "", "bash would run it in the background (&)", "")
	case st.terminator == ";":
		lineEnd := bytes.IndexByte(r.data[as.wordEnd:], '\n')
		if lineEnd < 0 {
			lineEnd = len(r.data) - as.wordEnd
		}
		rest := r.source(as.wordEnd, as.wordEnd+lineEnd)
		rest = strings.TrimRight(strings.SplitN(rest, " #", 2)[0], " \t")
		return r.refuse(st, as, rest, "one assignment per line, without ';'", "")
	case st.negated:
		return assignment{}, r.notKeyValue(st, "bash would run it as a command (!)"), key
	case st.redirected:
		return r.refuse(st, as, "", "bash would redirect input or output (<, >)", "")
	}
	v, why, generic := wordValue(r.data, as)
	if why != "" {
		return r.refuse(st, as, "", why, generic)
	}
	if strings.ContainsAny(v, "\x01\x7f") {
		// Bash marks quoting with these two inside, and loses some of
		// them (export A="\<DEL>" sets A to a lone backslash).
		e := &FieldError{File: r.name, Line: st.line, Key: as.name, Value: shorten(r.source(as.value[0].start, as.wordEnd)),
			Accepted: `the value holds the control character \x01 or \x7f, which bash may drop; remove it`}
		if k, ok := Lookup(as.name); ok && k.Secret {
			e.Value = "(hidden)"
		}
		return assignment{}, e, key
	}
	return assignment{Key: as.name, Value: v, Line: st.line, Start: as.start, End: as.end}, nil, key
}

// onlyAssignment is the one assignment of the statement, alone or after
// export, or the error saying why there is none.
func (r *fileReader) onlyAssignment(st *statement) (as assignWord, bad *FieldError, key string) {
	words := st.words
	if len(words) > 0 && isDeclaration(words[0]) {
		args := words[1:]
		for _, w := range args {
			if key = nameIn(w); key != "" {
				break
			}
		}
		ok := false
		if len(args) == 1 && literalWord(words[0]) == "export" {
			as, ok = splitAssign(args[0])
		}
		if !ok {
			return as, r.notKeyValue(st, "not an assignment"), key
		}
		as.exported = true
		return as, nil, as.name
	}
	n := 0
	for n < len(words) {
		if _, ok := splitAssign(words[n]); !ok {
			break
		}
		n++
	}
	switch {
	case n == 0 && len(words) == 0:
		return as, r.notKeyValue(st, "not an assignment"), ""
	case n == 0:
		return as, &FieldError{File: r.name, Line: st.line,
			Accepted: fmt.Sprintf("bash would run %s as a command; expected KEY=VALUE", shorten(r.source(words[0].start, words[0].end)))}, ""
	}
	as, _ = splitAssign(words[0])
	switch {
	case n > 1:
		return as, r.notKeyValue(st, "one assignment per line"), as.name
	case len(words) > 1:
		cmd := words[1]
		_, bad, _ = r.refuse(st, as, r.source(as.wordEnd, words[len(words)-1].end),
			fmt.Sprintf("bash would run %s as a command with %s set for it only", shorten(r.source(cmd.start, cmd.end)), as.name),
			fmt.Sprintf("bash would run a command with %s set for it only", as.name))
		return as, bad, as.name
	}
	return as, nil, as.name
}

// notKeyValue refuses the statement as a whole, showing it.
func (r *fileReader) notKeyValue(st *statement, why string) *FieldError {
	return &FieldError{File: r.name, Line: st.line,
		Accepted: fmt.Sprintf("%s: %s; expected KEY=VALUE or export KEY=VALUE", shorten(r.source(st.start, st.end)), why)}
}

// refuse makes the error for an assignment bash would not read as plain
// text. why may quote the file; generic, for secrets, must not. The
// error shows the safe form: the text as written (with rest, what follows
// it on the line), in single quotes.
func (r *fileReader) refuse(st *statement, as assignWord, rest, why, generic string) (assignment, *FieldError, string) {
	key := as.name
	written := ""
	if len(as.value) == 0 {
		rest = ""
	} else {
		written = r.source(as.value[0].start, as.wordEnd)
	}
	if k, ok := Lookup(key); ok && k.Secret {
		if generic == "" {
			generic = why
		}
		return assignment{}, &FieldError{File: r.name, Line: st.line, Key: key, Value: "(hidden)",
			Accepted: generic + `; quote the value in single quotes ('…', each ' inside written as '\'')`}, key
	}
	e := &FieldError{File: r.name, Line: st.line, Key: key, Value: shorten(written + rest), Accepted: why}
	if len(as.value) > 0 {
		e.Accepted += "; write " + key + "=" + singleQuoted(literalIntent(r.data, as.value)+rest)
	}
	return assignment{}, e, key
}

func (r *fileReader) source(start, end int) string {
	return string(r.data[start:end])
}

// shorten keeps a quoted piece of the file short in a message.
func shorten(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 57
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// singleQuoted is s as bash reads it literally: in single quotes, each
// single quote written as '\”.
func singleQuoted(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
