package modem_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// runPppdOnLockedDir runs the real pppd with its lock option on
// /dev/<tty> in a private mount namespace whose /var/lock is root/var/lock
// and whose /dev is a stand-in (pppd wants a /dev/ppp; the tty is a copy of
// /dev/null, so pppd cannot do anything with it). It returns pppd's exit
// status and what it printed.
func runPppdOnLockedDir(t *testing.T, pppd, unshare, root, tty string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := `mount --bind "$1" /var/lock || exit 100
mount -t tmpfs none /dev && mknod /dev/ppp c 1 3 && mknod /dev/null c 1 3 && mknod "/dev/$2" c 1 3 || exit 100
exec "$0" "/dev/$2" lock nodetach noauth`
	cmd := exec.CommandContext(ctx, unshare, "-m", "sh", "-c", script, pppd, filepath.Join(root, "var", "lock"), tty)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee) && ee.ExitCode() == 100:
		t.Skipf("skipping: cannot set up a mount namespace for pppd: %q", out)
	case errors.As(err, &ee) && ee.ExitCode() >= 0:
		return ee.ExitCode(), string(out)
	}
	t.Fatalf("running pppd: %v: %q", err, out)
	return 0, ""
}

// TestIntegrationPppdRefusesLockedTTY shows that the lock LockTTY writes is
// the one pppd honours: pppd refuses the tty with exit status 6 ("serial
// port could not be locked", docs/pppd-and-chat.md §1) and names our pid,
// and once we unlock it gets past the lock.
func TestIntegrationPppdRefusesLockedTTY(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: -short leaves out runs of the real pppd")
	}
	pppd, err := exec.LookPath("pppd")
	if err != nil {
		if pppd, err = exec.LookPath("/usr/sbin/pppd"); err != nil {
			t.Skip("skipping: pppd is not installed, so its reading of our lock cannot be checked")
		}
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("skipping: unshare is not installed, and pppd needs a /dev/ppp of its own")
	}
	if os.Geteuid() != 0 {
		t.Skip("skipping: pppd needs root and a private mount namespace here")
	}
	const tty = "ttyPPPKEEP0"
	root := t.TempDir()
	unlock, err := modem.LockTTY(root, "/dev/"+tty)
	if err != nil {
		t.Fatal(err)
	}
	code, out := runPppdOnLockedDir(t, pppd, unshare, root, tty)
	want := fmt.Sprintf("Device %s is locked by pid %d", tty, os.Getpid())
	if code != 6 || !strings.Contains(out, want) {
		t.Errorf("pppd on a tty we hold: exit %d, %q; want exit 6 and %q", code, out, want)
	}

	unlock()
	code, out = runPppdOnLockedDir(t, pppd, unshare, root, tty)
	if code == 6 || strings.Contains(out, "is locked") {
		t.Errorf("pppd after unlock: exit %d, %q; want it past the lock", code, out)
	}
	if _, err := os.Stat(filepath.Join(root, "var", "lock", "LCK.."+tty)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after pppd ended, its lock file: %v, want it removed", err)
	}
}
