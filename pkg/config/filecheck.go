package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// Limits on the file, so that a wrong file (a log, a binary, a device) is
// refused at once rather than read: a real configuration is a few hundred
// bytes. Bash has no limit on a line; pppd reads option words of up to
// 1024 bytes and secrets words of up to 256, so 4096 leaves room for a
// quoted value with a comment.
const (
	MaxFileBytes = 1 << 20
	MaxLineBytes = 4096
)

// readFile reads the file at path within the limits. What makes the file
// unusable as a configuration (a directory, a loop of symbolic links, too
// large) is a *FieldError; a missing file keeps its os.ErrNotExist, and
// what could not be read is returned as it is.
func readFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, syscall.ELOOP):
		return nil, &FieldError{File: path, Accepted: "is a symbolic link that leads back to itself (a loop)"}
	case err != nil:
		return nil, fmt.Errorf("config: %w", err)
	case fi.IsDir():
		return nil, &FieldError{File: path, Accepted: "is a directory, not a configuration file"}
	case !fi.Mode().IsRegular():
		return nil, &FieldError{File: path, Accepted: "is not a regular file (a device, a pipe or a socket)"}
	case fi.Size() > MaxFileBytes:
		return nil, tooLarge(path, fi.Size())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, tooLarge(path, int64(len(data))) // it grew since the stat
	}
	return data, nil
}

func tooLarge(path string, size int64) *FieldError {
	return &FieldError{File: path, Accepted: fmt.Sprintf("is %d bytes; a configuration file may have at most %d (1 MiB)", size, MaxFileBytes)}
}

// checkText refuses text bash would read differently from what it shows,
// or that is no configuration at all, before it is parsed: one error for
// the file, on the first line concerned.
func checkText(name string, data []byte) *FieldError {
	if len(data) > MaxFileBytes {
		return tooLarge(name, int64(len(data)))
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return &FieldError{File: name, Line: 1, Accepted: "the file starts with a UTF-8 byte-order mark; save it without one"}
	}
	for n, rest := 1, data; len(rest) > 0; n++ {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		switch {
		case len(line) > MaxLineBytes:
			return &FieldError{File: name, Line: n, Accepted: fmt.Sprintf("the line is longer than %d bytes, the most a line may have", MaxLineBytes)}
		case bytes.IndexByte(line, 0) >= 0:
			return &FieldError{File: name, Line: n, Accepted: "the line holds a NUL byte (is this a binary file?)"}
		case bytes.HasSuffix(line, []byte("\r")):
			return &FieldError{File: name, Line: n, Accepted: "the file has DOS line endings (CR LF): bash keeps the CR in every value; save it with Unix (LF) line endings"}
		case bytes.IndexByte(line, '\r') >= 0:
			// Bash keeps a carriage return in a word, where an editor
			// does not show it; no key takes one.
			return &FieldError{File: name, Line: n, Accepted: "the line holds a carriage return (CR); bash would keep it in the value"}
		}
	}
	return nil
}
