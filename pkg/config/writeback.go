package config

import (
	"bytes"
	"fmt"
	"os"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
)

// SetKey sets key=value in the file at path: the value of the last
// statement that sets key is replaced (an "export" before it and a comment
// after it kept), or the line is appended. Every other byte, and the
// file's mode and owner, are kept; the file is replaced atomically.
// Nothing is written when the file already says so.
func SetKey(path, key, value string) error {
	if !validKeyName(key) || !printable(value) || bytes.ContainsAny([]byte(value), "\"'\\$`# ~;&|<>(){}*?[]!") {
		return fmt.Errorf("config: set %s: refusing to write %q", key, value)
	}
	data, err := readFile(path)
	if err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	out, err := setLine(path, data, key, value)
	if err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	if bytes.Equal(out, data) {
		return nil
	}
	if err := atomicfile.Write(path, out, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("config: set %s: %w", key, err)
	}
	return nil
}

// validKeyName: a name bash can assign to.
func validKeyName(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return k != ""
}

// setLine is SetKey on bytes. The statements are found as bash reads them,
// so a line inside a multi-line value is never taken for one of its own;
// the result is read again to make sure that only key changed.
func setLine(name string, data []byte, key, value string) ([]byte, error) {
	if e := checkText(name, data); e != nil {
		return nil, fmt.Errorf("the file is not one bash reads as it shows, so it is left alone: %w", e)
	}
	before, errs, _ := readAssignments(name, data)
	if len(errs) > 0 {
		return nil, fmt.Errorf("the file is not plain assignments, so it is left alone: %w", errs)
	}
	var candidates [][]byte
	last := -1
	for i, a := range before {
		if a.Key == key {
			last = i
		}
	}
	if last >= 0 {
		a := before[last]
		var b bytes.Buffer
		b.Write(data[:a.Start])
		fmt.Fprintf(&b, "%s=%s", key, value)
		b.Write(data[a.End:])
		candidates = append(candidates, b.Bytes())
	} else {
		end := data
		if len(end) > 0 && end[len(end)-1] != '\n' {
			end = append(end[:len(end):len(end)], '\n')
		}
		appended := fmt.Sprintf("%s=%s\n", key, value)
		// A last line ending in a backslash would continue into the new
		// line; an empty line in between ends it.
		candidates = append(candidates, append(end[:len(end):len(end)], appended...),
			append(end[:len(end):len(end)], "\n"+appended...))
	}
	for _, out := range candidates {
		if onlyKeyChanged(name, before, out, key, value) {
			return out, nil
		}
	}
	return nil, fmt.Errorf("cannot set %s=%s without changing another value", key, value)
}

// onlyKeyChanged reports whether out reads as before with key=value, and
// every other key as it was.
func onlyKeyChanged(name string, before []assignment, out []byte, key, value string) bool {
	after, errs, _ := readAssignments(name, out)
	if len(errs) > 0 {
		return false
	}
	want := map[string]string{key: value}
	for _, a := range before {
		if a.Key != key {
			want[a.Key] = a.Value
		}
	}
	got := map[string]string{}
	for _, a := range after {
		got[a.Key] = a.Value
	}
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}
