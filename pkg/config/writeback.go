package config

import (
	"bytes"
	"fmt"
	"os"
	"regexp"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
)

// SetKey sets key=value in the file at path: the last line that sets key
// is replaced (its "export" prefix kept), or the line is appended. Every
// other byte, and the file's mode and owner, are kept; the file is
// replaced atomically. Nothing is written when the file already says so.
func SetKey(path, key, value string) error {
	if !keyNameRE.MatchString(key) || !printable(value) || bytes.ContainsAny([]byte(value), "\"'\\$`# ") {
		return fmt.Errorf("config: set %s: refusing to write %q", key, value)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	out := setLine(data, key, value)
	if bytes.Equal(out, data) {
		return nil
	}
	if err := atomicfile.Write(path, out, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	return nil
}

var keyNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// setLine is SetKey on bytes.
func setLine(data []byte, key, value string) []byte {
	re := regexp.MustCompile(`^(\s*(?:export\s+)?)` + regexp.QuoteMeta(key) + `\s*=`)
	lines := bytes.SplitAfter(data, []byte("\n"))
	last := -1
	for i, l := range lines {
		if re.Match(l) {
			last = i
		}
	}
	if last < 0 {
		var b bytes.Buffer
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s=%s\n", key, value)
		return b.Bytes()
	}
	old := lines[last]
	prefix := re.FindSubmatch(old)[1]
	eol := ""
	if bytes.HasSuffix(old, []byte("\r\n")) {
		eol = "\r\n"
	} else if bytes.HasSuffix(old, []byte("\n")) {
		eol = "\n"
	}
	lines[last] = []byte(fmt.Sprintf("%s%s=%s%s", prefix, key, value, eol))
	return bytes.Join(lines, nil)
}
