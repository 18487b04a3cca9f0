package runstate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Any JSON object with State's keys is read as encoding/json reads it:
// whitespace anywhere, escapes, surrogate pairs, invalid UTF-8, unknown
// keys with any value, null, repeated keys.
func TestDecodeReadsWhatEncodingJSONReads(t *testing.T) {
	for _, in := range []string{
		`{}`,
		" \t\r\n{ \t\r\n\"pid\" \n:\r 7 \t,\n\"phase\"\t:\"up\"\n}\n\n",
		`{"pid":-0,"attempts":9223372036854775807,"failures":-9223372036854775808}`,
		`{"phase":"\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\uD83D\uDE00 ok"}`,
		`{"phase":"lone \uD83D high, lone \uDE00 low, high then other \uD83D\u0041, two highs \uD83D\uD83D\uDE00"}`,
		`{"phase":"\uDBFF\uDFFF\u0000\u001f\u007f\u0085\u2028"}`,
		"{\"phase\":\"bad \xff\xfe, surrogate \xed\xa0\x80, cut \xe2\x82, fine \xe2\x82\xac\"}",
		`{"unknown":{"a":[1,2.5e-3,{"b":null}],"c":"}"},"pid":3,"x":[],"y":{},"z":[[[[]]]],"t":true,"f":false,"n":null,"s":"\"}"}`,
		`{"pid":null,"phase":null,"since":null,"last_exit":null,"detail":null,"link_up_at":null}`,
		`{"last_exit":5,"last_exit":null}`,
		`{"last_exit":null,"last_exit":-3}`,
		`{"pid":1,"pid":2,"phase":"a","phase":"b"}`,
		`{"since":"2026-07-01T12:34:56.123456789+09:00","last_exit_at":"0001-01-01T00:00:00Z","link_up_at":"2000-02-29T23:59:59-03:30","next_reset_at":"9999-12-31T23:59:59.999999999Z"}`,
		`{"since":"2026-07-01T12:34:56Z","last_reset":"1970-01-01T00:00:00.5Z"}`,
		`{"pid":1,"phase":"up","since":"2026-01-01T00:00:00Z","detail":"d","peer":"ppp0","device":"/dev/ttyUSB0","pppd_pid":99,"attempts":1,"failures":0,"last_exit":0,"last_exit_meaning":"m","last_exit_at":"2026-01-01T00:00:01Z","last_reset":"2026-01-01T00:00:02Z","last_reset_why":"w","last_reset_result":"r","resets":1,"link_up_at":"2026-01-01T00:00:03Z","monitor_target":"8.8.8.8","next_reset_at":"2026-01-02T04:00:00Z"}`,
	} {
		var want State
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("json.Unmarshal(%s) = %v; the case is wrong", in, err)
		}
		got, err := decodeState([]byte(in))
		if err != nil || !sameState(got, want) {
			t.Errorf("decodeState(%s) =\n%+v, %v\nwant (encoding/json's)\n%+v", in, got, err, want)
		}
	}
}

// Malformed state.json is an error naming the file, the line and what
// was wrong, never a panic or a half-read State.
func TestReadStateRefusesMalformed(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{``, ":1: want a JSON object ({...}), got the end of the file"},
		{`null`, `:1: want a JSON object ({...}), got "null"`},
		{`[]`, `:1: want a JSON object`},
		{"\ufeff{}", `:1: want a JSON object`},
		{`{`, `:1: want a key (a string in double quotes), got the end of the file`},
		{"{\n  \"pid\": 1,\n}", `:3: want a key (a string in double quotes), got "}"`},
		{`{"pid" 1}`, `:1: want : after the key "pid"`},
		{"{\n\"pid\": 1\n\"phase\": \"up\"}", `:3: want , or } after the value of "pid", got "\"phase\": \"up\"}"`},
		{"{\n  \"pid\": \"42\"\n}", `:2: "pid": want an integer, got "\"42\""`},
		{`{"pid": 4.0}`, `:1: "pid": want an integer from`},
		{`{"pid": 1e3}`, `:1: "pid": want an integer from`},
		{`{"pid": 99999999999999999999}`, `:1: "pid": want an integer from`},
		{`{"pid": 01}`, `:1: want , or } after the value of "pid", got "1}"`},
		{`{"pid": -}`, `:1: "pid": want an integer`},
		{`{"pid": true}`, `:1: "pid": want an integer`},
		{`{"last_exit": "1"}`, `:1: "last_exit": want an integer`},
		{`{"phase": 1}`, `:1: "phase": want a string in double quotes`},
		{`{"phase": "up}`, `:1: the string has no closing double quote, got the end of the file`},
		{"{\"phase\": \"a\tb\"}", `:1: control character 0x09 in a string (JSON wants it as \u0009)`},
		{`{"phase": "\x41"}`, `:1: unknown escape \x in a string`},
		{`{"phase": "\u12"}`, `:1: want four hex digits after \u`},
		{`{"phase": "\uZZZZ"}`, `:1: want four hex digits after \u`},
		{`{"since": "yesterday"}`, `:1: "since": want a time in RFC 3339 (2006-01-02T15:04:05.999999999Z07:00), got "\"yesterday\"}"`},
		{`{"since": "2026-07-01 12:34:56Z"}`, `:1: "since": want a time in RFC 3339`},
		{`{"since": 0}`, `:1: "since": want a string in double quotes`},
		{`{"x": [1 2]}`, `:1: want , or ] in an array`},
		{`{"x": [1,]}`, `:1: want a JSON value, got "]}"`},
		{`{"x": {"a" 1}}`, `:1: want : after the key "a"`},
		{`{"x": nul}`, `:1: want a JSON value, got "nul}"`},
		{`{"x": .5}`, `:1: want a JSON value`},
		{`{"x": 1.}`, `:1: want a JSON value`},
		{`{"x": 1e}`, `:1: want a JSON value`},
		{`{"x": ` + strings.Repeat("[", maxDepth+1), `:1: values nested more than 10000 deep`},
		{`{} {}`, `:1: want nothing after the object's closing }, got "{}"`},
		{`{}x`, `:1: want nothing after the object's closing }`},
	} {
		var viaJSON State
		if json.Unmarshal([]byte(c.in), &viaJSON) == nil && c.in != "null" {
			t.Errorf("json.Unmarshal(%q) = nil error; the case is not malformed", c.in)
		}
		root := t.TempDir()
		p := StateFile(root)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(c.in), 0o644)
		s, err := ReadState(root)
		if err == nil || !strings.HasPrefix(err.Error(), "runstate: "+p+c.want) {
			t.Errorf("ReadState(%q) = %v, want runstate: %s%s...", c.in, err, p, c.want)
		}
		if s != (State{}) {
			t.Errorf("ReadState(%q) = %+v, want no State with the error", c.in, s)
		}
	}
}

// state.json holds no control character at all, even when a string from
// pppd or a modem has one (C1 controls included): `cat state.json` on a
// terminal shows the file, nothing else.
func TestStateFileShowsNoControlCharacters(t *testing.T) {
	root := t.TempDir()
	code := 2
	s := State{PID: 1, Phase: "up\x1b[2J", Since: time.Unix(1, 0).UTC(), Peer: "ppp0\x07", Detail: "a\u009b31mb\u0085c\x7fd",
		LastExit: &code, LastExitMeaning: "x\u2028y\u2029z", LastResetWhy: "bad\xff"}
	if err := WriteState(root, s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(StateFile(root))
	for _, r := range string(b) {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029' {
			t.Errorf("state.json holds control character %U:\n%s", r, b)
		}
	}
	for _, want := range []string{`"up\u001b[2J"`, `"a\u009b31mb\u0085c\u007fd"`, `"x\u2028y\u2029z"`, `"bad\ufffd"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("state.json =\n%s\nwant it to hold %s", b, want)
		}
	}
	got, err := ReadState(root)
	if err != nil || got.Detail != s.Detail || got.Phase != s.Phase || got.LastExitMeaning != s.LastExitMeaning {
		t.Errorf("ReadState = %+v, %v, want the strings back: %+v", got, err, s)
	}
}
