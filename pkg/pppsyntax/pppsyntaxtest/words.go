package pppsyntaxtest

import (
	"fmt"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
)

// ReadWords splits text into words as pppd's getword() does: the words
// of every entry pppsyntax.SplitSecrets finds, in order (pppd's option
// files and secrets files share the word rules; a secrets entry is only a
// grouping of them). Where pppd only warns (an unterminated quote at the
// end, a word cut at MaxWordLen, a NUL that ends a word early) it returns
// every word as pppd would use it with an error about the first problem.
func ReadWords(text string) ([]pppsyntax.Word, error) {
	spans, err := pppsyntax.SplitSecrets(text)
	var words []pppsyntax.Word
	for _, sp := range spans {
		words = append(words, sp.Words...)
	}
	return words, err
}

// SecretsEntry is one entry of chap-secrets or pap-secrets as pppd reads it.
type SecretsEntry struct {
	Client, Server, Secret string
	Addrs                  []string // the words after the secret, up to "--"
	Options                []string // the words after "--": pppd options for this peer
	Line                   int      // line of the client word
}

// ParseSecrets reads a secrets file the way pppd's scan_authfile does
// (pppd/auth.c; the entries of pppsyntax.SplitSecrets): the first three
// words of an entry are client, server and secret, the rest addresses,
// and after a "--" word, options.
//
// pppd silently skips an entry of fewer than three words; ParseSecrets
// leaves it out too and reports it as an error, along with the warnings
// of ReadWords, while still returning every complete entry.
func ParseSecrets(text string) ([]SecretsEntry, error) {
	spans, firstErr := pppsyntax.SplitSecrets(text)
	var entries []SecretsEntry
	for _, sp := range spans {
		g := sp.Words
		if len(g) < 3 {
			if firstErr == nil {
				firstErr = fmt.Errorf("%w: line %d: secrets entry of %d words, pppd ignores entries of fewer than 3", pppsyntax.ErrSyntax, g[0].Line, len(g))
			}
			continue
		}
		e := SecretsEntry{Client: g[0].Text, Server: g[1].Text, Secret: g[2].Text, Line: g[0].Line}
		rest := g[3:]
		for i, w := range rest {
			if w.Text == "--" {
				e.Options = texts(rest[i+1:])
				rest = rest[:i]
				break
			}
		}
		e.Addrs = texts(rest)
		entries = append(entries, e)
	}
	return entries, firstErr
}

func texts(ws []pppsyntax.Word) []string {
	if len(ws) == 0 {
		return nil
	}
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Text
	}
	return out
}
