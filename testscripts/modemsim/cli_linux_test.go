package modemsim

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMainUsage(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"dance"},
		{"serve"},
		{"serve", "--model", "NOSUCH"},
		{"serve", "--model", "LISA-U200", "cat"},
		{"serve", "--model", "LISA-U200", "--bogus"},
		{"ctl", "sock"},
	} {
		var stdout, stderr bytes.Buffer
		if got := mainContext(context.Background(), args, &stdout, &stderr); got != 2 {
			t.Errorf("Main(%q) = %d, want 2 (usage); stderr %q", args, got, stderr.String())
		}
	}
	var stdout bytes.Buffer
	if got := mainContext(context.Background(), []string{"serve", "--help"}, &stdout, &stdout); got != 0 || !strings.Contains(stdout.String(), "--reset-delay") {
		t.Errorf("Main(serve --help) = %d, %q; want 0 and the flags", got, stdout.String())
	}
}

func TestIntegrationMainServeAndCtl(t *testing.T) {
	t.Parallel()
	needPTY(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	sock := filepath.Join(dir, "sim.sock")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var serveOut, serveErr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- mainContext(ctx, []string{"serve", "--model", "AMP520", "--root", root, "--dev", "2-1.4",
			"--alias", "--control", sock, "--reset-delay", "100ms", "--log", filepath.Join(dir, "log"), "--", "cat"}, &serveOut, &serveErr)
	}()

	ctl := func(want int, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if got := mainContext(context.Background(), append([]string{"ctl", sock}, args...), &stdout, &stderr); got != want {
			t.Fatalf("Main(ctl SOCK %s) = %d, want %d; stdout %q, stderr %q", strings.Join(args, " "), got, want, stdout.String(), stderr.String())
		}
		return strings.TrimSpace(stdout.String())
	}
	var st Stats
	if err := json.Unmarshal([]byte(ctl(0, "stats")), &st); err != nil || st.State != StateReady || st.TTY != "ttyUSB0" {
		t.Fatalf("ctl stats = %+v, %v; want ready on ttyUSB0", st, err)
	}
	if got := ctl(1, "hung", "maybe"); !strings.HasPrefix(got, "error ") {
		t.Errorf("ctl hung maybe printed %q, want an error reply", got)
	}
	if got, want := ctl(0, "hung", "on"), "ok hung on"; got != want {
		t.Errorf("ctl hung on printed %q, want %q", got, want)
	}
	if got, want := ctl(0, "callend", "after-connect", "on"), "ok callend after-connect on"; got != want {
		t.Errorf("ctl callend after-connect on printed %q, want %q", got, want)
	}
	ctl(0, "sim", "puk")
	if err := json.Unmarshal([]byte(ctl(0, "stats")), &st); err != nil || st.Knobs.SIM != "puk" || st.Knobs.CallEnd != "after-connect" || !st.Knobs.Hung {
		t.Errorf("ctl stats = %+v, %v; want the knobs sim puk, callend after-connect, hung", st.Knobs, err)
	}
	if got := link(devPath(root, "ttyAMP0")); !strings.HasPrefix(got, "/dev/pts/") {
		t.Errorf("Readlink(ROOT/dev/ttyAMP0) = %q, want the pty (--alias)", got)
	}
	if !exists(filepath.Join(root, "sys/bus/usb/devices/2-1.4/authorized")) {
		t.Errorf("no fake USB device 2-1.4 under ROOT")
	}

	cancel()
	select {
	case got := <-done:
		if got != 0 {
			t.Errorf("Main(serve) = %d after the context ended, want 0; stderr %q", got, serveErr.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Main(serve) still running 5 s after the context ended")
	}
	for _, p := range []string{devPath(root, "ttyUSB0"), devPath(root, "ttyAMP0"), sock, filepath.Join(root, "sys/bus/usb/devices/2-1.4")} {
		if !gone(p) {
			t.Errorf("%s still there after serve ended", p)
		}
	}
}
