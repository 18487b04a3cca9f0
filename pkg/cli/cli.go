package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/exitcode"
	"github.com/pppkeep/pppkeep/pkg/version"
)

// Common are the flags every tool has.
type Common struct {
	Root       string
	ConfigFlag string
	Foreground bool
	Version    bool
}

// Flags returns a fresh FlagSet for tool with the common flags registered
// into c. usage is the synopsis line(s) shown first by --help; about says
// what the tool does.
func Flags(tool, usage, about string, stdout io.Writer, c *Common) *pflag.FlagSet {
	fs := pflag.NewFlagSet(tool, pflag.ContinueOnError)
	fs.SortFlags = false
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.ConfigFlag, "config", "", "configuration file (default ROOT"+config.DefaultPath+")")
	fs.StringVar(&c.Root, "root", "/", "directory that every system path (/etc, /run, /dev, /sys) is resolved under")
	fs.BoolVar(&c.Foreground, "foreground", false, "also log every line to stderr, not only warnings and errors")
	fs.BoolVar(&c.Version, "version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: %s\n\n%s\n\nOptions:\n%s\n%s", usage, about, fs.FlagUsages(), exitcode.Help)
	}
	return fs
}

// Parse parses args. It returns done=true with the exit code when the
// command has nothing more to do: --help, --version, or a usage error
// (reported on stderr).
func Parse(fs *pflag.FlagSet, c *Common, args []string, stdout, stderr io.Writer) (done bool, code int) {
	fs.BoolP("help", "h", false, "show this help and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fs.Usage()
			return true, exitcode.OK
		}
		fmt.Fprintf(stderr, "%s: %v\nTry '%s --help'.\n", fs.Name(), err, fs.Name())
		return true, exitcode.Usage
	}
	if h, _ := fs.GetBool("help"); h {
		fs.Usage()
		return true, exitcode.OK
	}
	if c.Version {
		fmt.Fprintf(stdout, "%s %s\n", fs.Name(), version.Version)
		return true, exitcode.OK
	}
	return false, 0
}

// Path resolves a system path under --root.
func (c *Common) Path(p string) string {
	return filepath.Join(c.Root, p)
}

// ConfigPath is --config when given, else /etc/default/ppp under --root.
func (c *Common) ConfigPath() string {
	if c.ConfigFlag != "" {
		return c.ConfigFlag
	}
	return c.Path(config.DefaultPath)
}

// LoadConfig reads the configuration file (ConfigPath) and passes each of
// its warnings to warn. On an error it also returns the exit code for it,
// as ConfigExit.
func (c *Common) LoadConfig(warn func(format string, args ...any)) (*config.Config, int, error) {
	cfg, warns, err := config.Load(c.ConfigPath())
	for _, w := range warns {
		warn("%s", w)
	}
	if err != nil {
		return nil, ConfigExit(err), err
	}
	return cfg, exitcode.OK, nil
}

// ConfigExit is the exit code for an error about the configuration:
// exitcode.Config when the file is missing or a value is refused (a
// restart cannot help; systemd does not restart for it), exitcode.Failure
// when it could not be read.
func ConfigExit(err error) int {
	var es config.Errors
	var fe *config.FieldError
	if errors.As(err, &es) || errors.As(err, &fe) || errors.Is(err, os.ErrNotExist) {
		return exitcode.Config
	}
	return exitcode.Failure
}

// Usagef reports a usage error and returns its exit code.
func Usagef(stderr io.Writer, tool, format string, args ...any) int {
	fmt.Fprintf(stderr, "%s: %s\nTry '%s --help'.\n", tool, fmt.Sprintf(format, args...), tool)
	return exitcode.Usage
}
