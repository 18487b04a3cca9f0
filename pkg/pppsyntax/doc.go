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
// "@/file", an empty secret) or cut short. ChatSend and ChatExpect write a
// value as one token of a chat script, sent or waited for as exactly its
// bytes. Every encoder either returns text that reads back as the value or
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
// # Parsers
//
// ReadWords, ParseSecrets and ReadChatScript read text the way the real
// programs do (SplitSecrets also gives each secrets entry's lines, so that
// an entry can be cut out whole), and CleanSend, CleanExpect and ExpectParts apply chat's
// escape processing, so tests can render values and prove what pppd and
// chat will see. They mirror, from the ppp project's sources
// (github.com/ppp-project/ppp):
//
//   - pppd/options.c getword() (pppd 2.4.5 to 2.5.x): words separated by
//     C-locale white space; '#' starts a comment only where a word could
//     start or right after an unquoted word; " and ' quote anywhere in
//     a word and the word goes on after the closing quote; backslash
//     escapes work inside quotes too (\a \b \f \n \r \s \t, up to three
//     octal digits, \x with up to two hex digits, otherwise the character
//     itself); backslash-newline is dropped; words are cut to 1023 bytes
//     (MAXWORDLEN 1024) and, being C strings, at a NUL.
//   - pppd/auth.c scan_authfile(): an entry starts at the first word after
//     a newline seen between words (not one inside quotes or after a
//     backslash); client, server, secret, addresses, then options after
//     "--"; entries of fewer than three words are skipped; "*" is a
//     wildcard; a secret "@/path" is read from that file and "@login"
//     means the system password database.
//   - chat/chat.c do_file(), clean(), put_string(), expect_strtok() and
//     chat_expect()/chat_send(): lines read with fgets into 1024 bytes; '#'
//     in column 1 comments out a line; tokens split at space and tab only;
//     a token is quoted only if it starts with a quote, and a backslash
//     inside keeps the next character from closing it; keywords are
//     compared after unquoting; '-' splits expect strings; a send string
//     starting with '@' names a file; EOT and BREAK are special sends; ^X
//     is a control character, \c at the end drops the carriage return, and
//     $NAME is an environment variable under chat -E.
//
// The parsers return what the program would use even where the program
// only warns (a word cut at MaxWordLen), together with an error describing
// the first such problem.
//
// The rules were also checked against pppd and chat 2.4.9 as Debian ships
// them; integration_linux_test.go repeats that check where they are
// installed.
package pppsyntax
