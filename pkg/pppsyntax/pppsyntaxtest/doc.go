// Package pppsyntaxtest is test equipment: it reads the files pppd and
// chat read with the same rules as the real programs, so that a test can
// render a value with package pppsyntax's encoders (or pppfiles') and prove
// what pppd and chat will see. No tool links it.
//
// ReadWords and ParseSecrets read pppd's option and secrets files
// (pppd/options.c getword(), pppd/auth.c scan_authfile(), through
// pppsyntax.SplitSecrets, the part the tools need). ReadChatScript splits
// a chat script into tokens as chat -f does, and CleanSend, CleanExpect,
// ExpectParts and SendsFile apply chat's escape processing, after
// chat/chat.c do_file(), clean(), put_string(), expect_strtok() and
// chat_expect()/chat_send(): lines read with fgets into 1024 bytes; '#' in
// column 1 comments out a line; tokens split at space and tab only; a token
// is quoted only if it starts with a quote, and a backslash inside keeps
// the next character from closing it; keywords are compared after
// unquoting; '-' splits expect strings; a send string starting with '@'
// names a file; EOT and BREAK are special sends; ^X is a control
// character, \c at the end drops the carriage return, and $NAME is an
// environment variable under chat -E.
//
// The rules were checked against pppd and chat 2.4.9 as Debian ships them;
// pppsyntax's integration tests repeat that check where they are installed.
// The readers' own tests live there too, beside those checks and the
// testdata they share.
package pppsyntaxtest
