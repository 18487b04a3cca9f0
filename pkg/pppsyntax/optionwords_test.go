package pppsyntax_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax/pppsyntaxtest"
)

func TestOptionWord(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"user@dream.jp", `"user@dream.jp"`},
		{"", `""`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{"a'b #c $d ^e", `"a'b #c $d ^e"`},
		{"a\nb\rc\td", `"a\nb\rc\td"`},
		{"\x01\x1b\x7f", `"\001\033\177"`},
		{"\x01" + "7", `"\0017"`},
		{"日本語", `"日本語"`},
		{"ok\xfeok", `"ok\376ok"`},
		{"x\" plugin \"y", `"x\" plugin \"y"`},
	} {
		got, err := pppsyntax.OptionWord(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("OptionWord(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestOptionWordRefuses(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want error
	}{
		{"\x00", pppsyntax.ErrUnsafeChar},
		{"ab\x00", pppsyntax.ErrUnsafeChar},
		{strings.Repeat("y", pppsyntax.MaxWordLen+1), pppsyntax.ErrTooLong},
	} {
		got, err := pppsyntax.OptionWord(tt.in)
		if !errors.Is(err, tt.want) || !strings.HasPrefix(fmt.Sprint(err), "pppsyntax: ") {
			t.Errorf("OptionWord(%q) = %q, %v, want error %v", short(tt.in), got, err, tt.want)
		}
	}
	var ce *pppsyntax.CharError
	if _, err := pppsyntax.OptionWord("ab\x00"); !errors.As(err, &ce) || ce.Offset != 2 || ce.Char != 0 {
		t.Errorf("OptionWord(%q) = %v, want a *CharError for the NUL at offset 2", "ab\x00", err)
	}
}

// TestOptionWordRoundTrip proves the encoder's promise on every hostile
// value: pppd reads back exactly one word, the value, and nothing else.
func TestOptionWordRoundTrip(t *testing.T) {
	for _, v := range hostileValues {
		w, err := pppsyntax.OptionWord(v)
		wantErr := strings.IndexByte(v, 0) >= 0 || len(v) > pppsyntax.MaxWordLen
		if (err != nil) != wantErr {
			t.Errorf("OptionWord(%q) = %q, %v, want error %v", short(v), short(w), err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		text := "user " + w + "\nnext\n"
		got, err := pppsyntaxtest.ReadWords(text)
		want := []pppsyntax.Word{{"user", 1, false}, {v, 1, true}, {"next", 2, false}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ReadWords(%q) = %s, %v, want %s, nil", short(text), fmtWords(got), err, fmtWords(want))
		}
	}
}

func TestReadWords(t *testing.T) {
	w := func(text string, line int) pppsyntax.Word { return pppsyntax.Word{Text: text, Line: line} }
	q := func(text string, line int) pppsyntax.Word {
		return pppsyntax.Word{Text: text, Line: line, Quoted: true}
	}
	long := strings.Repeat("z", 1100)
	for _, tt := range []struct {
		in      string
		want    []pppsyntax.Word
		wantErr error
	}{
		{"", nil, nil},
		{"  \n\t# only a comment\n", nil, nil},
		{"a b\nc", []pppsyntax.Word{w("a", 1), w("b", 1), w("c", 2)}, nil},
		{"a\r\nb\v c\fd", []pppsyntax.Word{w("a", 1), w("b", 2), w("c", 2), w("d", 2)}, nil},
		// '#' ends an unquoted word and comments out the rest of its line.
		{"a#b c\nd", []pppsyntax.Word{w("a", 1), w("d", 2)}, nil},
		{"word # trailing comment\nnext", []pppsyntax.Word{w("word", 1), w("next", 2)}, nil},
		{`"a#b" 'c#d'`, []pppsyntax.Word{q("a#b", 1), q("c#d", 1)}, nil},
		{`\#x`, []pppsyntax.Word{w("#x", 1)}, nil},
		// Quotes work anywhere in a word, and the word goes on after them.
		{`a"b c"d`, []pppsyntax.Word{q("ab cd", 1)}, nil},
		{`'it''s'`, []pppsyntax.Word{q("its", 1)}, nil},
		{`"it's" 'say "hi"'`, []pppsyntax.Word{q("it's", 1), q(`say "hi"`, 1)}, nil},
		// Backslash escapes, inside quotes as well as outside.
		{`"a\"b" 'a\'b' a\ b a\\b`, []pppsyntax.Word{q(`a"b`, 1), q("a'b", 1), w("a b", 1), w(`a\b`, 1)}, nil},
		{`"\a\b\f\n\r\s\t"`, []pppsyntax.Word{q("\a\b\f\n\r \t", 1)}, nil},
		{`\q\v\"\'`, []pppsyntax.Word{w(`qv"'`, 1)}, nil},
		{`\101\1012 \7 \777`, []pppsyntax.Word{w("AA2", 1), w("\x07", 1), w("\xff", 1)}, nil},
		{`\x41\x4g\xFf\xa`, []pppsyntax.Word{w("A\x04g\xff\x0a", 1)}, nil},
		// Backslash-newline joins lines, within a word and between words.
		{"ab\\\ncd e", []pppsyntax.Word{w("abcd", 1), w("e", 2)}, nil},
		{"a \\\n b", []pppsyntax.Word{w("a", 1), w("b", 2)}, nil},
		// A newline inside quotes is part of the word.
		{"\"a\nb\" c", []pppsyntax.Word{q("a\nb", 1), w("c", 2)}, nil},
		// Bytes from 0x80 up are not white space in the C locale.
		{"a\xa0b \xc3\xa9", []pppsyntax.Word{w("a\xa0b", 1), w("é", 1)}, nil},
		{"\"\"\nx", []pppsyntax.Word{q("", 1), w("x", 2)}, nil},
		// getword finds no word in an empty quote at the very end.
		{`x ""`, []pppsyntax.Word{w("x", 1)}, nil},
		{`x "`, []pppsyntax.Word{w("x", 1)}, nil},
		{`x \`, []pppsyntax.Word{w("x", 1)}, nil},
		{`x "abc`, []pppsyntax.Word{w("x", 1), q("abc", 1)}, pppsyntax.ErrSyntax},
		{`ab\0cd e`, []pppsyntax.Word{w("ab", 1), w("e", 1)}, pppsyntax.ErrSyntax},
		{`\x e`, []pppsyntax.Word{w("", 1), w("e", 1)}, pppsyntax.ErrSyntax},
		{"a\x00b c", []pppsyntax.Word{w("a", 1), w("c", 1)}, pppsyntax.ErrSyntax},
		{long + " x", []pppsyntax.Word{w(long[:pppsyntax.MaxWordLen], 1), w("x", 1)}, pppsyntax.ErrTooLong},
	} {
		got, err := pppsyntaxtest.ReadWords(tt.in)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadWords(%q) = %s, %v, want %s, %v", short(tt.in), fmtWords(got), err, fmtWords(tt.want), tt.wantErr)
		}
	}
}

func TestReadWordsPeersFile(t *testing.T) {
	in := readTestdata(t, "peers-ppp0")
	got, err := pppsyntaxtest.ReadWords(in)
	if err != nil {
		t.Fatalf("ReadWords(peers-ppp0) error %v", err)
	}
	want := []string{"unit", "0", "hide-password", "noauth", "connect", "/usr/sbin/chat -v -f /etc/chatscripts/ppp0",
		"debug", "modem", "lock", "/dev/ttyLISA0", "460800", "defaultroute", "replacedefaultroute", "noipdefault",
		"user", "user@dream.jp", "remotename", "ppp0", "ipparam", "ppp0", "demand", "nopersist", "idle", "60", "usepeerdns"}
	var texts []string
	for _, w := range got {
		texts = append(texts, w.Text)
	}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("ReadWords(peers-ppp0) = %q, want %q", texts, want)
	}
	if len(got) > 5 && (got[0].Line != 4 || got[5].Line != 7 || !got[5].Quoted || got[len(got)-1].Line != 23) {
		t.Errorf("ReadWords(peers-ppp0) lines = unit %d, connect arg %d (quoted %v), usepeerdns %d, want 4, 7 (true), 23",
			got[0].Line, got[5].Line, got[5].Quoted, got[len(got)-1].Line)
	}
}

// fmtWords shows words with their invisible bytes escaped.
func fmtWords(ws []pppsyntax.Word) string {
	var parts []string
	for _, w := range ws {
		q := ""
		if w.Quoted {
			q = " quoted"
		}
		parts = append(parts, fmt.Sprintf("{%q line %d%s}", short(w.Text), w.Line, q))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
