package pppsyntax_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileValues are values a user (or an attacker who can edit the
// configuration) might put into a field that ends up in a pppd or chat
// file. Every encoder test runs over all of them.
var hostileValues = []string{
	"",
	"plain",
	"user@dream.jp",
	"CHAP:dream.jp",
	`AT+CGDCONT=1,"IP","CHAP:dream.jp"`,
	`AT+COPS=1,2,"44020"`,
	"ATDT*99***1#",
	`"`, `'`, `""`, `''`, `a"b`, `a'b`, `"quoted"`, `'quoted'`, `it's`,
	`\`, `\\`, `a\b`, `trailing\`, `\n`, `\x41`, `\101`, `\d\c`, `\c`, `\N`, `\T`,
	"#", "#comment", "a#b", "a #b", "# x",
	"a b", " lead", "trail ", "   ", "NO CARRIER",
	"\t", "a\tb", "a\nb", "\n", "\r", "\r\n", "a\rATD123",
	"$", "$HOME", "${HOME}", "a$b",
	"^", "^C", "a^Mb", "^^",
	"@", "@/etc/passwd", "@login", "@ /x", "a@b",
	"*", "**", "-", "--", "a-b", "-x", "x-",
	"ABORT", "TIMEOUT", "SAY", "HANGUP", "ECHO", "REPORT", "CLR_ABORT", "CLR_REPORT", "EOT", "BREAK", "abort",
	"noauth", "plugin evil.so", "user\nplugin /tmp/evil.so", `x" plugin "y`, "x' plugin 'y", "pw\nmopera * evil",
	"日本語", "é", "パスワード word",
	"\x00", "a\x00b", "\x01", "\x1b[31m", "\x7f", "\x80", "\xff", "\xc3", "ok\xfeok",
	strings.Repeat("x", 49), strings.Repeat("x", 50),
	strings.Repeat("p", 255), strings.Repeat("p", 256),
	strings.Repeat("a", 300),
	strings.Repeat("\"", 300),
	strings.Repeat("w", 509), strings.Repeat("w", 510), strings.Repeat("w", 511),
	strings.Repeat("y", 1023), strings.Repeat("y", 1024),
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// short keeps failure messages readable for the long hostile values.
func short(s string) string {
	if len(s) > 40 {
		return s[:20] + "…" + s[len(s)-10:]
	}
	return s
}
