package metrics

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
)

// WriteFile replaces dir/name with data atomically, with mode 0644 (the
// collector runs as its own user). name is a plain file name ending in
// .prom, the files node_exporter's textfile collector reads; the
// temporary file beside it is named .NAME.tmpRANDOM, which it does not.
func WriteFile(dir, name string, data []byte) error {
	if name == ".prom" || !strings.HasSuffix(name, ".prom") || strings.ContainsRune(name, '/') {
		return fmt.Errorf("metrics: %q: want a file name ending in .prom", name)
	}
	return atomicfile.Write(filepath.Join(dir, name), data, 0o644)
}

// WriteFile renders the set and replaces dir/name with it (WriteFile).
func (s *Set) WriteFile(dir, name string) error {
	b, err := s.Bytes()
	if err != nil {
		return err
	}
	return WriteFile(dir, name, b)
}
