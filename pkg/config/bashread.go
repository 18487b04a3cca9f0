package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
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
// keys of refused statements.
func readAssignments(name string, data []byte) (as []assignment, errs Errors, refused map[string]bool) {
	refused = map[string]bool{}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(data), name)
	if err != nil {
		line, msg := 0, err.Error()
		var pe syntax.ParseError
		var le syntax.LangError
		switch {
		case errors.As(err, &pe):
			line, msg = int(pe.Pos.Line()), pe.Text
			if q, ok := strings.CutPrefix(msg, "reached EOF without closing quote "); ok {
				msg = "unmatched " + strings.Trim(q, "`")
			}
		case errors.As(err, &le):
			line, msg = int(le.Pos.Line()), le.Error()
		}
		errs = append(errs, &FieldError{File: name, Line: line,
			Accepted: fmt.Sprintf("cannot read this line (%s); expected KEY=VALUE", msg)})
		return nil, errs, refused
	}
	lastLine := 0
	for _, st := range f.Stmts {
		line := int(st.Pos().Line())
		if line == lastLine {
			continue // the rest of a line already refused for its ';' or '&'
		}
		lastLine = int(st.End().Line())
		a, bad := readStatement(name, data, st)
		if bad != nil {
			errs = append(errs, bad)
			if bad.Key != "" {
				refused[bad.Key] = true
			}
			if name := refusedName(st); name != "" {
				refused[name] = true
			}
			continue
		}
		as = append(as, a)
	}
	return as, errs, refused
}

// readStatement turns one statement into an assignment, or refuses it.
func readStatement(name string, data []byte, st *syntax.Stmt) (assignment, *FieldError) {
	line := int(st.Pos().Line())
	whole := source(data, st)
	fail := func(why string) (assignment, *FieldError) {
		return assignment{}, &FieldError{File: name, Line: line, Accepted: fmt.Sprintf("%s: %s; expected KEY=VALUE or export KEY=VALUE", shorten(whole), why)}
	}
	var as *syntax.Assign
	switch cmd := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(cmd.Assigns) == 0 {
			if len(cmd.Args) == 0 {
				return fail("not an assignment")
			}
			return assignment{}, &FieldError{File: name, Line: line,
				Accepted: fmt.Sprintf("bash would run %s as a command; expected KEY=VALUE", shorten(source(data, cmd.Args[0])))}
		}
		if len(cmd.Assigns) > 1 {
			return fail("one assignment per line")
		}
		as = cmd.Assigns[0]
		if len(cmd.Args) > 0 {
			return refuse(name, data, line, as, st, fmt.Sprintf("bash would run %s as a command with %s set for it only", shorten(source(data, cmd.Args[0])), as.Name.Value),
				fmt.Sprintf("bash would run a command with %s set for it only", as.Name.Value))
		}
	case *syntax.DeclClause:
		if cmd.Variant.Value != "export" || len(cmd.Args) != 1 || cmd.Args[0].Naked || cmd.Args[0].Name == nil {
			return fail("not an assignment")
		}
		as = cmd.Args[0]
	case nil:
		return fail("not an assignment")
	default:
		return assignment{}, &FieldError{File: name, Line: line,
			Accepted: "bash would run this line as commands (&&, ||, |, a function, a loop, a test or a group); expected KEY=VALUE"}
	}
	switch {
	case as.Append:
		return fail("+= appends to a value")
	case as.Index != nil:
		return fail("bash would set an array element")
	case as.Array != nil:
		return fail("bash would make an array")
	case st.Background || st.Coprocess || st.Disown:
		return refuse(name, data, line, as, st, "bash would run it in the background (&)", "")
	case st.Semicolon.IsValid():
		return refuse(name, data, line, as, st, "one assignment per line, without ';'", "")
	case st.Negated:
		return fail("bash would run it as a command (!)")
	case len(st.Redirs) > 0:
		return refuse(name, data, line, as, st, "bash would redirect input or output (<, >)", "")
	}
	v, why, generic := wordValue(data, as.Value)
	if why != "" {
		return refuse(name, data, line, as, st, why, generic)
	}
	end := as.Name.End()
	if as.Value != nil {
		end = as.Value.End()
	} else {
		end = syntax.NewPos(end.Offset()+1, end.Line(), end.Col()+1) // the '='
	}
	return assignment{Key: as.Name.Value, Value: v, Line: line, Start: int(as.Pos().Offset()), End: int(end.Offset())}, nil
}

// refuse makes the error for an assignment bash would not read as plain
// text. why may quote the file; generic, for secrets, must not. The
// error shows the safe form: the text as written, in single quotes.
func refuse(name string, data []byte, line int, as *syntax.Assign, st *syntax.Stmt, why, generic string) (assignment, *FieldError) {
	key := as.Name.Value
	written, rest := "", ""
	if as.Value != nil {
		written = source(data, as.Value)
		if call, ok := st.Cmd.(*syntax.CallExpr); ok && len(call.Args) > 0 {
			rest = string(data[as.Value.End().Offset():call.Args[len(call.Args)-1].End().Offset()])
		} else if st.Semicolon.IsValid() && !st.Background {
			rest = string(data[as.Value.End().Offset():])
			rest, _, _ = strings.Cut(rest, "\n")
			rest = strings.TrimRight(strings.SplitN(rest, " #", 2)[0], " \t")
		}
	}
	if k, ok := Lookup(key); ok && k.Secret {
		if generic == "" {
			generic = why
		}
		return assignment{}, &FieldError{File: name, Line: line, Key: key, Value: "(hidden)",
			Accepted: generic + `; quote the value in single quotes ('…', each ' inside written as '\'')`}
	}
	e := &FieldError{File: name, Line: line, Key: key, Value: shorten(written + rest), Accepted: why}
	if as.Value != nil {
		e.Accepted += "; write " + key + "=" + singleQuoted(literalIntent(data, as.Value)+rest)
	}
	return assignment{}, e
}

// refusedName is the key a refused statement was about to set, if any.
func refusedName(st *syntax.Stmt) string {
	switch cmd := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(cmd.Assigns) > 0 {
			return cmd.Assigns[0].Name.Value
		}
	case *syntax.DeclClause:
		for _, a := range cmd.Args {
			if a.Name != nil {
				return a.Name.Value
			}
		}
	}
	return ""
}

// literalIntent is what the writer most likely meant: the value with its
// quotes removed and every expansion kept as written.
func literalIntent(data []byte, w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			s, _ := unquotedLit(p.Value, false, false)
			b.WriteString(s)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					s, _ := doubleQuotedLit(l.Value)
					b.WriteString(s)
				} else {
					b.WriteString(source(data, q))
				}
			}
		default:
			b.WriteString(source(data, p))
		}
	}
	return b.String()
}

// wordValue is the value bash gives the word, or why it is refused (why
// may quote the file; generic does not).
func wordValue(data []byte, w *syntax.Word) (v, why, generic string) {
	if w == nil {
		return "", "", ""
	}
	var b strings.Builder
	for i, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			afterColon := strings.HasSuffix(b.String(), ":")
			s, bad := unquotedLit(p.Value, i == 0, afterColon)
			if bad != "" {
				return "", bad, bad
			}
			b.WriteString(s)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", "bash would decode $'…' escapes", "bash would decode $'…' escapes"
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", `bash would translate $"…"`, `bash would translate $"…"`
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", expansion(data, q), "bash would expand part of the value"
				}
				s, bad := doubleQuotedLit(l.Value)
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

// expansion says what bash would do with a part that is not plain text.
func expansion(data []byte, p syntax.Node) string {
	src := shorten(source(data, p))
	switch p.(type) {
	case *syntax.CmdSubst, *syntax.ProcSubst:
		return "bash would run the command " + src
	case *syntax.ArithmExp:
		return "bash would compute " + src
	case *syntax.ParamExp:
		return "bash would expand " + src
	case *syntax.ExtGlob:
		return "bash would read " + src + " as a pattern"
	}
	return "bash would expand " + src
}

// unquotedLit applies bash's rules to text outside quotes: a backslash
// takes the next character literally; a '~' at the start of the value or
// after a ':' is a home directory; a '$' is refused even where bash would
// keep it, to keep the rule simple. The text comes back also with a
// problem, as the writer most likely meant it.
func unquotedLit(raw string, wordStart, afterColon bool) (string, string) {
	var b strings.Builder
	problem := ""
	note := func(p string) {
		if problem == "" {
			problem = p
		}
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\\':
			i++
			if i == len(raw) {
				note("a backslash at the end of the file")
				continue
			}
			if raw[i] != '\n' {
				b.WriteByte(raw[i])
			}
			afterColon = false
			continue
		case c == '~' && (i == 0 && wordStart || afterColon):
			note("bash would expand ~ to a home directory")
		case c == '$':
			note("a $ outside single quotes")
		}
		b.WriteByte(c)
		afterColon = c == ':'
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

func source(data []byte, n syntax.Node) string {
	return string(data[n.Pos().Offset():n.End().Offset()])
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
