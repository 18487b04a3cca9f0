package modemsim

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// needPTY skips the test when this system cannot make pseudo-terminals.
func needPTY(t *testing.T) {
	t.Helper()
	f, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("skipped: the simulator serves its module on a pseudo-terminal and /dev/ptmx cannot be opened here: %v", err)
	}
	f.Close()
}

// testLog keeps the simulator's log, shown when a test fails.
type testLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Write(p)
	return len(p), nil
}

func (l *testLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startSim runs a simulator for the test: model LISA-U200 under a fresh
// root unless cfg says otherwise, no reset delay unless cfg sets one.
func startSim(t *testing.T, cfg Config) *Sim {
	t.Helper()
	needPTY(t)
	if cfg.Model.Name == "" {
		cfg.Model = mustModel(t, "LISA-U200")
	}
	if cfg.Root == "" {
		cfg.Root = t.TempDir()
	}
	if cfg.ResetDelay == 0 {
		cfg.ResetDelay = -1
	}
	log := &testLog{}
	cfg.Log = log
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v) = %v", cfg, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run() = %v", err)
		}
		if t.Failed() {
			t.Logf("simulator log:\n%s", log)
		}
	})
	select {
	case <-s.Ready():
	case err := <-done:
		done <- err
		t.Fatalf("Run() = %v before it was ready", err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run(): not ready after 5 s")
	}
	return s
}

// client talks to the module the way a program does: open the tty, write
// command lines, read replies.
type client struct {
	t    *testing.T
	f    *os.File
	path string
	seen string // read but not yet taken by expect
	err  error  // why the last read stopped, for the failure message
}

func dialTTY(t *testing.T, path string) *client {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	c := &client{t: t, f: f, path: path}
	t.Cleanup(c.close)
	return c
}

func (c *client) close() {
	c.f.Close()
}

func (c *client) write(s string) {
	c.t.Helper()
	if _, err := c.f.WriteString(s); err != nil {
		c.t.Fatalf("write %q to %s: %v", s, c.path, err)
	}
}

// readFor reads what arrives within d.
func (c *client) readFor(d time.Duration, until func(string) bool) {
	deadline := time.Now().Add(d)
	buf := make([]byte, 4096)
	for !until(c.seen) {
		c.f.SetReadDeadline(deadline)
		n, err := c.f.Read(buf)
		c.seen += string(buf[:n])
		if err != nil {
			c.err = err
			return
		}
	}
}

// expect reads until want arrives and returns everything up to and
// including it.
func (c *client) expect(want string, d time.Duration) string {
	c.t.Helper()
	c.readFor(d, func(s string) bool { return strings.Contains(s, want) })
	i := strings.Index(c.seen, want)
	if i < 0 {
		c.t.Fatalf("read from %s = %q, want %q within %v", c.path, c.seen, want, d)
	}
	got := c.seen[:i+len(want)]
	c.seen = c.seen[i+len(want):]
	return got
}

// finalCodes are the result codes that end a reply.
var finalCodes = []string{"\r\nOK\r\n", "\r\nERROR\r\n", "\r\nNO CARRIER\r\n"}

// final returns the reply up to its final result code.
func final(s string) (string, bool) {
	end := -1
	for _, f := range finalCodes {
		if i := strings.Index(s, f); i >= 0 && (end < 0 || i+len(f) < end) {
			end = i + len(f)
		}
	}
	for _, code := range []string{"\r\nCONNECT", "\r\n+CME ERROR:"} {
		if i := strings.Index(s, code); i >= 0 {
			if j := strings.Index(s[i+2:], "\r\n"); j >= 0 && (end < 0 || i+2+j+2 < end) {
				end = i + 2 + j + 2
			}
		}
	}
	if end < 0 {
		return "", false
	}
	return s[:end], true
}

// at sends a command line and returns the reply up to its final result
// code, echo included.
func (c *client) at(cmd string) string {
	c.t.Helper()
	c.write(cmd + "\r")
	c.readFor(3*time.Second, func(s string) bool { _, ok := final(s); return ok })
	got, ok := final(c.seen)
	if !ok {
		c.t.Fatalf("%s: %q: reply %q has no final result code (read: %v)", c.path, cmd, c.seen, c.err)
	}
	c.seen = c.seen[len(got):]
	return got
}

// silent checks that nothing arrives within d.
func (c *client) silent(d time.Duration) {
	c.t.Helper()
	c.readFor(d, func(s string) bool { return s != "" })
	if c.seen != "" {
		c.t.Fatalf("read from %s = %q, want nothing within %v", c.path, c.seen, d)
	}
}

// waitFor polls cond until it holds or d has passed.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func gone(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, os.ErrNotExist)
}

// link is where the symlink path points, or "".
func link(path string) string {
	l, _ := os.Readlink(path)
	return l
}

func devPath(root, name string) string {
	return filepath.Join(root, "dev", name)
}

func do(t *testing.T, s *Sim, cmd string) string {
	t.Helper()
	reply, err := s.Do(cmd)
	if err != nil {
		t.Fatalf("Do(%q) = %v", cmd, err)
	}
	return reply
}
