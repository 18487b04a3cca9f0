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

func TestChatSend(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// AT commands stay exactly as given, quotes and all.
		{`AT+CGDCONT=1,"IP","CHAP:dream.jp"`, `AT+CGDCONT=1,"IP","CHAP:dream.jp"`},
		{`AT+COPS=1,2,"44020"`, `AT+COPS=1,2,"44020"`},
		{"ATDT*99***1#", "ATDT*99***1#"},
		{"ATZ", "ATZ"},
		{"a-b", "a-b"},
		{"", "''"},
		{"a b", "'a b'"},
		{"it's on", `'it\'s on'`},
		{"it's", "it's"},
		{"#x", `\#x`},
		{`"q"`, `\"q"`},
		{"'q'", `\'q'`},
		{"@/etc/passwd", `\@/etc/passwd`},
		{"a@b", "a@b"},
		{`a\b`, `a\\b`},
		{"^C", `\^C`},
		{"$HOME", `\$HOME`},
		{"EOT", `\105OT`},
		{"BREAK", `\102REAK`},
		{"ABORT", `\101BORT`},
		{"TIMEOUT", `\124IMEOUT`},
		{"abort", "abort"},
		{"日本語", "日本語"},
		{"ok\xfeok", `ok\376ok`},
	} {
		got, err := pppsyntax.ChatSend(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ChatSend(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestChatRefuses(t *testing.T) {
	for _, tt := range []struct {
		fn     string
		in     string
		char   byte
		offset int
	}{
		{"ChatSend", "a\rATD123", '\r', 1},
		{"ChatSend", "x\n", '\n', 1},
		{"ChatSend", "\t", '\t', 0},
		{"ChatSend", "ab\x00", 0, 2},
		{"ChatSend", "\x7f", 0x7f, 0},
		{"ChatSend", "\x1b[31m", 0x1b, 0},
	} {
		got, err := pppsyntax.ChatSend(tt.in)
		var ce *pppsyntax.CharError
		if !errors.As(err, &ce) || ce.Char != tt.char || ce.Offset != tt.offset || ce.Func != tt.fn ||
			!errors.Is(err, pppsyntax.ErrUnsafeChar) || !strings.HasPrefix(err.Error(), "pppsyntax: "+tt.fn+": ") {
			t.Errorf("%s(%q) = %q, %v, want a CharError for %q at offset %d", tt.fn, tt.in, got, err, tt.char, tt.offset)
		}
	}
	if got, err := pppsyntax.ChatSend(strings.Repeat("\\", 300)); !errors.Is(err, pppsyntax.ErrTooLong) {
		t.Errorf("ChatSend(300 backslashes) = %q, %v, want ErrTooLong", short(got), err)
	}
}

// chatSendRoundTrip checks tok, written by ChatSend for v, both after
// another token on a line and alone at the start of a line: chat must read
// exactly the tokens around it, and send v for it.
func chatSendRoundTrip(t *testing.T, v, tok string) {
	t.Helper()
	for _, tc := range []struct {
		script string
		want   []string // "" at the value's place
		at     int
	}{
		{"ABORT BUSY\n'' " + tok + "\nOK ATZ\n", []string{"ABORT", "BUSY", "", "", "OK", "ATZ"}, 3},
		{"''\n" + tok + "\nOK\n", []string{"", "", "OK"}, 1},
	} {
		toks, err := pppsyntaxtest.ReadChatScript(tc.script)
		var texts []string
		for _, k := range toks {
			texts = append(texts, k.Text)
		}
		if err != nil || len(texts) != len(tc.want) {
			t.Errorf("ReadChatScript(%q) = %q, %v, want %d tokens", short(tc.script), texts, err, len(tc.want))
			continue
		}
		send := texts[tc.at]
		texts[tc.at] = ""
		if !reflect.DeepEqual(texts, tc.want) {
			t.Errorf("ReadChatScript(%q) = %q, want %q around the value", short(tc.script), texts, tc.want)
		}
		if out, noCR := pppsyntaxtest.CleanSend(send); out != v || noCR {
			t.Errorf("CleanSend(%q) = %q, %v, want %q, false", short(send), short(out), noCR, short(v))
		}
		if name, ok := pppsyntaxtest.SendsFile(send); ok {
			t.Errorf("SendsFile(%q) = %q, true, want false", send, name)
		}
	}
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}

func hasHigh(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true
		}
	}
	return false
}

func TestChatSendRoundTrip(t *testing.T) {
	for _, v := range hostileValues {
		tok, err := pppsyntax.ChatSend(v)
		if hasControl(v) {
			if !errors.Is(err, pppsyntax.ErrUnsafeChar) {
				t.Errorf("ChatSend(%q) = %q, %v, want ErrUnsafeChar", short(v), short(tok), err)
			}
			continue
		}
		if err != nil {
			if !errors.Is(err, pppsyntax.ErrTooLong) || len(v) < pppsyntax.MaxChatTokenLen/4 {
				t.Errorf("ChatSend(%q) = %v, want it accepted", short(v), err)
			}
			continue
		}
		chatSendRoundTrip(t, v, tok)
	}
}

func TestReadChatScriptFile(t *testing.T) {
	in := readTestdata(t, "chatscript-ppp0")
	got, err := pppsyntaxtest.ReadChatScript(in)
	if err != nil {
		t.Fatalf("ReadChatScript(chatscript-ppp0) error %v", err)
	}
	want := []string{"", "ATZ", "OK", "ATE0", "ABORT", "BUSY", "ABORT", "NO CARRIER", "ABORT", "VOICE",
		"ABORT", "NO DIALTONE", "ABORT", "NO DIAL TONE", "ABORT", "NO ANSWER", "ABORT", "DELAYED", "ABORT", "ERROR",
		"TIMEOUT", "30", "OK", `AT+CGDCONT=1,"IP","CHAP:dream.jp"`, "OK", "AT", "OK", "ATDT*99***1#", "CONNECT", `\d\c`}
	var texts []string
	for _, k := range got {
		texts = append(texts, k.Text)
	}
	if !reflect.DeepEqual(texts, want) {
		t.Fatalf("ReadChatScript(chatscript-ppp0) = %q, want %q", texts, want)
	}
	if got[0].Line != 3 || got[len(got)-1].Line != 17 {
		t.Errorf("ReadChatScript(chatscript-ppp0) lines = %d … %d, want 3 … 17", got[0].Line, got[len(got)-1].Line)
	}
	if out, noCR := pppsyntaxtest.CleanSend(got[len(got)-1].Text); out != "" || !noCR {
		t.Errorf(`CleanSend(%q) = %q, %v, want "", true`, got[len(got)-1].Text, out, noCR)
	}
}

func TestReadChatScript(t *testing.T) {
	long := strings.Repeat("L", 1100)
	for _, tt := range []struct {
		in      string
		want    []pppsyntaxtest.ChatToken
		wantErr error
	}{
		{"", nil, nil},
		{"#x y\n  # x y\n", []pppsyntaxtest.ChatToken{{Text: "#", Line: 2}, {Text: "x", Line: 2}, {Text: "y", Line: 2}}, nil},
		{"'abc'def", []pppsyntaxtest.ChatToken{{Text: "abc", Line: 1}, {Text: "def", Line: 1}}, nil},
		{`ab'c d'`, []pppsyntaxtest.ChatToken{{Text: "ab'c", Line: 1}, {Text: "d'", Line: 1}}, nil},
		{`'a\'b' "c\"d" 'e"f'`, []pppsyntaxtest.ChatToken{{Text: `a\'b`, Line: 1}, {Text: `c\"d`, Line: 1}, {Text: `e"f`, Line: 1}}, nil},
		{"a\tb  c\r\n", []pppsyntaxtest.ChatToken{{Text: "a", Line: 1}, {Text: "b", Line: 1}, {Text: "c\r", Line: 1}}, nil},
		{"a\x00b c\nd", []pppsyntaxtest.ChatToken{{Text: "a", Line: 1}, {Text: "d", Line: 2}}, nil},
		{"''\n\n''", []pppsyntaxtest.ChatToken{{Text: "", Line: 1}, {Text: "", Line: 3}}, nil},
		{"ok 'abc\nx", nil, pppsyntax.ErrSyntax},
		{`ok 'abc\'`, nil, pppsyntax.ErrSyntax},
		// chat reads a long line in pieces of 1023 bytes.
		{long + " x\n", []pppsyntaxtest.ChatToken{{Text: long[:1023], Line: 1}, {Text: long[1023:], Line: 1}, {Text: "x", Line: 1}}, nil},
		{strings.Repeat(" ", 1023) + "#c\n", []pppsyntaxtest.ChatToken{}, nil},
	} {
		got, err := pppsyntaxtest.ReadChatScript(tt.in)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("ReadChatScript(%q) error %v, want %v", short(tt.in), err, tt.wantErr)
			continue
		}
		if err == nil && len(got)+len(tt.want) > 0 && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ReadChatScript(%q) = %q, want %q", short(tt.in), fmt.Sprint(got), fmt.Sprint(tt.want))
		}
	}
}

func TestCleanSend(t *testing.T) {
	for _, tt := range []struct {
		in   string
		out  string
		noCR bool
	}{
		{"ATZ", "ATZ", false},
		{"", "", false},
		{`\d\c`, "", true},
		{`a\pb\Kc\dd`, "abcd", false},
		{`\c`, "", true},
		{`a\cb`, "acb", false},
		{"^C", "\x03", false},
		{"^c^[^@x", "\x03\x1bx", false},
		{"x^", "x^", false},
		{`\^`, "^", false},
		{`\\`, `\`, false},
		{`ab\`, `ab\`, false},
		{`\N`, "\x00", false},
		{`\000\134`, "\x00\\", false},
		{`\101\1012\7777`, "AA2\xff7", false},
		{`\b\r\n\s\t`, "\b\r\n \t", false},
		{`\T\U\q`, "TU", false},
		{`\$HOME $HOME`, "$HOME $HOME", false},
		{`\@\#\"\'\-\x`, `@#"'-x`, false},
		{"EOT", "\x04", true},
		{"BREAK", "", true},
		{`\105OT`, "EOT", false},
	} {
		out, noCR := pppsyntaxtest.CleanSend(tt.in)
		if out != tt.out || noCR != tt.noCR {
			t.Errorf("CleanSend(%q) = %q, %v, want %q, %v", tt.in, out, noCR, tt.out, tt.noCR)
		}
	}
}

func TestCleanExpect(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"OK", "OK"},
		{`\\`, `\`},
		{`ab\`, "ab"},
		{`\T`, `\T`},
		{`\N`, "N"},
		{`\000x`, "x"},
		{"^@x^M", "x\r"},
		{`\d\p\K\c`, "dpKc"},
		{`\-\s`, "- "},
		{`\110ANGUP`, "HANGUP"},
	} {
		if got := pppsyntaxtest.CleanExpect(tt.in); got != tt.want {
			t.Errorf("CleanExpect(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpectParts(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"OK", []string{"OK"}},
		{"login:--login:", []string{"login:", "", "login:"}},
		{"a-", []string{"a"}},
		{"-a", []string{"", "a"}},
		{`a\-b`, []string{`a\-b`}},
		{`a\\-b`, []string{`a\\`, "b"}},
	} {
		if got := pppsyntaxtest.ExpectParts(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ExpectParts(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSendsFile(t *testing.T) {
	for _, tt := range []struct {
		in   string
		name string
		ok   bool
	}{
		{"@/etc/passwd", "/etc/passwd", true},
		{"@ \t/x", "/x", true},
		{"@", "", false},
		{"@  ", "", false},
		{`\@/x`, "", false},
		{"a@b", "", false},
	} {
		name, ok := pppsyntaxtest.SendsFile(tt.in)
		if name != tt.name || ok != tt.ok {
			t.Errorf("SendsFile(%q) = %q, %v, want %q, %v", tt.in, name, ok, tt.name, tt.ok)
		}
	}
}
