package pppwrapper

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
)

// startError says why the program at path could not be started, and what
// to do (fix), in one line.
func startError(what, path, fix string, err error) string {
	why := err.Error()
	switch {
	case errors.Is(err, exec.ErrNotFound):
		why = "not found in $PATH"
	case errors.Is(err, fs.ErrNotExist):
		why = "no such file"
		if _, serr := os.Stat(path); serr == nil {
			why = "its #! interpreter does not exist"
		}
	case errors.Is(err, fs.ErrPermission):
		why = "not executable"
	case errors.Is(err, syscall.ENOEXEC):
		why = "not a program this system can run"
	}
	return fmt.Sprintf("cannot start %s (%s): %s: %s", what, path, why, fix)
}
