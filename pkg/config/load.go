package config

import (
	"cmp"
	"fmt"
	"slices"
)

// Load reads and checks the configuration file at path. A file with bad
// values gives an Errors listing every one of them; a file that cannot be
// a configuration (a directory, a loop of symbolic links, larger than
// MaxFileBytes) gives a *FieldError; warnings (unknown keys, keys set
// twice) come back with a usable Config.
func Load(path string) (*Config, []Warning, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Parse(path, data)
}

// Parse checks data as the content of the file named name. Values are
// those bash gives when it sources the file (see readAssignments).
func Parse(name string, data []byte) (*Config, []Warning, error) {
	if e := checkText(name, data); e != nil {
		return nil, nil, Errors{e}
	}
	c := &Config{Path: name, Unknown: map[string]string{}, Lines: map[string]int{}}
	var warns []Warning
	raw := map[string]string{}

	assigns, errs, refused := readAssignments(name, data)
	linesRefused := len(errs) > 0
	for _, a := range assigns {
		k, n, v := a.Key, a.Line, a.Value
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

	for i := range Keys {
		k := &Keys[i]
		if refused[k.Name] {
			continue // its line is already reported
		}
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
	c.raw = raw
	adaptDefaults(c, raw)
	if !linesRefused {
		// Values that are fine alone but not together; not when a line
		// was refused, as the value it meant is not known.
		errs = append(errs, crossChecks(c)...)
	}
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

// adaptDefaults fits the defaults of the keys this suite added to the
// vendor's keys that are set: a MONITOR_TIMEOUT left out (or empty) is at
// most MONITOR_INTERVAL, so that a vendor file with a short interval
// starts.
func adaptDefaults(c *Config, raw map[string]string) {
	if raw["MONITOR_TIMEOUT"] == "" && c.MonitorTimeout > c.MonitorInterval {
		c.MonitorTimeout = c.MonitorInterval
	}
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
