package runstate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Pieces of the strings randomState puts in State: what JSON must escape,
// what encoding/json escapes although it need not, what we escape and it
// does not (DEL, C1), invalid UTF-8, and text that stays as it is.
var awkward = []string{
	"", "a", "ppp0", " ", `"`, `\`, "/", "\x00", "\x01", "\x1f", "\b", "\f", "\n", "\r", "\t",
	"\x7f", "\u0080", "\u0085", "\u009b", "\u009f", "\u00a0", "<", ">", "&", "\u2028", "\u2029",
	"\xff", "\xfe", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "é", "«ü»", "😀", "\ufffd", "\ufeff",
	"3 of 3 failures", "we failed to authenticate to the peer", `\u0041`,
}

var zones = []*time.Location{
	time.UTC, time.FixedZone("JST", 9*3600), time.FixedZone("", -(3*3600 + 30*60)),
	time.FixedZone("X", 14*3600), time.FixedZone("Y", -12*3600), time.Local,
}

func randomString(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(6) {
		b.WriteString(awkward[r.IntN(len(awkward))])
	}
	return b.String()
}

func randomInt(r *rand.Rand) int {
	switch r.IntN(5) {
	case 0:
		return 0
	case 1:
		return r.IntN(100)
	case 2:
		return -r.IntN(100)
	case 3:
		return []int{math.MaxInt, math.MinInt, math.MaxInt32, math.MinInt32}[r.IntN(4)]
	}
	return int(r.Int64())
}

func randomTime(r *rand.Rand) time.Time {
	var t time.Time
	switch r.IntN(5) {
	case 0:
		return time.Time{}
	case 1:
		t = time.Now() // with a monotonic reading
	case 2:
		t = time.Unix(r.Int64N(2e9), 0) // whole seconds
	default:
		// Year 1 to 9998 (in any zone in range), with nanoseconds.
		t = time.Date(1+r.IntN(9998), time.Month(1+r.IntN(12)), 2+r.IntN(27), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1e9), time.UTC)
	}
	return t.In(zones[r.IntN(len(zones))])
}

// randomState fills every field of State by its kind, so that a new field
// is covered without changing this.
func randomState(r *rand.Rand) State {
	var s State
	v := reflect.ValueOf(&s).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Interface().(type) {
		case int:
			f.SetInt(int64(randomInt(r)))
		case string:
			f.SetString(randomString(r))
		case time.Time:
			f.Set(reflect.ValueOf(randomTime(r)))
		case *int:
			if r.IntN(2) == 0 {
				n := randomInt(r)
				f.Set(reflect.ValueOf(&n))
			}
		default:
			panic(fmt.Sprintf("randomState: State.%s has a type it does not know", v.Type().Field(i).Name))
		}
		if r.IntN(4) == 0 {
			f.SetZero()
		}
	}
	return s
}

// sameState reports whether a and b hold the same values: times the same
// instant with the same offset, pointers to equal ints.
func sameState(a, b State) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		switch x := va.Field(i).Interface().(type) {
		case time.Time:
			y := vb.Field(i).Interface().(time.Time)
			if !x.Equal(y) || x.Format(time.RFC3339Nano) != y.Format(time.RFC3339Nano) {
				return false
			}
		default:
			if !reflect.DeepEqual(x, vb.Field(i).Interface()) {
				return false
			}
		}
	}
	return true
}

// ourEscapes is encoding/json's output with our deliberate differences
// applied: DEL and C1 controls, which it writes as they are, as \u
// escapes. Outside strings JSON has no such bytes.
func ourEscapes(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// Our state.json is encoding/json's MarshalIndent byte for byte (but for
// DEL and C1, escaped), and each decoder reads the other's output to the
// same State.
func TestEncodeAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	for range 3000 {
		s := randomState(r)
		ours, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode(%+v) = %v", s, err)
		}
		theirs, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			t.Fatalf("json.MarshalIndent(%+v) = %v", s, err)
		}
		if want := ourEscapes(theirs); !bytes.Equal(ours, want) {
			t.Fatalf("Encode(%+v) =\n%s\nwant (encoding/json's)\n%s", s, ours, want)
		}
		var viaJSON State
		if err := json.Unmarshal(ours, &viaJSON); err != nil {
			t.Fatalf("json.Unmarshal(Encode(%+v)) = %v", s, err)
		}
		viaOurs, err := decodeState(theirs)
		if err != nil {
			t.Fatalf("decodeState(%s) = %v", theirs, err)
		}
		if !sameState(viaJSON, viaOurs) {
			t.Fatalf("encoding/json reads our output as %+v, we read its output as %+v, want the same", viaJSON, viaOurs)
		}
		back, err := decodeState(ours)
		if err != nil || !sameState(back, viaJSON) {
			t.Fatalf("decodeState(Encode(s)) = %+v, %v, want %+v", back, err, viaJSON)
		}
	}
}

// A time RFC 3339 cannot write is refused, as by encoding/json.
func TestEncodeRefusesYearOutOfRange(t *testing.T) {
	s := State{Since: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := json.Marshal(s); err == nil {
		t.Fatal("json.Marshal(year 10000) = nil error; the oracle changed")
	}
	if b, err := Encode(s); err == nil || !strings.Contains(err.Error(), "since") {
		t.Errorf("Encode(year 10000) = %s, %v, want an error naming since", b, err)
	}
}

// --status --json's object: the leading members, then State's, or the
// leading ones alone.
func TestEncodeWithAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		s := randomState(r)
		type withRunning struct {
			Running bool `json:"running"`
			*State
		}
		for _, state := range []*State{&s, nil} {
			ours, err := EncodeWith([]Member{{Key: "running", Value: "true"}}, state)
			theirs, _ := json.MarshalIndent(withRunning{true, state}, "", "  ")
			if want := ourEscapes(theirs); err != nil || !bytes.Equal(ours, want) {
				t.Fatalf("EncodeWith(running, %+v) = %s, %v, want\n%s", state, ours, err, want)
			}
		}
	}
	if b, _ := EncodeWith(nil, nil); string(b) != "{}" {
		t.Errorf("EncodeWith(nil, nil) = %s, want {}", b)
	}
}

// stateFields covers State: every field, in order, with its json tag's
// key and omit rule, so that a new field cannot be left out of the file.
func TestStateFieldsCoverState(t *testing.T) {
	typ := reflect.TypeFor[State]()
	for i := range max(typ.NumField(), len(stateFields)) {
		if i >= len(stateFields) {
			t.Errorf("State.%s (json %q) is not in stateFields: add it there", typ.Field(i).Name, typ.Field(i).Tag.Get("json"))
			continue
		}
		if i >= typ.NumField() {
			t.Errorf("stateFields[%d] %q has no State field", i, stateFields[i].key)
			continue
		}
		name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		omit := opts == "omitempty" || opts == "omitzero"
		if f := stateFields[i]; f.key != name || bool(f.omit) != omit {
			t.Errorf("stateFields[%d] = %q omit %v, want State.%s's tag %q", i, f.key, f.omit, typ.Field(i).Name, typ.Field(i).Tag.Get("json"))
		}
	}
	// Each entry reads and writes its own field: one field set at a time
	// comes out as encoding/json writes it and reads back.
	r := rand.New(rand.NewPCG(3, 4))
	for i := range typ.NumField() {
		for range 50 {
			full := randomState(r)
			var s State
			reflect.ValueOf(&s).Elem().Field(i).Set(reflect.ValueOf(full).Field(i))
			ours, _ := Encode(s)
			theirs, _ := json.MarshalIndent(s, "", "  ")
			if !bytes.Equal(ours, ourEscapes(theirs)) {
				t.Fatalf("State.%s alone: Encode = %s, want %s", typ.Field(i).Name, ours, ourEscapes(theirs))
			}
			var want State
			json.Unmarshal(ours, &want)
			if got, err := decodeState(ours); err != nil || !sameState(got, want) {
				t.Fatalf("State.%s alone: decodeState(%s) = %+v, %v, want %+v", typ.Field(i).Name, ours, got, err, want)
			}
		}
	}
}
