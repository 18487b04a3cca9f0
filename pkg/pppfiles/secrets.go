package pppfiles

import (
	"bytes"
	"fmt"

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

// IsOurs reports whether a line of a secrets file is an entry of ours:
// its server is ppp0, the remote name only our peer file uses.
func IsOurs(line []byte) bool {
	words, err := pppsyntax.ReadWords(string(line))
	return err == nil && len(words) >= 2 && words[1].Text == RemoteName
}

// EditSecrets returns the secrets file old with our entries replaced by
// entry (one line), or removed when entry is empty. Every other line stays
// byte for byte. The first entry of ours is replaced where it stands; a new
// entry is appended. exists tells whether the file is there at all: a
// missing file is created with a header, and only when there is an entry.
func EditSecrets(old []byte, exists bool, entry string) []byte {
	if !exists {
		if entry == "" {
			return nil
		}
		return []byte(SecretsHeader + entry)
	}
	var out bytes.Buffer
	placed := false
	for _, l := range bytes.SplitAfter(old, []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		if !IsOurs(l) {
			out.Write(l)
			continue
		}
		if !placed && entry != "" {
			out.WriteString(entry)
		}
		placed = true
	}
	if entry != "" && !placed {
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			out.WriteByte('\n')
		}
		out.WriteString(entry)
	}
	return out.Bytes()
}
