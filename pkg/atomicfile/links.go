package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinks is how many symbolic links are followed before giving up, as
// the kernel does (MAXSYMLINKS).
const maxLinks = 40

// Result says which file a write replaces and what that costs.
type Result struct {
	Path   string // the file as the caller named it
	Target string // Path with its symbolic links followed: the file replaced
	// HardLinks is how many names the replaced file had; 0 when it did
	// not exist. The new file takes only Target's name: the others keep
	// the old content.
	HardLinks int
}

// Warning is what to tell the user before or after the write, or "" when
// there is nothing to say.
func (r Result) Warning() string {
	if r.HardLinks <= 1 {
		return ""
	}
	where := r.Path
	if r.Target != r.Path {
		where += " (link to " + r.Target + ")"
	}
	return fmt.Sprintf("%s has %d hard links: writing it replaces it, the other names keep the old content", where, r.HardLinks)
}

// Inspect says what a write of path would replace, without writing.
func Inspect(path string) (Result, error) {
	res := Result{Path: path}
	target, err := resolve(path)
	res.Target = target
	if err != nil {
		return res, err
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return res, nil
	case err != nil:
		return res, &Error{Path: path, Target: target, Step: "stat", Err: bare(err)}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		res.HardLinks = int(st.Nlink)
	}
	return res, nil
}

// resolve follows path's symbolic links to the file they end at, which
// need not exist: writing through a dangling link creates its target, as
// a shell's ">" does. A link is followed as the kernel follows it: an
// absolute target from the real root, a relative one from the link's
// directory, that directory not cleaned, so that ".." after a directory
// that is itself a link goes where the kernel would go.
func resolve(path string) (string, error) {
	p := path
	for hops := 0; ; hops++ {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return p, &Error{Path: path, Target: p, Step: "follow symbolic links", Err: bare(err)}
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		if hops == maxLinks {
			return p, &Error{Path: path, Step: fmt.Sprintf("follow symbolic links (more than %d)", maxLinks), Err: syscall.ELOOP}
		}
		next, err := os.Readlink(p)
		if err != nil {
			return p, &Error{Path: path, Target: p, Step: "read symbolic link", Err: bare(err)}
		}
		if !filepath.IsAbs(next) {
			next = dirOf(p) + next
		}
		p = next
	}
}

// dirOf is the directory part of p with its trailing slash, uncleaned
// ("" for a name in the working directory).
func dirOf(p string) string {
	return p[:strings.LastIndexByte(p, '/')+1]
}
