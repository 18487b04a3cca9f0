package config

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/hashicorp/go-envparse"
)

// Load reads and checks the configuration file at path. A file with bad
// values gives an Errors listing every one of them; warnings (unknown keys,
// keys set twice) come back with a usable Config.
func Load(path string) (*Config, []Warning, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse checks data as the content of the file named name.
func Parse(name string, data []byte) (*Config, []Warning, error) {
	c := &Config{Path: name, Unknown: map[string]string{}, Lines: map[string]int{}}
	var errs Errors
	var warns []Warning
	raw := map[string]string{}

	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		// One line at a time, so that each value keeps its line number;
		// go-envparse is line-oriented, so nothing is lost by this.
		kv, err := envparse.Parse(bytes.NewReader(sc.Bytes()))
		if err != nil {
			var pe *envparse.ParseError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			errs = append(errs, &FieldError{File: name, Line: n,
				Accepted: fmt.Sprintf("cannot read this line (%v); expected KEY=VALUE", err)})
			continue
		}
		for k, v := range kv {
			if old, ok := c.Lines[k]; ok {
				warns = append(warns, Warning{name, n, fmt.Sprintf("%s is set again; this line wins over line %d", k, old)})
			}
			c.Lines[k] = n
			raw[k] = v
			if _, known := Lookup(k); !known {
				c.Unknown[k] = v
				warns = append(warns, Warning{name, n, fmt.Sprintf("unknown key %s ignored (left in the file)", k)})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("config: %s: %w", name, err)
	}

	for i := range Keys {
		k := &Keys[i]
		v, inFile := raw[k.Name]
		if v == "" {
			v = k.Default
		}
		if !k.set(c, v) {
			shown := raw[k.Name]
			if k.Secret {
				shown = "(hidden)"
			}
			line := 0
			if inFile {
				line = c.Lines[k.Name]
			}
			errs = append(errs, &FieldError{File: name, Line: line, Key: k.Name, Value: shown, Accepted: "accepted: " + k.Accepted})
		}
	}
	errs = append(errs, crossChecks(c)...)
	if c.Monitor {
		if on, why := c.MonitorActive(); !on {
			warns = append(warns, Warning{name, c.Lines["MONITOR"], "MONITOR=yes has no effect: " + why})
		}
	}
	if len(errs) > 0 {
		sortErrors(errs)
		return nil, warns, errs
	}
	return c, warns, nil
}

// crossChecks finds values that are fine alone but not together.
func crossChecks(c *Config) Errors {
	var errs Errors
	if c.Generated() && (c.Auth == AuthCHAP || c.Auth == AuthPAP) && c.Account == "" {
		errs = append(errs, c.Errorf("ACCOUNT", "", "required with AUTH="+c.Auth+"; set the account, or AUTH=NOAUTH"))
	}
	if c.Generated() && (c.Auth == AuthCHAP || c.Auth == AuthPAP) && c.Password == "" {
		errs = append(errs, c.Errorf("PASSWORD", "", "required with AUTH="+c.Auth+"; set the password, or AUTH=NOAUTH"))
	}
	if c.Generated() && c.Auth == AuthNone && c.Account != "" {
		errs = append(errs, c.Errorf("ACCOUNT", c.Account, "must be empty with AUTH=NOAUTH (it would not be used); use AUTH=CHAP or PAP"))
	}
	if c.MonitorTimeout > c.MonitorInterval {
		errs = append(errs, c.Errorf("MONITOR_TIMEOUT", fmt.Sprint(c.MonitorTimeout.Seconds()), fmt.Sprintf("at most MONITOR_INTERVAL (%v): a probe must end before the next one", c.MonitorInterval.Seconds())))
	}
	if c.Netmask.IsValid() && !c.LocalAddr.IsValid() {
		errs = append(errs, c.Errorf("NETMASK", c.Netmask.String(), "needs LOCALADDR"))
	}
	return errs
}

func sortErrors(errs Errors) {
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return cmp.Compare(a.Line, b.Line) })
}
