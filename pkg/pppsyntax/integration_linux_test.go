package pppsyntax_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
	"github.com/pppkeep/pppkeep/pkg/pppsyntax/pppsyntaxtest"
)

// The integration tests run the real pppd and chat on what the encoders
// wrote, so the rules this package mirrors are checked against the
// programs themselves, not only against our reading of their sources.

// pppdReader runs pppd on an options file and returns the value it stored
// for ipparam (a string option pppd keeps whole). pppd refuses to parse
// options without /dev/ppp, so it runs in a private mount namespace with a
// stand-in /dev: that needs root and unshare.
type pppdReader struct{ pppd, unshare string }

func newPppdReader(t *testing.T) *pppdReader {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: -short leaves out runs of the real pppd")
	}
	pppd, err := exec.LookPath("pppd")
	if err != nil {
		t.Skip("skipping: pppd is not installed, so its option parser cannot be compared")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("skipping: unshare is not installed, and pppd needs a /dev/ppp of its own to parse options")
	}
	if os.Geteuid() != 0 {
		t.Skip("skipping: pppd needs root and a private mount namespace to parse options here")
	}
	r := &pppdReader{pppd: pppd, unshare: unshare}
	if _, _, err := r.ipparam(t, "ipparam probe\n"); err != nil {
		t.Skipf("skipping: pppd cannot be run to parse options here: %v", err)
	}
	return r
}

// ipparam returns the value and all that pppd printed. pppd prints an
// option into a buffer of 256 bytes, so longer values cannot be read back.
func (r *pppdReader) ipparam(t *testing.T, options string) (value, output string, err error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "options")
	if err := os.WriteFile(file, []byte(options), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := `mount -t tmpfs none /dev && mknod /dev/ppp c 1 3 && mknod /dev/null c 1 3 &&
exec "$0" file "$1" dump dryrun nodetach noauth /dev/null`
	out, err := exec.CommandContext(ctx, r.unshare, "-m", "sh", "-c", script, r.pppd, file).CombinedOutput()
	if err != nil {
		return "", string(out), fmt.Errorf("%w: %q", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "ipparam "); ok {
			// pppd prints the value with %q and then the source.
			if i := strings.LastIndex(v, "\t\t# (from "); i >= 0 {
				value, err = unquotePppd(v[:i])
				return value, string(out), err
			}
		}
	}
	return "", string(out), fmt.Errorf("no whole ipparam in pppd's dump: %q", out)
}

// unquotePppd undoes pppd's %q: \" \\ \t \n \b \f and \xHH.
func unquotePppd(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf("dangling backslash in %q", s)
		}
		switch s[i] {
		case '"', '\\':
			b.WriteByte(s[i])
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'x':
			if i+2 >= len(s) {
				return "", fmt.Errorf("short \\x in %q", s)
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return "", err
			}
			b.WriteByte(byte(v))
			i += 2
		default:
			return "", fmt.Errorf("unknown escape \\%c in %q", s[i], s)
		}
	}
	return b.String(), nil
}

func TestIntegrationPppdReadsOptionWords(t *testing.T) {
	r := newPppdReader(t)
	for _, v := range hostileValues {
		w, err := pppsyntax.OptionWord(v)
		if err != nil || v == "" || len(w) > 200 {
			continue // pppd prints no empty ipparam, nor a long one whole
		}
		got, _, err := r.ipparam(t, "ipparam "+w+"\nnoauth\n")
		if err != nil || got != v {
			t.Errorf("pppd reads ipparam %q as %q, %v, want %q", short(w), short(got), err, short(v))
		}
	}
}

// TestIntegrationPppdReadsLikeReadWords compares ReadWords with pppd on
// raw text that holds the corner cases of getword.
func TestIntegrationPppdReadsLikeReadWords(t *testing.T) {
	r := newPppdReader(t)
	for _, raw := range []string{
		`a"b c"d`, `'it''s'`, `"a#b"c`, `a#b`, `\#x`, `a\ b`, `"\a\b\f\n\r\s\t"`, `\q\v\"\'`,
		`\101\1012`, `\777`, `\x41\x4g\xFf`, "ab\\\ncd", "\"a\nb\"", "\"tab\there\"", `"x\'y"`,
		`'x\"y'`, "a\xa0b", `"unterminated`, `ab\0cd`,
	} {
		text := "ipparam " + raw + "\n"
		words, _ := pppsyntaxtest.ReadWords(text)
		if len(words) != 2 {
			t.Fatalf("ReadWords(%q) = %s, want 2 words for this comparison", short(text), fmtWords(words))
		}
		got, _, err := r.ipparam(t, text)
		if err != nil || got != words[1].Text {
			t.Errorf("pppd reads %q as %q, %v; ReadWords gives %q", short(text), short(got), err, short(words[1].Text))
		}
	}
}

// TestIntegrationPppdWordLimit checks MaxWordLen: pppd warns about the
// first word longer than that, as ReadWords reports it.
func TestIntegrationPppdWordLimit(t *testing.T) {
	r := newPppdReader(t)
	for _, n := range []int{pppsyntax.MaxWordLen, pppsyntax.MaxWordLen + 1} {
		text := "ipparam " + strings.Repeat("z", n) + "\n"
		_, rerr := pppsyntaxtest.ReadWords(text)
		_, out, _ := r.ipparam(t, text)
		warned := strings.Contains(out, "too long")
		if warned != errors.Is(rerr, pppsyntax.ErrTooLong) {
			t.Errorf("pppd on a word of %d bytes warns %v, ReadWords error %v", n, warned, rerr)
		}
	}
}

// findsPapSecret reports whether pppd, asked to make peer client
// authenticate to us as server, finds a usable entry for them in the
// pap-secrets file text. /etc/ppp is replaced, in a private mount
// namespace, by a directory holding only that file.
func (r *pppdReader) findsPapSecret(t *testing.T, text, client, server string) (bool, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "pap-secrets")
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := `mount -t tmpfs none /dev && mknod /dev/ppp c 1 3 && mknod /dev/null c 1 3 &&
mount -t tmpfs none /etc/ppp && cp "$1" /etc/ppp/pap-secrets && chmod 600 /etc/ppp/pap-secrets &&
exec "$0" dryrun nodetach auth require-pap remotename "$2" name "$3" /dev/null`
	out, err := exec.CommandContext(ctx, r.unshare, "-m", "sh", "-c", script, r.pppd, file, client, server).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &ee) && ee.ExitCode() == 1 && bytes.Contains(out, []byte("couldn't find any suitable secret")):
		return false, nil
	}
	return false, fmt.Errorf("%w: %q", err, out)
}

// TestIntegrationPppdFindsSecrets checks where ParseSecrets ends entries
// against the entries pppd finds, and that every name we accept is found
// by pppd under exactly that name. An entry only counts for pppd with an
// address the peer may use, hence the "*" addresses.
func TestIntegrationPppdFindsSecrets(t *testing.T) {
	r := newPppdReader(t)
	if _, err := r.findsPapSecret(t, "a b c *\n", "a", "b"); err != nil {
		t.Skipf("skipping: pppd cannot be run with a secrets file of ours here: %v", err)
	}
	for _, tt := range []struct{ text, client, server string }{
		{"a b # c\nd e f *\n", "a", "b"},
		{"a b # c\nd e f *\n", "d", "e"},
		{"a b \\\n c *\n", "a", "b"},
		{"a \"b\nc\" d *\n", "a", "b\nc"},
		{"a b c\\\nd *\n", "a", "b"},
		{"x y\nz w pw *\n", "x", "y"},
		{"x y\nz w pw *\n", "z", "w"},
		{"x y pw\n*\n", "x", "y"},
		{`"a"b c d *` + "\n", "ab", "c"},
	} {
		var want bool
		entries, _ := pppsyntaxtest.ParseSecrets(tt.text)
		for _, e := range entries {
			if e.Client == tt.client && e.Server == tt.server && len(e.Addrs) > 0 && e.Addrs[0] == "*" {
				want = true
			}
		}
		got, err := r.findsPapSecret(t, tt.text, tt.client, tt.server)
		if err != nil || got != want {
			t.Errorf("pppd finds %q on %q in %q = %v, %v; ParseSecrets says %v", tt.client, tt.server, tt.text, got, err, want)
		}
	}
	for _, v := range hostileValues {
		line, err := secretsLine(v, "srv", "pw")
		if err != nil {
			continue
		}
		text := "other srv pw *\n" + strings.TrimSuffix(line, "\n") + " *\n"
		if got, err := r.findsPapSecret(t, text, v, "srv"); err != nil || !got {
			t.Errorf("pppd finds %q on srv in %q = %v, %v, want true", short(v), short(text), got, err)
		}
	}
}

// chatRunner runs chat -f on a pseudo-terminal and returns what it wrote
// to the terminal, after feeding it input.
type chatRunner struct{ chat string }

func newChatRunner(t *testing.T) *chatRunner {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping: -short leaves out runs of the real chat")
	}
	chat, err := exec.LookPath("chat")
	if err != nil {
		t.Skip("skipping: chat is not installed, so its script reader cannot be compared")
	}
	m, s, err := openPty()
	if err != nil {
		t.Skipf("skipping: no pseudo-terminal for chat: %v", err)
	}
	m.Close()
	s.Close()
	return &chatRunner{chat: chat}
}

func (r *chatRunner) run(t *testing.T, script, input string) (out string, err error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "chat")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	m, s, err := openPty()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := makeRaw(s); err != nil {
		s.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, r.chat, "-S", "-s", "-v", "-f", file)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s, s, &stderr
	if err := cmd.Start(); err != nil {
		s.Close()
		t.Fatal(err)
	}
	s.Close()
	var buf bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.Copy(&buf, m) // ends with EIO once chat has closed the terminal
	}()
	if input != "" {
		m.Write([]byte(input))
	}
	err = cmd.Wait()
	// What chat wrote last may still be unread: the copy ends with EIO
	// once it is drained, and the deadline only guards against a hang.
	m.SetReadDeadline(time.Now().Add(5 * time.Second))
	wg.Wait()
	if err != nil {
		return buf.String(), fmt.Errorf("%w: %s", err, stderr.String())
	}
	return buf.String(), nil
}

func openPty() (m, s *os.File, err error) {
	m, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		m.Close()
		return nil, nil, e
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		m.Close()
		return nil, nil, e
	}
	s, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}

// makeRaw puts the terminal in raw mode before chat starts, so that input
// written early is neither echoed nor held for a newline.
func makeRaw(f *os.File) error {
	var tio syscall.Termios
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&tio))); e != 0 {
		return e
	}
	tio.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	tio.Oflag &^= syscall.OPOST
	tio.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	tio.Cflag &^= syscall.CSIZE | syscall.PARENB
	tio.Cflag |= syscall.CS8
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCSETS, uintptr(unsafe.Pointer(&tio))); e != 0 {
		return e
	}
	return nil
}

// chatValues are the hostile values short enough that chat, which waits
// 10 ms after every byte it sends, gets through them quickly.
func chatValues() []string {
	var vs []string
	for _, v := range hostileValues {
		if len(v) <= 64 {
			vs = append(vs, v)
		}
	}
	return vs
}

func TestIntegrationChatSends(t *testing.T) {
	r := newChatRunner(t)
	for _, v := range chatValues() {
		tok, err := pppsyntax.ChatSend(v)
		if err != nil {
			continue
		}
		t.Run("", func(t *testing.T) {
			t.Parallel()
			script := "'' " + tok + "\n"
			got, err := r.run(t, script, "")
			if err != nil || got != v+"\r" {
				t.Errorf("chat sends %q for %q, %v, want %q", got, tok, err, v+"\r")
			}
		})
	}
}

// TestIntegrationChatSendsLikeCleanSend compares ReadChatScript and
// CleanSend with chat on raw send tokens that hold the corner cases of
// do_file and clean().
func TestIntegrationChatSendsLikeCleanSend(t *testing.T) {
	r := newChatRunner(t)
	for _, raw := range []string{
		`ab'c`, `'a\'b'`, `"c\"d"`, `'e"f'`, `^C^c^[^@x`, `x^`, `\^`, `\\`, `ab\`, `\N`, `\000\134`,
		`\101\1012\7777`, `\b\r\n\s\t`, `\T\U\q`, `\$HOME`, `$HOME`, `\@\#\"\'\-\x`, `a\cb`, `a\c`,
		`\d\p`, "EOT", "BREAKx", `\105OT`, `'a b'`, `it's`, "x\r", `'#'`,
	} {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			script := "'' " + raw + "\n"
			toks, err := pppsyntaxtest.ReadChatScript(script)
			if err != nil || len(toks) != 2 {
				t.Fatalf("ReadChatScript(%q) = %v, %v, want 2 tokens", script, toks, err)
			}
			out, noCR := pppsyntaxtest.CleanSend(toks[1].Text)
			want := out
			if !noCR {
				want += "\r"
			}
			got, err := r.run(t, script, "")
			if err != nil || got != want {
				t.Errorf("chat sends %q, %v for %q; ReadChatScript and CleanSend give %q", got, err, raw, want)
			}
		})
	}
}

// TestIntegrationChatRejectsUnterminatedQuote checks the one parse error
// that ReadChatScript reports.
func TestIntegrationChatRejectsUnterminatedQuote(t *testing.T) {
	r := newChatRunner(t)
	script := "'' 'abc\n"
	if _, err := pppsyntaxtest.ReadChatScript(script); !errors.Is(err, pppsyntax.ErrSyntax) {
		t.Errorf("ReadChatScript(%q) = %v, want ErrSyntax", script, err)
	}
	var ee *exec.ExitError
	if _, err := r.run(t, script, ""); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("chat on %q = %v, want exit status 1", script, err)
	}
}
