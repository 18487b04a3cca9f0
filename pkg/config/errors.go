package config

import (
	"fmt"
	"strings"
)

// FieldError is one bad value: where it is, what it is, what is accepted.
type FieldError struct {
	File string
	Line int // 0 when the key is not in the file (a default, or missing)
	Key  string
	// Value as written in the file; secrets are never put here.
	Value    string
	Accepted string
}

func (e *FieldError) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Key == "" {
		return fmt.Sprintf("%s: %s", where, e.Accepted)
	}
	return fmt.Sprintf("%s: %s=%s: %s", where, e.Key, e.Value, e.Accepted)
}

// Errors is every FieldError of one file, in line order.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Warning is something worth telling an operator that does not stop the
// suite, such as an unknown key.
type Warning struct {
	File    string
	Line    int
	Message string
}

func (w Warning) String() string {
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message)
}
