package pppsyntax

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParseSecretsFile(t *testing.T) {
	in := readTestdata(t, "chap-secrets")
	got, err := ParseSecrets(in)
	want := []SecretsEntry{
		{Client: "mopera", Server: "*", Secret: "mopera", Line: 3},
		{Client: "user@dream.jp", Server: "ppp0", Secret: "dti", Line: 4},
		{Client: "user@au.au-net.ne.jp", Server: "*", Secret: "au", Line: 5},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseSecrets(chap-secrets) = %+v, %v, want %+v, nil", got, err, want)
	}
}

func TestParseSecrets(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    []SecretsEntry
		wantErr error
	}{
		{"", nil, nil},
		{"a b c 10.0.0.1 10.0.0.2\n", []SecretsEntry{{Client: "a", Server: "b", Secret: "c", Addrs: []string{"10.0.0.1", "10.0.0.2"}, Line: 1}}, nil},
		{"a b c - -- noauth debug\n",
			[]SecretsEntry{{Client: "a", Server: "b", Secret: "c", Addrs: []string{"-"}, Options: []string{"noauth", "debug"}, Line: 1}}, nil},
		// A quoted newline and backslash-newline keep the entry going.
		{"a \"b\nc\" d\ne f g\n", []SecretsEntry{
			{Client: "a", Server: "b\nc", Secret: "d", Line: 1},
			{Client: "e", Server: "f", Secret: "g", Line: 3}}, nil},
		{"a b \\\n c\n", []SecretsEntry{{Client: "a", Server: "b", Secret: "c", Line: 1}}, nil},
		// An escaped newline inside a word is dropped, and does not start an entry.
		{"a b c\\\nd\n", []SecretsEntry{{Client: "a", Server: "b", Secret: "cd", Line: 1}}, nil},
		// A comment ends its line's entry; pppd skips the short one.
		{"a b # c\nd e f\n", []SecretsEntry{{Client: "d", Server: "e", Secret: "f", Line: 2}}, ErrSyntax},
		{"lonely\n", nil, ErrSyntax},
		{"a b c\n  d e f  # x\n\n", []SecretsEntry{
			{Client: "a", Server: "b", Secret: "c", Line: 1},
			{Client: "d", Server: "e", Secret: "f", Line: 2}}, nil},
		// Text glued to a closing quote is part of the same word.
		{`"a"b c d` + "\n", []SecretsEntry{{Client: "ab", Server: "c", Secret: "d", Line: 1}}, nil},
	} {
		got, err := ParseSecrets(tt.in)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseSecrets(%q) = %+v, %v, want %+v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want error
	}{
		{"user@dream.jp", nil},
		{"a b\t\"c'#$", nil},
		{"日本語", nil},
		{"**", nil},
		{`"*"`, nil},
		{strings.Repeat("n", MaxNameLen), nil},
		{"", ErrEmpty},
		{"*", ErrReserved},
		{"-", ErrReserved},
		{"a\x00b", ErrUnsafeChar},
		{strings.Repeat("n", MaxNameLen+1), ErrTooLong},
	} {
		err := CheckName(tt.in)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("CheckName(%q) = %v, want %v", short(tt.in), err, tt.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "pppsyntax: ") {
			t.Errorf("CheckName(%q) = %q, want an error starting \"pppsyntax: \"", short(tt.in), err)
		}
	}
}

func TestCheckSecret(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want error
	}{
		{"dti", nil},
		{"*", nil},
		{"-", nil},
		{"a@b", nil},
		{"pw\nmopera * evil", nil},
		{"パスワード word", nil},
		{strings.Repeat("s", MaxSecretLen), nil},
		{"", ErrEmpty},
		{"@/etc/passwd", ErrReserved},
		{"@login", ErrReserved},
		{"@", ErrReserved},
		{"a\x00", ErrUnsafeChar},
		{strings.Repeat("s", MaxSecretLen+1), ErrTooLong},
	} {
		err := CheckSecret(tt.in)
		if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("CheckSecret(%q) = %v, want %v", short(tt.in), err, tt.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "pppsyntax: ") {
			t.Errorf("CheckSecret(%q) = %q, want an error starting \"pppsyntax: \"", short(tt.in), err)
		}
	}
}

// secretsLine renders an entry the way a generator should: names and
// secret checked, each written with OptionWord.
func secretsLine(client, server, secret string) (string, error) {
	if err := CheckName(client); err != nil {
		return "", err
	}
	if err := CheckSecret(secret); err != nil {
		return "", err
	}
	c, err := OptionWord(client)
	if err != nil {
		return "", err
	}
	s, err := OptionWord(secret)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %s %s\n", c, server, s), nil
}

// TestSecretsRoundTrip proves that no accepted client name or secret can
// add, split or change a secrets entry, between other entries.
func TestSecretsRoundTrip(t *testing.T) {
	for _, v := range hostileValues {
		for _, tc := range []struct{ client, secret string }{{v, "pw"}, {"user", v}} {
			line, err := secretsLine(tc.client, "ppp0", tc.secret)
			if err != nil {
				continue
			}
			text := "# head\nfirst * one\n" + line + "last ppp0 two\n"
			got, err := ParseSecrets(text)
			want := []SecretsEntry{
				{Client: "first", Server: "*", Secret: "one", Line: 2},
				{Client: tc.client, Server: "ppp0", Secret: tc.secret, Line: 3},
				{Client: "last", Server: "ppp0", Secret: "two", Line: 4},
			}
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ParseSecrets(%q) = %#v, %v, want %#v, nil", short(text), got, err, want)
			}
		}
	}
}
