package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Write replaces path with data, with mode perm, like Replace, for callers
// that have nothing to tell about hard links.
func Write(path string, data []byte, perm fs.FileMode) error {
	_, err := Replace(path, data, perm)
	return err
}

// Replace replaces path with data, with mode perm. When path is a symbolic
// link, the file it leads to is replaced and the link kept; when that file
// exists, its owner is kept and its mode replaced by perm. The Result names
// the file replaced and how many hard links it had: see Result.Warning.
func Replace(path string, data []byte, perm fs.FileMode) (Result, error) {
	res, err := Inspect(path)
	if err != nil {
		return res, err
	}
	fail := func(step string, err error) (Result, error) {
		return res, &Error{Path: path, Target: res.Target, Step: step, Err: bare(err)}
	}
	dir, base := filepath.Split(res.Target)
	if dir == "" {
		dir = "."
	}
	// The temporary file sits beside the target, not the link: a rename
	// only works within one file system.
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fail("create a temporary file in "+dir, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fail("write", err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fail("chmod", err)
	}
	if fi, err := os.Stat(res.Target); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			// Only root may give a file away; a failure here for anyone
			// else leaves the file theirs, which is what they can have.
			_ = tmp.Chown(int(st.Uid), int(st.Gid))
		}
	}
	if err := tmp.Sync(); err != nil {
		return fail("sync", err)
	}
	if err := tmp.Close(); err != nil {
		return fail("close", err)
	}
	if err := os.Rename(tmp.Name(), res.Target); err != nil {
		return fail("rename", err)
	}
	done = true
	syncDir(dir)
	return res, nil
}

// syncDir makes the rename itself durable. File systems that cannot sync a
// directory still did the rename, so a failure is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Same reports whether path exists with exactly data and mode perm.
func Same(path string, data []byte, perm fs.FileMode) (bool, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("atomicfile: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return false, fmt.Errorf("atomicfile: %w", err)
	}
	return bytes.Equal(old, data) && fi.Mode().Perm() == perm.Perm(), nil
}

// ReplaceIfChanged replaces like Replace unless path already holds data
// with mode perm, and reports whether it wrote. The Result is Replace's
// when it tried to write (even if that failed), the zero Result when the
// file was left alone.
func ReplaceIfChanged(path string, data []byte, perm fs.FileMode) (Result, bool, error) {
	same, err := Same(path, data, perm)
	if err != nil || same {
		return Result{}, false, err
	}
	res, err := Replace(path, data, perm)
	return res, true, err
}
