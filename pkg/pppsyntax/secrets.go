package pppsyntax

import (
	"fmt"
	"strings"
)

const (
	// MaxNameLen is the longest client or server name that can match:
	// pppd keeps its own name ("user", "name", "remotename") in
	// MAXNAMELEN (256) bytes with the NUL, and compares the whole word
	// from the secrets file against that.
	MaxNameLen = 255

	// MaxSecretLen is the longest secret that pppd uses whole: the PAP
	// password is copied into MAXSECRETLEN (256) bytes with the NUL (CHAP
	// would take 256, PAP cuts to 255; the shorter one holds for both).
	MaxSecretLen = 255
)

// SecretsSpan is one entry of a secrets file as it stands in the text:
// its words, as pppd uses them, and the whole lines it takes.
type SecretsSpan struct {
	Words []Word
	// Start is where the line of the first word begins; End is just past
	// the newline that ends the line of the last word (or the end of the
	// text). Between two entries' spans lie only blank lines and comments.
	Start, End int
}

// SplitSecrets splits a secrets file into entries the way pppd's
// scan_authfile does (pppd/auth.c): an entry is the words from one that
// follows a newline up to the next such word, so quoted newlines and
// backslash-newline keep an entry going while a comment ends it at its
// newline. Entries of fewer than three words, which pppd skips, are
// included, so that an entry can be cut out whole whatever lines it
// spans. A word pppd cuts or ends early still spans every byte it was
// written with. The error is the first problem of the words (see
// scanWords).
func SplitSecrets(text string) ([]SecretsSpan, error) {
	words, err := scanWords(text)
	var spans []SecretsSpan
	for _, w := range words {
		// scan_authfile counts the file's first word as the start of a
		// line whether or not a newline came before it.
		if len(spans) == 0 || w.newline {
			spans = append(spans, SecretsSpan{Start: lineStart(text, w.start)})
		}
		sp := &spans[len(spans)-1]
		sp.Words = append(sp.Words, w.Word)
		sp.End = lineEnd(text, w.end)
	}
	return spans, err
}

// lineStart is the offset of the line holding offset i. Only white space
// can stand between it and a word that follows a newline.
func lineStart(text string, i int) int {
	return strings.LastIndexByte(text[:i], '\n') + 1
}

// lineEnd is the offset just past the newline at or after i, or the end of
// the text. After an entry's last word its line holds at most white space,
// a comment or a backslash-newline: no word of another entry.
func lineEnd(text string, i int) int {
	if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(text)
}

// CheckName reports why s cannot be written by us as the client or server
// name of a secrets entry, or nil. Quoting does not help with any of
// these: pppd compares the unquoted word.
func CheckName(s string) error {
	switch s {
	case "":
		return fmt.Errorf("%w: name: pppd treats an empty name as unknown, and an entry with an empty client is what its null login (empty user and password) looks for", ErrEmpty)
	case "*":
		return fmt.Errorf("%w: name \"*\": pppd reads it as a wildcard that matches every name", ErrReserved)
	case "-":
		return fmt.Errorf("%w: name \"-\": pppd gives a lone \"-\" in secrets files the meaning \"none\"", ErrReserved)
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return &CharError{Func: "CheckName", Char: 0, Offset: i,
			Reason: "pppd keeps names as C strings, so the name would end there"}
	}
	if len(s) > MaxNameLen {
		return fmt.Errorf("%w: name of %d bytes: pppd keeps at most %d, so it could never match", ErrTooLong, len(s), MaxNameLen)
	}
	return nil
}

// CheckSecret reports why s cannot be written by us as the secret of a
// secrets entry, or nil.
//
// An empty secret is refused with ErrEmpty: in pap-secrets it lets a peer
// of that name log in with any password whenever pppd authenticates peers.
// A caller that means "no password" can test errors.Is(err, ErrEmpty) and
// leave the entry out instead.
func CheckSecret(s string) error {
	if s == "" {
		return fmt.Errorf("%w: secret: in pap-secrets an empty secret accepts any password from a peer of that name", ErrEmpty)
	}
	if s[0] == '@' {
		return fmt.Errorf("%w: secret starts with \"@\": pppd reads \"@/path\" as a file holding the secret and \"@login\" as the system password database", ErrReserved)
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return &CharError{Func: "CheckSecret", Char: 0, Offset: i,
			Reason: "pppd keeps secrets as C strings, so the secret would end there"}
	}
	if len(s) > MaxSecretLen {
		return fmt.Errorf("%w: secret of %d bytes: pppd uses at most %d", ErrTooLong, len(s), MaxSecretLen)
	}
	return nil
}
