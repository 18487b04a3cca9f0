package runstate

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

// Whatever state.json holds, reading it never panics; what reads without
// error writes back to a file that reads as the same State and writes
// the same bytes again.
func FuzzDecodeState(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		b, _ := Encode(randomState(r))
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `null`, `{"pid":1,"pid":null,"last_exit":null}`, `{"x":[{"y":[1,-2.5E+3,true,false,null,"\uD83D\uDE00"]}]}`,
		`{"phase":"\uD800\u0041 \xff"}`, `{"since":"2026-07-01T12:34:56.123456789+09:00"}`, `{"since":"0000-01-01T00:00:00+23:59"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeState(data)
		if err != nil {
			if de := (*decodeError)(nil); !errors.As(err, &de) {
				t.Fatalf("decodeState(%q) = %v, want a decodeError", data, err)
			}
			return
		}
		b, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode(decodeState(%q) = %+v) = %v", data, s, err)
		}
		back, err := decodeState(b)
		if err != nil || !sameState(back, s) {
			t.Fatalf("decodeState(%s) = %+v, %v, want %+v (read from %q)", b, back, err, s, data)
		}
		if again, _ := Encode(back); !bytes.Equal(again, b) {
			t.Fatalf("Encode twice = %s, then %s, want the same", b, again)
		}
	})
}
