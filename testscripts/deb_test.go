package testscripts

import (
	"archive/tar"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// debArchs are the packages `make deb` builds, as Debian names them.
var debArchs = []string{"amd64", "arm64", "armhf"}

// TestDebianPackages builds the three packages with `make deb` and asks the
// programs that read them: lintian (no error or warning; the tags we keep
// are overridden inside the package, each with its reason) and dpkg-deb
// (what lands where, which files are conffiles, what the package needs).
// Installing, removing and purging one is e2e scenario 18, in the VM.
func TestDebianPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the package builds in -short mode")
	}
	for _, tool := range []string{"make", "dpkg-deb", "lintian"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping: %s not installed (.ci/run installs it): %v", tool, err)
		}
	}
	out := t.TempDir()
	build := exec.Command("make", "-s", "-C", "..", "deb", "DEB_OUT="+out)
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("make deb: %v\n%s", err, b)
	}
	for _, arch := range debArchs {
		t.Run(arch, func(t *testing.T) {
			debs, _ := filepath.Glob(filepath.Join(out, "pppkeep_*_"+arch+".deb"))
			if len(debs) != 1 {
				t.Fatalf("make deb made %v for %s, want one package", debs, arch)
			}
			deb := debs[0]
			// Errors and warnings fail; informational tags are shown.
			lint := exec.Command("lintian", "--fail-on", "error,warning", "--display-info", deb)
			b, err := lint.CombinedOutput()
			var tags []string
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(l, "E: ") || strings.HasPrefix(l, "W: ") {
					tags = append(tags, l)
				} else if strings.HasPrefix(l, "I: ") {
					t.Logf("lintian: %s", l)
				}
			}
			if err != nil || len(tags) > 0 {
				t.Errorf("lintian %s: %v\n%s", filepath.Base(deb), err, strings.Join(tags, "\n"))
			}
			contents := run(t, "dpkg-deb", "--contents", deb)
			for _, f := range []string{"./usr/sbin/gen_pppconfig", "./usr/sbin/ppp_wrapper", "./usr/sbin/ppp_monitor",
				"./usr/sbin/modem_reset", "./lib/systemd/system/ppp.service", "./lib/systemd/system/ppp.path",
				"./etc/default/ppp", "./etc/ppp/ip-up.d/pppkeep", "./etc/ppp/ip-down.d/pppkeep", "./etc/init/ppp.conf",
				"./usr/share/man/man8/ppp_wrapper.8.gz", "./usr/share/man/man5/pppkeep.5.gz", "./usr/share/doc/pppkeep/copyright"} {
				if !strings.Contains(contents, " "+f+"\n") {
					t.Errorf("%s lacks %s; it holds:\n%s", filepath.Base(deb), f, contents)
				}
			}
			if strings.Contains(contents, "/usr/local/") {
				t.Errorf("%s installs under /usr/local, which is the administrator's:\n%s", filepath.Base(deb), contents)
			}
			ctl := t.TempDir()
			run(t, "dpkg-deb", "--control", deb, ctl)
			conffiles, err := os.ReadFile(filepath.Join(ctl, "conffiles"))
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Fields(string(conffiles))
			slices.Sort(got)
			want := []string{"/etc/default/ppp", "/etc/init/ppp.conf", "/etc/ppp/ip-down.d/pppkeep", "/etc/ppp/ip-up.d/pppkeep"}
			if !slices.Equal(got, want) {
				t.Errorf("conffiles = %v, want %v", got, want)
			}
			if dep := strings.TrimSpace(run(t, "dpkg-deb", "--field", deb, "Depends")); dep != "ppp" {
				t.Errorf("Depends: %q, want ppp", dep)
			}
			for _, u := range []string{"./lib/systemd/system/ppp.service", "./etc/init/ppp.conf"} {
				text := fileInDeb(t, deb, u)
				if !strings.Contains(text, "/usr/sbin/ppp_wrapper\n") || strings.Contains(text, "/usr/local/sbin/") {
					t.Errorf("%s in %s does not run /usr/sbin/ppp_wrapper, or names /usr/local/sbin:\n%s", u, filepath.Base(deb), text)
				}
			}
		})
	}
}

// fileInDeb returns one file of a package's data.
func fileInDeb(t *testing.T, deb, name string) string {
	t.Helper()
	tr := tar.NewReader(strings.NewReader(run(t, "dpkg-deb", "--fsys-tarfile", deb)))
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s has no %s: %v", filepath.Base(deb), name, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

// run returns a command's standard output, failing the test when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	b, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(b)
}
