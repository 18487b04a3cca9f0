package atomicfile

import (
	"errors"
	"io/fs"
	"os"
)

// Error is a replace that failed. Until the final rename nothing touches
// the file, so after any Error the file still holds its old content.
type Error struct {
	Path   string // the file as the caller named it
	Target string // where Path's symbolic links lead, when that is elsewhere
	Step   string // what failed: "write", "rename", ...
	Err    error  // the cause, without a path of its own
}

func (e *Error) Error() string {
	where := e.Path
	if e.Target != "" && e.Target != e.Path {
		where += " (link to " + e.Target + ")"
	}
	return "atomicfile: replace " + where + ": " + e.Step + ": " + e.Err.Error() + "; the file is unchanged"
}

func (e *Error) Unwrap() error { return e.Err }

// bare strips the path from an os error: the temporary file's name means
// nothing to the user, and the file's own name is already in Error.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
