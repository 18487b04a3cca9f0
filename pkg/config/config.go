package config

import (
	"net/netip"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// DefaultPath is where the suite's configuration lives.
const DefaultPath = "/etc/default/ppp"

// Authentication methods (AUTH).
const (
	AuthCHAP   = "CHAP"
	AuthPAP    = "PAP"
	AuthNone   = "NOAUTH"
	DeviceAuto = modem.Auto
)

// Config is /etc/default/ppp, typed and checked. Durations are whole
// seconds in the file.
type Config struct {
	// Path is the file the configuration was read from.
	Path string

	Start       bool
	Provider    string
	Persist     bool
	ResetOnFail bool
	ResetAlways bool
	ResetAt     *TimeOfDay // nil: no daily forced disconnect
	ResetWait   time.Duration
	// ResetPause and ResetPauseMax: the reset budget (RESET_PAUSE,
	// RESET_PAUSE_MAX).
	ResetPause, ResetPauseMax time.Duration
	Holdoff                   time.Duration
	Retry                     int

	APN          string
	PDPType      string // "IP" or "PPP"
	Demand       bool
	Idle         time.Duration
	Device       string // a model name, a tty name, or "AUTO"
	DefaultRoute bool
	Auth         string // AuthCHAP, AuthPAP or AuthNone
	Account      string
	Password     string
	NetMode      string // "", "AUTO", "WCDMA", "LTE", "NONE"
	CarrierID    string // "", "1"…"5" or a PLMN
	NoDNS        bool
	LocalAddr    netip.Addr // invalid (zero) when unset
	RemoteAddr   netip.Addr
	Netmask      netip.Addr

	Monitor         bool
	MonitorTarget   string // "" means automatic (docs/vendor-behaviour.md §R6)
	MonitorInterval time.Duration
	MonitorFail     int
	MonitorLog      bool
	MonitorTimeout  time.Duration // per-probe wait for the reply
	// MonitorRouteDest is where TTL-limited probes go to find the routers
	// on the route (automatic target).
	MonitorRouteDest string
	MonitorMaxHops   int
	// MonitorAdaptive skips a probe when ppp0 received bytes since the
	// last one (MONITOR_ADAPTIVE).
	MonitorAdaptive bool
	// MetricsDir is where the tools write Prometheus text-format files
	// for node_exporter's textfile collector; "" is off (METRICS_DIR).
	MetricsDir string

	// ResetCommand overrides the model's AT reset command ("" = the
	// model's, "none" = skip the AT step).
	ResetCommand string
	// ResetLine names the module's reset/power line: "led:NAME",
	// "gpio:CHIP:LINE", "none", or "" for the model's LEDs that exist.
	ResetLine string

	// ConnectOK is set after the first successful connection (docs/vendor-behaviour.md §R3).
	ConnectOK bool
	// ConnectOKICCID is the SIM CONNECT_OK=1 was written for.
	ConnectOKICCID string

	// Unknown holds keys the suite does not know, as written.
	Unknown map[string]string
	// Lines tells on which line each key was set (the last time).
	Lines map[string]int
	// raw holds every key's value as bash gives it from the file.
	raw map[string]string
}

// Value is key's value as the suite reads it: as bash gives it from the
// file (the last assignment), or the key's default when it is unset or
// empty. ok is false for a key the suite does not know.
func (c *Config) Value(key string) (v string, ok bool) {
	k, known := Lookup(key)
	if !known {
		return "", false
	}
	if v = c.raw[key]; v == "" {
		v = k.Default
	}
	return v, true
}

// MonitorActive reports whether ppp_monitor should watch the link, and
// when not, why (docs/vendor-behaviour.md §R5: only on a PERSIST link, never on a DEMAND link,
// which the pings would keep up).
func (c *Config) MonitorActive() (bool, string) {
	switch {
	case !c.Monitor:
		return false, "MONITOR is not yes"
	case !c.Persist:
		return false, "PERSIST is 0"
	case c.Demand:
		return false, "the link is dial-on-demand (DEMAND=1)"
	}
	return true, ""
}

// Generated reports whether gen_pppconfig writes the pppd files: only
// when no hand-written PROVIDER peer file is named.
func (c *Config) Generated() bool { return c.Provider == "" }

// Peer is the name of the pppd peer file the wrapper calls.
func (c *Config) Peer() string {
	if c.Provider != "" {
		return c.Provider
	}
	return "ppp0"
}

// Errorf makes a FieldError for key at the line it was set on, for checks
// made outside this package (a model that cannot do what a key asks).
func (c *Config) Errorf(key, value, accepted string) *FieldError {
	return &FieldError{File: c.Path, Line: c.Lines[key], Key: key, Value: value, Accepted: accepted}
}
