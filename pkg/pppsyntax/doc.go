// Package pppsyntax writes values into the files that pppd and chat read,
// and reads those files back with the same rules as the real programs, so
// that a value from the user's configuration can never add a pppd option,
// a chat token or a secrets entry.
//
// # Encoders
//
// OptionWord writes a value as one word of a pppd options file or a
// chap-secrets/pap-secrets file. CheckName and CheckSecret refuse the
// values that pppd would read as something else (a wildcard "*", a secret
// "@/file", an empty secret) or cut short. ChatSend writes a value as one
// token of a chat script, sent as exactly its bytes. Every encoder either returns text that reads back as the value or
// an error, starting "pppsyntax: ", that says which byte or rule stopped
// it; the errors match ErrUnsafeChar, ErrTooLong, ErrEmpty or ErrReserved
// with errors.Is.
//
// A typical use:
//
//	user, err := pppsyntax.OptionWord(account) // `user "name@isp"`
//	tok, err := pppsyntax.ChatSend(`AT+CGDCONT=1,"IP","` + apn + `"`)
//	line := "OK " + tok + "\n"
//
// # Reading back
//
// SplitSecrets reads a secrets file as pppd does (pppd/auth.c
// scan_authfile() over pppd/options.c getword()'s words), so that
// pppfiles can cut an old entry of ours out whole whatever lines it spans:
//
//   - words separated by C-locale white space; '#' starts a comment only
//     where a word could start or right after an unquoted word; " and '
//     quote anywhere in a word and the word goes on after the closing
//     quote; backslash escapes work inside quotes too (\a \b \f \n \r \s
//     \t, up to three octal digits, \x with up to two hex digits,
//     otherwise the character itself); backslash-newline is dropped; words
//     are cut to 1023 bytes (MAXWORDLEN 1024) and, being C strings, at a
//     NUL;
//   - an entry starts at the first word after a newline seen between words
//     (not one inside quotes or after a backslash).
//
// The full readers of pppd's and chat's files, which tests use to prove
// what the real programs will see, are test equipment: package
// pppsyntaxtest.
//
// SplitSecrets returns what pppd would use even where pppd only warns (a
// word cut at MaxWordLen), together with an error describing the first
// such problem.
//
// The rules were also checked against pppd and chat 2.4.9 as Debian ships
// them; integration_linux_test.go repeats that check where they are
// installed.
package pppsyntax
