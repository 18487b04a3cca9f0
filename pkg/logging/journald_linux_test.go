package logging

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The real consumer: a systemd-journald of our own, in a private mount
// namespace (its sockets and journal on a tmpfs, the host's untouched),
// parses our lines into the fields journalctl shows and filters on.
func TestIntegrationJournaldParsesOurLines(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: starting a private systemd-journald needs root (mount namespace)")
	}
	journald := "/lib/systemd/systemd-journald"
	if _, err := os.Stat(journald); err != nil {
		t.Skipf("skipping: no systemd-journald to parse our lines: %v", err)
	}
	for _, tool := range []string{"unshare", "journalctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping: %s not installed: %v", tool, err)
		}
	}
	root := startJournald(t, journald)

	c, err := dialSyslogAt("ppp_wrapper", filepath.Join(root, "run/systemd/journal/dev-log"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	stamp := time.Now().Add(-time.Hour).Truncate(time.Second)
	c.now = func() time.Time { return stamp }
	sent := []struct {
		sev severity
		msg string
	}{
		{sevInfo, "pppd (pid 4242) started"},
		{sevWarning, "modem not answering"},
		{sevErr, "no SIM: [ppp0] <x>"},
	}
	for _, s := range sent {
		if err := c.send(s.sev, s.msg); err != nil {
			t.Fatalf("send(%d, %q) = %v, want nil", s.sev, s.msg, err)
		}
	}

	pid := strconv.Itoa(os.Getpid())
	entries := journalEntries(t, root, pid, len(sent))
	for i, s := range sent {
		e := entries[i]
		want := map[string]string{
			"MESSAGE":           s.msg,
			"PRIORITY":          strconv.Itoa(int(s.sev)),
			"SYSLOG_FACILITY":   "3",
			"SYSLOG_IDENTIFIER": "ppp_wrapper",
			"SYSLOG_PID":        pid,
			"SYSLOG_TIMESTAMP":  stamp.Format(time.Stamp) + " ",
			"_PID":              pid,
		}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("journal entry %d: %s = %v, want %q", i, k, e[k], v)
			}
		}
	}
}

// startJournald runs systemd-journald in a mount namespace of its own and
// returns the path of that namespace's root as seen from ours.
func startJournald(t *testing.T, journald string) string {
	t.Helper()
	script := `set -e
mount -t tmpfs tmpfs /run
if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi
mkdir -p /run/systemd/journal
exec "$0"`
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c", script, journald)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	root := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/root"
	sock := filepath.Join(root, "run/systemd/journal/dev-log")
	for range 100 {
		if _, err := os.Stat(sock); err == nil {
			return root
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Skipf("skipping: systemd-journald did not start here (no %s): %s", sock, stderr.String())
	return ""
}

// journalEntries returns the first n entries from process pid (known to
// journald from the socket, whatever the line says), waiting for journald
// to have written them.
func journalEntries(t *testing.T, root, pid string, n int) []map[string]any {
	t.Helper()
	var entries []map[string]any
	for range 100 {
		out, err := exec.Command("journalctl", "-D", filepath.Join(root, "run/log/journal"),
			"-o", "json", "--no-pager", "_PID="+pid).Output()
		if err != nil {
			t.Fatalf("journalctl: %v", err)
		}
		entries = entries[:0]
		sc := bufio.NewScanner(bytes.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var e map[string]any
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
				t.Fatalf("journalctl -o json wrote %q: %v", sc.Text(), err)
			}
			entries = append(entries, e)
		}
		if len(entries) >= n {
			return entries
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("journal has %d entries from pid %s, want %d", len(entries), pid, n)
	return nil
}
