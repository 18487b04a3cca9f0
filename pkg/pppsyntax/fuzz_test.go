package pppsyntax_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax/pppsyntaxtest"
)

// FuzzOptionWordRoundTrip: whatever OptionWord accepts, pppd reads back as
// exactly that one word, leaving the words around it alone; and it only
// refuses NUL bytes and over-long values.
func FuzzOptionWordRoundTrip(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		w, err := pppsyntax.OptionWord(v)
		if err != nil {
			if strings.IndexByte(v, 0) < 0 && len(v) <= pppsyntax.MaxWordLen {
				t.Fatalf("OptionWord(%q) = %v, want it accepted", v, err)
			}
			return
		}
		text := "user " + w + "\nnext\n"
		got, err := pppsyntaxtest.ReadWords(text)
		want := []pppsyntax.Word{{"user", 1, false}, {v, 1, true}, {"next", 2, false}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ReadWords(%q) = %s, %v, want %s, nil", text, fmtWords(got), err, fmtWords(want))
		}
	})
}

// FuzzSecretsRoundTrip: a client name and secret that pass CheckName and
// CheckSecret give exactly one entry, between two other entries.
func FuzzSecretsRoundTrip(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v, "pw")
		f.Add("user", v)
	}
	f.Fuzz(func(t *testing.T, client, secret string) {
		line, err := secretsLine(client, "ppp0", secret)
		if err != nil {
			return
		}
		text := "first * one\n" + line + "last ppp0 two"
		got, err := pppsyntaxtest.ParseSecrets(text)
		want := []pppsyntaxtest.SecretsEntry{
			{Client: "first", Server: "*", Secret: "one", Line: 1},
			{Client: client, Server: "ppp0", Secret: secret, Line: 2},
			{Client: "last", Server: "ppp0", Secret: "two", Line: 3},
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseSecrets(%q) = %#v, %v, want %#v, nil", text, got, err, want)
		}
	})
}

// FuzzChatSendRoundTrip: whatever ChatSend accepts, chat reads as one send
// token in its place and sends exactly the value; it refuses only control
// characters and tokens too long for a chat line.
func FuzzChatSendRoundTrip(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		tok, err := pppsyntax.ChatSend(v)
		if err != nil {
			refusedOnlyWhatItMust(t, "ChatSend", v, err, hasControl(v))
			return
		}
		chatSendRoundTrip(t, v, tok)
	})
}

// refusedOnlyWhatItMust fails unless err is a refusal of an unsafe byte
// that v has, or a length refusal of a value that no escaping could fit.
func refusedOnlyWhatItMust(t *testing.T, fn, v string, err error, unsafe bool) {
	t.Helper()
	switch {
	case errors.Is(err, pppsyntax.ErrUnsafeChar) && unsafe:
	case errors.Is(err, pppsyntax.ErrTooLong) && !unsafe && len(v) > (pppsyntax.MaxChatTokenLen-2)/4:
	default:
		t.Fatalf("%s(%q) = %v, want it accepted", fn, v, err)
	}
}

// FuzzReadWords: the parser never panics, and never hands out a word that
// pppd could not hold.
func FuzzReadWords(f *testing.F) {
	f.Add(readTestdata(f, "peers-ppp0"))
	f.Add(readTestdata(f, "chap-secrets"))
	f.Add("a\"b c\"d \\x4 \\777 # c\n'x\\\ny' \"unterminated")
	f.Fuzz(func(t *testing.T, text string) {
		words, _ := pppsyntaxtest.ReadWords(text)
		lines := strings.Count(text, "\n") + 1
		for _, w := range words {
			if len(w.Text) > pppsyntax.MaxWordLen || strings.IndexByte(w.Text, 0) >= 0 || w.Line < 1 || w.Line > lines {
				t.Fatalf("ReadWords(%q) gave word %q on line %d", text, w.Text, w.Line)
			}
		}
		pppsyntaxtest.ParseSecrets(text)
	})
}

// FuzzReadChatScript: the parser never panics, and tokens come in order.
func FuzzReadChatScript(f *testing.F) {
	f.Add(readTestdata(f, "chatscript-ppp0"))
	f.Add("'' 'a\\'b' \"c\nd\"e\n#x\n  #y ^C\\c")
	f.Fuzz(func(t *testing.T, text string) {
		toks, _ := pppsyntaxtest.ReadChatScript(text)
		line := 1
		for _, k := range toks {
			if k.Line < line || strings.IndexAny(k.Text, "\x00\n") >= 0 {
				t.Fatalf("ReadChatScript(%q) gave token %q on line %d after line %d", text, k.Text, k.Line, line)
			}
			line = k.Line
			pppsyntaxtest.CleanSend(k.Text)
			for _, p := range pppsyntaxtest.ExpectParts(k.Text) {
				pppsyntaxtest.CleanExpect(p)
			}
		}
	})
}
