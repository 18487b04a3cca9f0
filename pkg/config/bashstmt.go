package config

// statement is one simple command as the lexer found it: its words and
// what surrounds them. Lists, pipelines, compound commands and functions
// are only recognised (commands), not read.
type statement struct {
	start, end    int // its bytes, with a ';' or '&' ending it
	line, endLine int
	negated       bool   // after a '!'
	words         []word // without redirection targets
	redirected    bool
	heredoc       bool   // a <<, whose text follows the line
	terminator    string // ";" or "&", or none at the end of a line
	commands      bool
}

// Words that start a compound command, or that bash refuses there.
var reservedWords = map[string]bool{"if": true, "then": true, "else": true, "elif": true, "fi": true,
	"case": true, "esac": true, "for": true, "select": true, "while": true, "until": true, "do": true,
	"done": true, "function": true, "time": true, "coproc": true, "{": true, "}": true, "[[": true}

var redirections = map[string]bool{"<": true, ">": true, ">>": true, "<<": true, "<<-": true, "<<<": true,
	"<>": true, "<&": true, ">&": true, ">|": true, "&>": true, "&>>": true}

// statement reads the next statement, or returns nil at the end of the
// file.
func (r *fileReader) statement() (*statement, *syntaxError) {
	tok, err := r.lex.next()
	for err == nil && tok.kind == newlineToken {
		tok, err = r.lex.next()
	}
	if err != nil || tok.kind == eofToken {
		return nil, err
	}
	st := &statement{start: tok.start, end: tok.end, line: r.lineOf(tok.start)}
	done := func() (*statement, *syntaxError) {
		st.endLine = r.lineOf(st.end)
		return st, nil
	}
	if tok.kind == wordToken && literalWord(tok.word) == "!" {
		st.negated = true
		if tok, err = r.lex.next(); err != nil {
			return nil, err
		}
	}
	if tok.kind == wordToken && reservedWords[literalWord(tok.word)] || tok.kind == opToken && tok.op == "(" {
		st.commands = true
		return done()
	}
	for ; ; tok, err = r.lex.next() {
		if err != nil {
			return nil, err
		}
		switch {
		case tok.kind == newlineToken || tok.kind == eofToken:
			if len(st.words) == 0 && !st.redirected {
				return nil, &syntaxError{st.start, "`!` cannot form a statement alone"}
			}
			return done()
		case tok.kind == wordToken:
			st.words = append(st.words, tok.word)
			st.end = tok.end
		case redirections[tok.op]:
			st.redirected = true
			st.heredoc = st.heredoc || tok.op == "<<" || tok.op == "<<-"
			if n := len(st.words); n > 0 && st.words[n-1].end == tok.start && isDigits(literalWord(st.words[n-1])) {
				st.words = st.words[:n-1] // 2>x: the number is the descriptor
			}
			target, err := r.lex.next()
			if err != nil {
				return nil, err
			}
			if target.kind != wordToken {
				return nil, &syntaxError{tok.start, "`" + tok.op + "` must be followed by a word"}
			}
			st.end = target.end
		case tok.op == ";" || tok.op == "&":
			if len(st.words) == 0 && !st.redirected {
				return nil, &syntaxError{tok.start, "`" + tok.op + "` can only immediately follow a statement"}
			}
			st.terminator = tok.op
			st.end = tok.end
			return done()
		case tok.op == "&&" || tok.op == "||" || tok.op == "|" || tok.op == "|&":
			st.commands = true
			return done()
		case tok.op == "(" && len(st.words) == 1 && !st.redirected && validKeyName(literalWord(st.words[0])):
			st.commands = true // NAME() …: a function
			return done()
		case tok.op == ";;" || tok.op == ";&" || tok.op == ";;&":
			return nil, &syntaxError{tok.start, "`" + tok.op + "` can only be used in a case clause"}
		default:
			return nil, &syntaxError{tok.start, "a command can only contain words and redirects; encountered `" + tok.op + "`"}
		}
	}
}

// literalWord is the text of a word that is one unquoted piece without
// backslashes, or "".
func literalWord(w word) string {
	if len(w.parts) != 1 || w.parts[0].kind != litPart {
		return ""
	}
	for _, c := range []byte(w.parts[0].text) {
		if c == '\\' {
			return ""
		}
	}
	return w.parts[0].text
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// isDeclaration: a builtin whose arguments bash reads as assignments.
func isDeclaration(w word) bool {
	switch literalWord(w) {
	case "export", "declare", "typeset", "local", "readonly", "nameref":
		return true
	}
	return false
}
