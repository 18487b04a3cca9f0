package genpppconfig

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pppkeep/pppkeep/pkg/atomicfile"
	"github.com/pppkeep/pppkeep/pkg/cli"
	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/logging"
)

const (
	tool  = "gen_pppconfig"
	usage = tool + " [--config FILE] [--root DIR] [--dry-run | --check | --get KEY] [--foreground]"
	about = `Writes pppd's peer file /etc/ppp/peers/ppp0, the chat script /etc/chatscripts/ppp0
and our entry (server ppp0) in /etc/ppp/chap-secrets or /etc/ppp/pap-secrets from
/etc/default/ppp. Does nothing when PROVIDER is set. Writes a file only when its
content changes; a bad value stops it before anything is written (exit 78).
/etc/default/ppp is read as bash reads it; a value bash would expand or run
($X, $(...), backquotes, a second word) is refused with the safely quoted
form to write instead. Files that are symbolic links are written through.`
)

// Main runs gen_pppconfig with args (without the program name).
func Main(args []string, stdout, stderr io.Writer) int {
	var common cli.Common
	var dryRun, check bool
	var get string
	fs := cli.Flags(tool, usage, about, stdout, &common)
	fs.BoolVarP(&dryRun, "dry-run", "n", false, "show what would be written (secrets as a summary) and write nothing")
	fs.BoolVar(&check, "check", false, "check the configuration and the module only; write nothing")
	fs.StringVar(&get, "get", "", "print KEY's value as the suite reads it (the last assignment, or its default) and write nothing; the whole file is checked first")
	if done, code := cli.Parse(fs, &common, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return cli.Usagef(stderr, tool, "unexpected argument %q", fs.Arg(0))
	}
	if n := countTrue(dryRun, check, fs.Changed("get")); n > 1 {
		return cli.Usagef(stderr, tool, "--dry-run, --check and --get exclude each other")
	}
	if fs.Changed("get") {
		if k, ok := config.Lookup(get); !ok {
			return cli.Usagef(stderr, tool, "--get %q: not a key of /etc/default/ppp (see pppkeep(5))", get)
		} else if k.Secret {
			return cli.Usagef(stderr, tool, "--get %s: a secret is not shown", get)
		}
	}
	log := logging.New(tool, stderr, common.Foreground)
	defer log.Close()
	if fs.Changed("get") {
		return printValue(log, &common, get, stdout)
	}
	return run(log, &common, dryRun, check, stdout)
}

func countTrue(bs ...bool) (n int) {
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// printValue is --get: key's value, once the file has been read without
// a fault (a file with a bad value says nothing it could be trusted on).
func printValue(log *logging.Logger, common *cli.Common, key string, stdout io.Writer) int {
	c, code, err := common.LoadConfig(log.Warnf)
	if err != nil {
		return configError(log, code, err)
	}
	v, _ := c.Value(key)
	fmt.Fprintln(stdout, v)
	return exitcode.OK
}

func run(log *logging.Logger, common *cli.Common, dryRun, check bool, stdout io.Writer) int {
	c, code, err := common.LoadConfig(log.Warnf)
	if err != nil {
		return configError(log, code, err)
	}
	if !c.Generated() {
		log.Infof("PROVIDER=%s is set: pppd uses /etc/ppp/peers/%s as written; nothing generated.", c.Provider, c.Provider)
		return exitcode.OK
	}
	loc, how, err := resolveDevice(c, common.Root)
	switch {
	case errors.Is(err, errNoModule):
		log.Errorf("%v", err)
		return exitcode.Failure
	case err != nil:
		return configError(log, exitcode.Config, err)
	}
	log.Infof("%s", how)
	files, err := plan(c, loc, common.Root)
	if err != nil {
		return configError(log, cli.ConfigExit(err), err)
	}
	switch {
	case check:
		log.Infof("%s: configuration is valid.", c.Path)
		return exitcode.OK
	case dryRun:
		show(stdout, files)
		return exitcode.OK
	}
	return write(log, files)
}

// configError reports err and returns code, its exit code as cli.ConfigExit
// gives it: 78 for a bad value or a missing file (systemd must not
// restart-loop on it), 1 for a file that could not be read.
func configError(log *logging.Logger, code int, err error) int {
	log.Errorf("%v", err)
	if code == exitcode.Config {
		log.Errorf("configuration error: nothing written")
	}
	return code
}

func write(log *logging.Logger, files []*file) int {
	wrote := 0
	for _, f := range files {
		if f.absent() {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.abs), 0o755); err != nil {
			log.Errorf("%v", err)
			return exitcode.Failure
		}
		changed, err := writeFile(log, f)
		if err != nil {
			log.Errorf("%v", err)
			return exitcode.Failure
		}
		if !changed {
			continue
		}
		wrote++
		if f.secret {
			log.Infof("wrote %s: %s", f.path, f.summary)
		} else {
			log.Infof("wrote %s", f.path)
		}
	}
	if wrote == 0 {
		log.Infof("all files up to date; nothing written")
	}
	return exitcode.OK
}

// writeFile replaces f through any symbolic links unless it is up to date,
// reports whether it wrote, and warns when the file it replaced had other
// hard links: they keep the old content (an old password, for a secrets
// file). The error already names the file.
func writeFile(log *logging.Logger, f *file) (bool, error) {
	res, wrote, err := atomicfile.ReplaceIfChanged(f.abs, f.content, f.mode)
	res.Path = f.path // as the user knows it, without --root
	if w := res.Warning(); w != "" {
		log.Warnf("%s", w)
	}
	return wrote, err
}

// show prints the plan for --dry-run: whole files for the peer file and
// the chat script, a summary for the secrets files.
func show(w io.Writer, files []*file) {
	for _, f := range files {
		state := "unchanged"
		switch {
		case f.absent():
			state = "not created (nothing to put in it)"
		case !f.exists:
			state = fmt.Sprintf("new file, mode %04o", f.mode)
		case f.changed():
			state = fmt.Sprintf("changed, mode %04o", f.mode)
		}
		fmt.Fprintf(w, "=== %s: %s\n", f.path, state)
		if f.secret {
			fmt.Fprintf(w, "%s\n", f.summary)
			continue
		}
		if f.changed() {
			w.Write(f.content)
		}
	}
}
