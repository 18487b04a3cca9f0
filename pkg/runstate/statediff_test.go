package runstate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Where encoding/json reads a file, we read it to the same State, and
// the other way round, but for our deliberate differences: keys match
// exactly (encoding/json also takes "PID" for "pid"), a top-level null
// is refused (it is no state), and a time may be written with escapes.
func FuzzDecodeAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"pid":1,"pid":null,"last_exit":null}`, `{"x":[{"y":[1,-2.5E+3,true,false,null,"\uD83D\uDE00"]}]}`,
		`{"phase":"\uD800\u0041 \xff"}`, `{"since":"2026-07-01T12:34:56.123456789+09:00"}`, `{"pid":"1"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Equal(bytes.TrimSpace(data), []byte("null")) || hasFoldedKey(data) {
			return
		}
		var theirs State
		theirErr := json.Unmarshal(data, &theirs)
		ours, err := decodeState(data)
		switch {
		case theirErr == nil && err != nil:
			t.Fatalf("decodeState(%q) = %v, but encoding/json reads it as %+v", data, err, theirs)
		case theirErr != nil && err == nil && !bytes.Contains(data, []byte(`\`)):
			t.Fatalf("decodeState(%q) = %+v, but encoding/json refuses it: %v", data, ours, theirErr)
		case theirErr == nil && !sameState(ours, theirs):
			t.Fatalf("decodeState(%q) = %+v, want encoding/json's %+v", data, ours, theirs)
		}
	})
}

// hasFoldedKey reports whether data has a key that encoding/json would
// take for one of State's although it is spelled otherwise.
func hasFoldedKey(data []byte) bool {
	folded := false
	d := &decoder{data: data}
	d.space()
	if !d.next('{') {
		return false
	}
	d.members(func(key string) error {
		for _, f := range stateFields {
			// EqualFold also takes the Kelvin sign for k, as encoding/json does.
			if key != f.key && strings.EqualFold(key, f.key) {
				folded = true
			}
		}
		return d.skip()
	})
	return folded
}
