package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHostileFilesRefusedAsConfigErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	longLine := "AUTH=NOAUTH\nAPN=" + strings.Repeat("a", MaxLineBytes) + "\n"
	for _, tc := range []struct{ name, path, want string }{
		{"a directory", dir, dir + ": is a directory, not a configuration file"},
		{"a symbolic link loop", loop, loop + ": is a symbolic link that leads back to itself (a loop)"},
		{"larger than 1 MiB", write("big", []byte(strings.Repeat("# padding\n", 110000))),
			filepath.Join(dir, "big") + ": is 1100000 bytes; a configuration file may have at most 1048576 (1 MiB)"},
		{"a long line", write("long", []byte(longLine)),
			filepath.Join(dir, "long") + ":2: the line is longer than 4096 bytes, the most a line may have"},
		{"a byte-order mark", write("bom", []byte("\xef\xbb\xbfAUTH=NOAUTH\n")),
			filepath.Join(dir, "bom") + ":1: the file starts with a UTF-8 byte-order mark; save it without one"},
		{"a NUL byte", write("nul", []byte("AUTH=NOAUTH\nAPN=a\x00b\n")),
			filepath.Join(dir, "nul") + ":2: the line holds a NUL byte (is this a binary file?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Load(tc.path)
			if !isConfigError(err) || err.Error() != tc.want {
				t.Errorf("Load(%s) = %v (a config error: %v), want the config error %q", tc.name, err, isConfigError(err), tc.want)
			}
		})
	}
}

// isConfigError is how the tools tell a bad file (exit 78) from one that
// could not be read (exit 1).
func isConfigError(err error) bool {
	_, isList := err.(Errors)
	_, isOne := err.(*FieldError)
	return isList || isOne
}

func TestHugeFileRefusedWithoutReadingIt(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge")
	if err := os.WriteFile(p, []byte(strings.Repeat("A=1\n", 5<<20/4)), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err := Load(p)
	took := time.Since(start)
	if !isConfigError(err) || !strings.Contains(err.Error(), "at most 1048576 (1 MiB)") {
		t.Errorf("Load(5 MB file) = %v, want a config error about its size", err)
	}
	// Reading and parsing 5 MB took seconds; refusing it by its size takes
	// a stat. The bound is loose so that a loaded machine does not fail it.
	if took > 500*time.Millisecond {
		t.Errorf("Load(5 MB file) took %v, want it refused before reading (well under 500ms)", took)
	}
}

func TestLongestLineAccepted(t *testing.T) {
	line := "VENDOR_NOTE=" + strings.Repeat("a", MaxLineBytes-len("VENDOR_NOTE="))
	c, _, err := Parse("f", []byte("AUTH=NOAUTH\n"+line+"\n"))
	if err != nil || len(c.Unknown["VENDOR_NOTE"]) != MaxLineBytes-len("VENDOR_NOTE=") {
		t.Errorf("Parse(a line of %d bytes) = %v, want it read", MaxLineBytes, err)
	}
}

func TestDeeplyNestedFileRefused(t *testing.T) {
	// Each line opens a command substitution that the next one nests
	// in: the file is refused as unreadable, the reader does not run out
	// of stack.
	for _, line := range []string{"A=$(\n", "A=\"$(\n", "A=$(\"\n"} {
		data := []byte(strings.Repeat(line, MaxFileBytes/len(line)))
		_, _, err := Parse("f", data)
		if !isConfigError(err) || !strings.Contains(err.Error(), "cannot read this line") {
			t.Errorf("Parse(%q repeated) = %.200v, want a config error: cannot read this line", line, err)
		}
	}
}
