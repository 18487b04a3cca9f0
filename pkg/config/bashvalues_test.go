package config

import (
	"strings"
	"testing"
)

// bashForms are values written the ways bash reads them, each with the
// value bash gives it (checked against real bash below).
var bashForms = []struct{ text, key, want string }{
	{"PASSWORD=pa#ss", "PASSWORD", "pa#ss"},
	{"PASSWORD=pass #comment", "PASSWORD", "pass"},
	{"PASSWORD=pass# not a comment", "", ""}, // a second word: refused below
	{`PASSWORD='it'\''s'`, "PASSWORD", "it's"},
	{`ACCOUNT="a\/b"`, "ACCOUNT", `a\/b`},
	{`ACCOUNT="\u0041"`, "ACCOUNT", `\u0041`},
	{`ACCOUNT="a\$b"`, "ACCOUNT", `a$b`},
	{"ACCOUNT=\"a\\`b\"", "ACCOUNT", "a`b"},
	{`ACCOUNT="a\"b\\c"`, "ACCOUNT", `a"b\c`},
	{`ACCOUNT='a'"b"c`, "ACCOUNT", "abc"},
	{"export ACCOUNT=user@dream.jp", "ACCOUNT", "user@dream.jp"},
	{`ACCOUNT=a\#b`, "ACCOUNT", "a#b"},
	{`ACCOUNT=a\ b`, "ACCOUNT", "a b"},
	{`ACCOUNT=a\\b`, "ACCOUNT", `a\b`},
	{`ACCOUNT=a\qb`, "ACCOUNT", "aqb"},
	{"ACCOUNT=ab\\\ncd", "ACCOUNT", "abcd"},
	{"ACCOUNT=\"ab\\\ncd\"", "ACCOUNT", "abcd"},
	{"ACCOUNT='ab\\\ncd'", "ACCOUNT", "ab\\\ncd"},
	{"ACCOUNT=\"a\nb\"", "ACCOUNT", "a\nb"},
	{"APN=", "APN", ""},
	{"APN=''", "APN", ""},
	{`APN=""`, "APN", ""},
	{"APN=soracom.io # trailing comment", "APN", "soracom.io"},
	{"APN=soracom.io\t", "APN", "soracom.io"},
	{"  APN=soracom.io", "APN", "soracom.io"},
	{"APN=*", "APN", "*"},
	{"APN=a?[b]", "APN", "a?[b]"},
	{"APN={a,b}", "APN", "{a,b}"},
	{"APN=a=b", "APN", "a=b"},
	{"APN=x=~", "APN", "x=~"},
	{`APN="x:"~`, "", ""}, // refused below: the rule on '~' is kept simple
	{"APN=a!b", "APN", "a!b"},
	{`APN=a\~`, "APN", "a~"},
	{`APN=\~`, "APN", "~"},
	{`APN='~'`, "APN", "~"},
	{`APN='$HOME'`, "APN", "$HOME"},
	{`APN="it's"`, "APN", "it's"},
	{"APN=é", "APN", "é"},
}

func TestBashFormsReadAsBash(t *testing.T) {
	o := newBashOracle(t)
	for _, tc := range bashForms {
		if tc.key == "" {
			continue
		}
		text := tc.text + "\n"
		as, errs, _ := readAssignments("f", []byte(text))
		if len(errs) > 0 || len(as) != 1 || as[0].Key != tc.key || as[0].Value != tc.want {
			t.Errorf("readAssignments(%q) = %+v, %v; want %s=%q", text, as, errs, tc.key, tc.want)
			continue
		}
		got, ok := o.value(t, text, tc.key)
		if !ok || got != tc.want {
			t.Errorf("bash reads %q as %s=%q (ran: %v); this table says %q", text, tc.key, got, ok, tc.want)
		}
	}
}

// bashRefused are lines bash would expand or run. Each is refused with the
// line, the key and a safe form; none is given to bash, except those marked
// harmless, which show that bash's value is not the literal text.
var bashRefused = []struct {
	text, want string
	harmless   bool // bash can source it safely; its value differs from the literal
}{
	{"PASSWORD=pa$$word", "f:2: PASSWORD=(hidden): bash would expand part of the value; quote the value in single quotes", true},
	{"ACCOUNT=pa$$word", "f:2: ACCOUNT=pa$$word: bash would expand $$; write ACCOUNT='pa$$word'", true},
	{"ACCOUNT=$HOME", "f:2: ACCOUNT=$HOME: bash would expand $HOME; write ACCOUNT='$HOME'", true},
	{"ACCOUNT=${X}y", "f:2: ACCOUNT=${X}y: bash would expand ${X}; write ACCOUNT='${X}y'", true},
	{`ACCOUNT="a$X"`, `f:2: ACCOUNT="a$X": bash would expand $X; write ACCOUNT='a$X'`, true},
	{"ACCOUNT=$(reboot)", "f:2: ACCOUNT=$(reboot): bash would run the command $(reboot); write ACCOUNT='$(reboot)'", false},
	{"ACCOUNT=`reboot`", "f:2: ACCOUNT=`reboot`: bash would run the command `reboot`; write ACCOUNT='`reboot`'", false},
	{"ACCOUNT=\"`reboot`\"", "f:2: ACCOUNT=\"`reboot`\": bash would run the command `reboot`", false},
	{"ACCOUNT=$((1+2))", "f:2: ACCOUNT=$((1+2)): bash would compute $((1+2))", true},
	{"ACCOUNT=a$", "f:2: ACCOUNT=a$: a $ outside single quotes; write ACCOUNT='a$'", false},
	{"ACCOUNT=$'a\\x41'", `f:2: ACCOUNT=$'a\x41': bash would decode $'…' escapes; write ACCOUNT='a\x41'`, true},
	{`ACCOUNT=$"ab"`, `f:2: ACCOUNT=$"ab": bash would translate $"…"`, false},
	{"ACCOUNT=b c", "f:2: ACCOUNT=b c: bash would run c as a command with ACCOUNT set for it only; write ACCOUNT='b c'", false},
	{"PASSWORD=pass# not a comment", "f:2: PASSWORD=(hidden): bash would run", false},
	{"ACCOUNT=a; START=yes", "f:2: ACCOUNT=a; START=yes: one assignment per line", false},
	{"ACCOUNT=a && reboot", "f:2: bash would run this line as commands", false},
	{"ACCOUNT=a | reboot", "f:2: bash would run this line as commands", false},
	{"ACCOUNT=a >x", "f:2: ACCOUNT=a: bash would redirect", false},
	{"ACCOUNT=a &", "f:2: ACCOUNT=a: bash would run it in the background", false},
	{"f() { reboot; }", "f:2: bash would run this line as commands", false},
	{"ACCOUNT+=b", "f:2: ACCOUNT+=b: += appends to a value", true},
	{"ACCOUNT=(a b)", "f:2: ACCOUNT=(a b): bash would make an array", false},
	{"ACCOUNT[1]=a", "f:2: ACCOUNT[1]=a: bash would set an array element", false},
	{"ACCOUNT=~", "f:2: ACCOUNT=~: bash would expand ~ to a home directory; write ACCOUNT='~'", true},
	{"ACCOUNT=~/x", "f:2: ACCOUNT=~/x: bash would expand ~", true},
	{"ACCOUNT=a:~", "f:2: ACCOUNT=a:~: bash would expand ~", true},
	{`ACCOUNT="x":~`, "f:2: ACCOUNT=\"x\":~: bash would expand ~", true},
	{`APN="x:"~`, "f:2: APN=\"x:\"~: bash would expand ~", false},
	{"ACCOUNT=@(a|b)", "f:2: ACCOUNT=@(a|b): bash would read @(a|b) as a pattern", false},
	{"export ACCOUNT", "f:2: export ACCOUNT: not an assignment", false},
	{"export -n ACCOUNT=a", "f:2: export -n ACCOUNT=a: not an assignment", false},
	{"readonly ACCOUNT=a", "f:2: readonly ACCOUNT=a: not an assignment", false},
	{"just words", "f:2: bash would run just as a command; expected KEY=VALUE", false},
	{`APN="dream.jp`, `f:2: cannot read this line (unmatched "); expected KEY=VALUE`, false},
	// The arguments of export go through brace expansion; assignments
	// do not (APN={a,b} above).
	{"export ACCOUNT={a,b}", "f:2: ACCOUNT={a,b}: bash would expand {…} after export; write ACCOUNT='{a,b}'", true},
	{"0=[", "f:2: bash would run 0=[ as a command; expected KEY=VALUE", false},
	// Bash marks quoting with \x01 and \x7f inside; after export it
	// drops this \x7f.
	{"export VENDOR_NOTE=\"\\\x7f\"", "f:2: VENDOR_NOTE=\"\\\x7f\": the value holds the control character \\x01 or \\x7f, which bash may drop; remove it", true},
}

func TestBashExpansionsRefused(t *testing.T) {
	var o *bashOracle
	for _, tc := range bashRefused {
		text := "AUTH=PAP\n" + tc.text + "\nACCOUNT=u\nPASSWORD=p\n"
		if strings.Contains(tc.text, "ACCOUNT") {
			text = "AUTH=PAP\n" + tc.text + "\nPASSWORD=p\n"
		}
		_, _, err := Parse("f", []byte(text))
		es, ok := err.(Errors)
		if !ok || len(es) != 1 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error = %v, want one error containing %q", tc.text, err, tc.want)
		}
		if tc.harmless {
			if o == nil {
				o = newBashOracle(t)
			}
			as, _, _ := readAssignments("f", []byte(tc.text+"\n"))
			assign := strings.TrimPrefix(tc.text, "export ")
			key := assign[:strings.IndexAny(assign, "=+[")]
			got, ran := o.value(t, tc.text+"\n", key)
			if literal := strings.TrimPrefix(assign, key+"="); ran && got == literal || len(as) > 0 {
				t.Errorf("bash reads %q as %q (ran: %v), our reader gives %+v: the refusal is not needed", tc.text, got, ran, as)
			}
		}
	}
}

func TestSecretNeverInRefusal(t *testing.T) {
	for _, line := range []string{"PASSWORD=s3cr$$t", "PASSWORD=s3cr cmd", "PASSWORD=s3c~:~", "PASSWORD=$'s3cr'", "export PASSWORD=s3cr;"} {
		_, _, err := Parse("f", []byte("AUTH=PAP\nACCOUNT=a\n"+line+"\n"))
		if err == nil || strings.Contains(err.Error(), "s3c") {
			t.Errorf("Parse(%q) error = %v, want an error that does not show the password", line, err)
		}
	}
}

func TestCarriageReturnsRefused(t *testing.T) {
	// Bash keeps a CR in the value (APN=a<CR>b is "a\rb"); it is refused,
	// as no key takes one.
	_, _, err := Parse("f", []byte("AUTH=NOAUTH\nAPN=a\rb\n"))
	if want := "f:2: the line holds a carriage return (CR); bash would keep it in the value"; err == nil || err.Error() != want {
		t.Errorf("Parse(APN=a<CR>b) error = %v, want %q", err, want)
	}
}

func TestDOSLineEndingsRefused(t *testing.T) {
	_, _, err := Parse("f", []byte("AUTH=NOAUTH\r\nSTART=yes\r\n"))
	want := "f:1: the file has DOS line endings (CR LF): bash keeps the CR in every value; save it with Unix (LF) line endings"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(CRLF file) error = %v, want %q", err, want)
	}
}

func TestRefusedLineGivesOneError(t *testing.T) {
	// The refusal of ACCOUNT's line is the one error: no "ACCOUNT
	// required" as well.
	_, _, err := Parse("f", []byte("AUTH=CHAP\nACCOUNT=$USER\nPASSWORD=p\n"))
	if es, ok := err.(Errors); !ok || len(es) != 1 || es[0].Line != 2 {
		t.Errorf("Parse(ACCOUNT=$USER) error = %v, want one error on line 2", err)
	}
	c, _, err := Parse("f", []byte("AUTH=CHAP\nACCOUNT=\"a\\$b\"\nPASSWORD=p\n"))
	if err != nil || c.Account != "a$b" {
		t.Errorf(`Parse(ACCOUNT="a\$b") = %v, want account a$b as bash reads it`, err)
	}
}

func TestLinesOfMultiLineValues(t *testing.T) {
	// A newline in an APN is refused by the APN check, on line 2.
	_, _, err := Parse("f", []byte("AUTH=NOAUTH\nAPN='soracom\n.io'\n# c\nSTART=yes\n"))
	if err == nil || !strings.Contains(err.Error(), "f:2: APN=soracom\n.io") {
		t.Errorf("Parse(multi-line APN) = %v, want the APN refused on line 2", err)
	}
	c, _, err := Parse("f", []byte("AUTH=NOAUTH\nVENDOR='a\nb'\n\\\nSTART=yes\n"))
	if err != nil {
		t.Fatalf("Parse(continued lines) = %v, want nil", err)
	}
	if c.Lines["VENDOR"] != 2 || c.Lines["START"] != 5 || !c.Start || c.Unknown["VENDOR"] != "a\nb" {
		t.Errorf("Parse(continued lines): lines %v, START %v, VENDOR %q; want VENDOR \"a\\nb\" on 2 and START yes on 5 (where its name is)", c.Lines, c.Start, c.Unknown["VENDOR"])
	}
}

func TestCommentEndsAtItsLine(t *testing.T) {
	// A backslash at the end of a comment is part of the comment: the
	// next line is a statement of its own.
	text := "AUTH=NOAUTH\nAPN=soracom.io # see the manual \\\nSTART=yes\n"
	c, _, err := Parse("f", []byte(text))
	if err != nil || c.APN != "soracom.io" || !c.Start || c.Lines["START"] != 3 {
		t.Errorf("Parse(%q) = %+v, %v; want APN soracom.io and START yes on line 3", text, c, err)
	}
	got, ok := newBashOracle(t).values(t, text, "APN", "START")
	if !ok || got[0] != "soracom.io" || got[1] != "yes" {
		t.Errorf("bash reads %q as APN, START = %q (ran: %v); this test says soracom.io, yes", text, got, ok)
	}
}
