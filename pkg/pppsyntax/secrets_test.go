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

func TestParseSecretsFile(t *testing.T) {
	in := readTestdata(t, "chap-secrets")
	got, err := pppsyntaxtest.ParseSecrets(in)
	want := []pppsyntaxtest.SecretsEntry{
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
		want    []pppsyntaxtest.SecretsEntry
		wantErr error
	}{
		{"", nil, nil},
		{"a b c 10.0.0.1 10.0.0.2\n", []pppsyntaxtest.SecretsEntry{{Client: "a", Server: "b", Secret: "c", Addrs: []string{"10.0.0.1", "10.0.0.2"}, Line: 1}}, nil},
		{"a b c - -- noauth debug\n",
			[]pppsyntaxtest.SecretsEntry{{Client: "a", Server: "b", Secret: "c", Addrs: []string{"-"}, Options: []string{"noauth", "debug"}, Line: 1}}, nil},
		// A quoted newline and backslash-newline keep the entry going.
		{"a \"b\nc\" d\ne f g\n", []pppsyntaxtest.SecretsEntry{
			{Client: "a", Server: "b\nc", Secret: "d", Line: 1},
			{Client: "e", Server: "f", Secret: "g", Line: 3}}, nil},
		{"a b \\\n c\n", []pppsyntaxtest.SecretsEntry{{Client: "a", Server: "b", Secret: "c", Line: 1}}, nil},
		// An escaped newline inside a word is dropped, and does not start an entry.
		{"a b c\\\nd\n", []pppsyntaxtest.SecretsEntry{{Client: "a", Server: "b", Secret: "cd", Line: 1}}, nil},
		// A comment ends its line's entry; pppd skips the short one.
		{"a b # c\nd e f\n", []pppsyntaxtest.SecretsEntry{{Client: "d", Server: "e", Secret: "f", Line: 2}}, pppsyntax.ErrSyntax},
		{"lonely\n", nil, pppsyntax.ErrSyntax},
		{"a b c\n  d e f  # x\n\n", []pppsyntaxtest.SecretsEntry{
			{Client: "a", Server: "b", Secret: "c", Line: 1},
			{Client: "d", Server: "e", Secret: "f", Line: 2}}, nil},
		// Text glued to a closing quote is part of the same word.
		{`"a"b c d` + "\n", []pppsyntaxtest.SecretsEntry{{Client: "ab", Server: "c", Secret: "d", Line: 1}}, nil},
	} {
		got, err := pppsyntaxtest.ParseSecrets(tt.in)
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
		{strings.Repeat("n", pppsyntax.MaxNameLen), nil},
		{"", pppsyntax.ErrEmpty},
		{"*", pppsyntax.ErrReserved},
		{"-", pppsyntax.ErrReserved},
		{"a\x00b", pppsyntax.ErrUnsafeChar},
		{strings.Repeat("n", pppsyntax.MaxNameLen+1), pppsyntax.ErrTooLong},
	} {
		err := pppsyntax.CheckName(tt.in)
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
		{strings.Repeat("s", pppsyntax.MaxSecretLen), nil},
		{"", pppsyntax.ErrEmpty},
		{"@/etc/passwd", pppsyntax.ErrReserved},
		{"@login", pppsyntax.ErrReserved},
		{"@", pppsyntax.ErrReserved},
		{"a\x00", pppsyntax.ErrUnsafeChar},
		{strings.Repeat("s", pppsyntax.MaxSecretLen+1), pppsyntax.ErrTooLong},
	} {
		err := pppsyntax.CheckSecret(tt.in)
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
	if err := pppsyntax.CheckName(client); err != nil {
		return "", err
	}
	if err := pppsyntax.CheckSecret(secret); err != nil {
		return "", err
	}
	c, err := pppsyntax.OptionWord(client)
	if err != nil {
		return "", err
	}
	s, err := pppsyntax.OptionWord(secret)
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
			got, err := pppsyntaxtest.ParseSecrets(text)
			want := []pppsyntaxtest.SecretsEntry{
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
