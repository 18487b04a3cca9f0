package pppfiles

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
)

// SecretsHeader opens a secrets file that gen_pppconfig creates.
const SecretsHeader = `# Secrets for authentication using CHAP/PAP
# client      server      secret          IP addresses
`

// SecretsLine renders our entry: the account, server ppp0, the password.
func SecretsLine(c *config.Config) (string, error) {
	if err := pppsyntax.CheckName(c.Account); err != nil {
		return "", c.Errorf("ACCOUNT", c.Account, "cannot be a pppd client name: "+err.Error())
	}
	if err := pppsyntax.CheckSecret(c.Password); err != nil {
		return "", c.Errorf("PASSWORD", "(hidden)", "cannot be a pppd secret: "+err.Error())
	}
	client, err := pppsyntax.OptionWord(c.Account)
	if err != nil {
		return "", c.Errorf("ACCOUNT", c.Account, "cannot be a pppd client name: "+err.Error())
	}
	secret, err := pppsyntax.OptionWord(c.Password)
	if err != nil {
		return "", c.Errorf("PASSWORD", "(hidden)", "cannot be a pppd secret: "+err.Error())
	}
	return fmt.Sprintf("%s %s      %s\n", client, RemoteName, secret), nil
}

// ours returns the entries of ours in a secrets file: those with server
// ppp0, the remote name only our peer file uses. An entry is found the way
// pppd reads it, whatever lines it spans and even where pppd cuts a word
// of it or skips it as incomplete, so that no piece of an old entry of ours
// can be left behind.
func ours(old []byte) []pppsyntax.SecretsSpan {
	spans, _ := pppsyntax.SplitSecrets(string(old))
	var out []pppsyntax.SecretsSpan
	for _, sp := range spans {
		if len(sp.Words) >= 2 && sp.Words[1].Text == RemoteName {
			out = append(out, sp)
		}
	}
	return out
}

// HasOurs reports whether a secrets file holds an entry of ours.
func HasOurs(old []byte) bool { return len(ours(old)) > 0 }

// EditSecrets returns the secrets file old with our entries replaced by
// entry (one line), or removed when entry is empty. Each entry of ours goes
// with all the lines it takes; every other byte stays. The first entry of
// ours is replaced where it stands; a new entry is appended. exists tells
// whether the file is there at all: a missing file is created with a
// header, and only when there is an entry.
func EditSecrets(old []byte, exists bool, entry string) []byte {
	if !exists {
		if entry == "" {
			return nil
		}
		return []byte(SecretsHeader + entry)
	}
	var out bytes.Buffer
	found := ours(old)
	kept := 0 // old[:kept] has been dealt with
	for i, sp := range found {
		out.Write(old[kept:sp.Start])
		if i == 0 {
			out.WriteString(entry)
		}
		kept = sp.End
	}
	out.Write(old[kept:])
	if entry == "" || len(found) > 0 {
		return out.Bytes()
	}
	return addEntry(out.Bytes(), entry)
}

// addEntry appends entry to a secrets file, on a line of its own, unless
// that would change how pppd reads the file's end: a file that ends inside
// a quote or on a backslash would take the entry into its last word, and
// the newline put after a last "" makes it a word. Then the entry goes
// first, where nothing comes before it.
func addEntry(text []byte, entry string) []byte {
	var out bytes.Buffer
	out.Write(text)
	if out.Len() > 0 && !bytes.HasSuffix(text, []byte("\n")) {
		out.WriteByte('\n')
	}
	at := out.Len()
	out.WriteString(entry)
	before, _ := pppsyntax.SplitSecrets(string(text))
	after, _ := pppsyntax.SplitSecrets(out.String())
	if len(after) == len(before)+1 && after[len(before)].Start == at && slices.EqualFunc(before, after[:len(before)], sameWords) {
		return out.Bytes()
	}
	return append([]byte(entry), text...)
}

func sameWords(a, b pppsyntax.SecretsSpan) bool {
	return slices.Equal(a.Words, b.Words)
}
