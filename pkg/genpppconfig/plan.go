package genpppconfig

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/pppfiles"
)

// file is one file to write, with what it holds now.
type file struct {
	path    string // on the target system
	abs     string // under --root
	content []byte
	mode    fs.FileMode
	exists  bool
	old     []byte
	// secrets files are shown as a summary, never in full.
	secret  bool
	summary string
}

// absent is a file that is not there and has nothing to put in it: a
// secrets file without an entry of ours is not created.
func (f *file) absent() bool {
	return f.content == nil && !f.exists
}

// changed reports whether writing f would change it, as the write decides
// (atomicfile.Same): the content or the mode differs.
func (f *file) changed() bool {
	if f.absent() {
		return false
	}
	same, err := atomicfile.Same(f.abs, f.content, f.mode)
	return err != nil || !same
}

// plan renders every file for c and the module at l, and reads what is
// there now. Any error is returned before anything is written.
func plan(c *config.Config, l modem.Location, root string) ([]*file, error) {
	peers, err := pppfiles.Peers(c, l.Path(), l.Model.Speed)
	if err != nil {
		return nil, err
	}
	chat, err := pppfiles.Chat(c, l.Model)
	if err != nil {
		return nil, err
	}
	entry := ""
	if c.Auth != config.AuthNone {
		if entry, err = pppfiles.SecretsLine(c); err != nil {
			return nil, err
		}
	}
	files := []*file{
		{path: pppfiles.PeersPath, content: []byte(peers), mode: 0o644},
		{path: pppfiles.ChatPath, content: []byte(chat), mode: 0o644},
	}
	for _, s := range []struct{ path, auth string }{
		{pppfiles.ChapSecretsPath, config.AuthCHAP},
		{pppfiles.PapSecretsPath, config.AuthPAP},
	} {
		files = append(files, &file{path: s.path, mode: 0o600, secret: true})
		want := ""
		if c.Auth == s.auth {
			want = entry
		}
		f := files[len(files)-1]
		if err := f.read(root); err != nil {
			return nil, err
		}
		f.content = pppfiles.EditSecrets(f.old, f.exists, want)
		f.summary = secretsSummary(c, f.old, want)
	}
	for _, f := range files[:2] {
		if err := f.read(root); err != nil {
			return nil, err
		}
	}
	return files, nil
}

func (f *file) read(root string) error {
	f.abs = filepath.Join(root, f.path)
	old, err := os.ReadFile(f.abs)
	switch {
	case err == nil:
		f.old, f.exists = old, true
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return nil
}

// secretsSummary says what happens to our entry, without any secret.
func secretsSummary(c *config.Config, old []byte, want string) string {
	had := pppfiles.HasOurs(old)
	switch {
	case want != "" && had:
		return "our entry for " + c.Account + " (server ppp0) is replaced; every other line is kept"
	case want != "":
		return "our entry for " + c.Account + " (server ppp0) is added; every other line is kept"
	case had:
		return "our entries (server ppp0) are removed (AUTH=" + c.Auth + "); every other line is kept"
	}
	return "no entry of ours"
}
