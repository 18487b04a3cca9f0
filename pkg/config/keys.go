package config

import (
	"strings"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// Key describes one key of /etc/default/ppp. The table below is the one
// place that says what a key means, what it accepts and what it defaults
// to; the README's key table is checked against it.
type Key struct {
	Name     string
	Section  string // "service", "ppp" or "monitor", as in the file
	Meaning  string
	Accepted string // in words, as error messages and the README show it
	Default  string // as it would be written in the file
	Readers  []string
	// Secret values are never shown in errors or logs.
	Secret bool
	// set stores a non-empty value (or the default) in c, or reports that
	// the value is not accepted.
	set func(c *Config, v string) bool
}

const (
	genPPPConfig = "gen_pppconfig"
	pppWrapper   = "ppp_wrapper"
	pppMonitor   = "ppp_monitor"
	modemReset   = "modem_reset"
)

func boolKey(dst func(*Config) *bool) func(*Config, string) bool {
	return func(c *Config, v string) bool {
		b, ok := parseBool(v)
		*dst(c) = b
		return ok
	}
}

// Keys is the table of every key the suite reads, in the order of the
// sample file.
var Keys = []Key{
	{Name: "START", Section: "service", Meaning: "run the service at all (ppp_wrapper exits at once otherwise)",
		Accepted: "yes or no (also 1 or 0)", Default: "no", Readers: []string{pppWrapper},
		set: boolKey(func(c *Config) *bool { return &c.Start })},
	{Name: "PROVIDER", Section: "service", Meaning: "a hand-written peer file under /etc/ppp/peers/ to call instead of the generated ppp0; when set, nothing is generated",
		Accepted: "empty, or a file name of letters, digits, '.', '_' and '-' (no '/')", Readers: []string{genPPPConfig, pppWrapper},
		set: func(c *Config, v string) bool {
			c.Provider = v
			return v == "" || isProviderName(v) && v != "." && v != ".."
		}},
	{Name: "PERSIST", Section: "service", Meaning: "reconnect after every disconnect",
		Accepted: "1 or 0 (also yes or no)", Default: "1", Readers: []string{pppWrapper, pppMonitor},
		set: boolKey(func(c *Config) *bool { return &c.Persist })},
	{Name: "RESET_ON_FAIL", Section: "service", Meaning: "reset the module after RETRY failed sessions in a row",
		Accepted: "1 or 0 (also yes or no)", Default: "1", Readers: []string{pppWrapper},
		set: boolKey(func(c *Config) *bool { return &c.ResetOnFail })},
	{Name: "RESET_ALWAYS", Section: "service", Meaning: "reset the module after every disconnect",
		Accepted: "1 or 0 (also yes or no)", Default: "0", Readers: []string{pppWrapper},
		set: boolKey(func(c *Config) *bool { return &c.ResetAlways })},
	{Name: "RESET_AT", Section: "service", Meaning: "local time of a daily forced disconnect (with RESET_ALWAYS=1, a daily module reset)",
		Accepted: "empty, or a 24-hour time hh:mm (00:00 to 23:59)", Readers: []string{pppWrapper},
		set: func(c *Config, v string) bool {
			c.ResetAt = nil
			if v == "" {
				return true
			}
			t, ok := parseTimeOfDay(v)
			c.ResetAt = &t
			return ok
		}},
	{Name: "RESET_WAIT", Section: "service", Meaning: "longest wait, in seconds, for the module to come back after each reset step (the wait ends as soon as it is back); 0: only the first step that can be carried out runs, with no wait and no harder reset",
		Accepted: "whole seconds from 0 to 3600", Default: "30", Readers: []string{pppWrapper, modemReset},
		set: func(c *Config, v string) (ok bool) { c.ResetWait, ok = parseSeconds(v, 0, 3600); return }},
	{Name: "HOLDOFF", Section: "service", Meaning: "seconds to wait before reconnecting",
		Accepted: "whole seconds from 0 to 3600", Default: "5", Readers: []string{pppWrapper},
		set: func(c *Config, v string) (ok bool) { c.Holdoff, ok = parseSeconds(v, 0, 3600); return }},
	{Name: "RETRY", Section: "service", Meaning: "failed sessions in a row that count as abnormal (then the module is reset)",
		Accepted: "a count from 1 to 1000", Default: "3", Readers: []string{pppWrapper},
		set: func(c *Config, v string) (ok bool) { c.Retry, ok = parseInt(v, 1, 1000); return }},
	{Name: "RESET_PAUSE", Section: "service", Meaning: "seconds a failure-driven reset waits after one that no lasting link followed (up 10 minutes: the reset budget); doubles with each such reset in a row up to RESET_PAUSE_MAX; a link that lasts 10 minutes makes resets free again",
		Accepted: "whole seconds from 0 to 86400 (0: the default)", Default: "300", Readers: []string{pppWrapper},
		set: func(c *Config, v string) (ok bool) { c.ResetPause, ok = parseSeconds(v, 0, 86400); return }},
	{Name: "RESET_PAUSE_MAX", Section: "service", Meaning: "the longest wait between failure-driven resets that do not bring the link up",
		Accepted: "whole seconds from 0 to 604800 (0: the default)", Default: "14400", Readers: []string{pppWrapper},
		set: func(c *Config, v string) (ok bool) { c.ResetPauseMax, ok = parseSeconds(v, 0, 604800); return }},

	{Name: "RESET_COMMAND", Section: "service", Meaning: "AT command that restarts the module, for models whose command is not known (LISA-U200: AT+CFUN=16, LN940A: AT+CFUN=15); none skips the AT step",
		Accepted: "empty (the model's), none, or an AT command of letters, digits and + = , # & ? * . -", Readers: []string{modemReset},
		set: func(c *Config, v string) bool {
			c.ResetCommand = v
			return v == "" || strings.EqualFold(v, "none") || isATCommand(v)
		}},
	{Name: "RESET_LINE", Section: "service", Meaning: "the module's reset or power line, pulsed when AT and USB resets did not help; empty: the first of the vendor board's LEDs (Mobile_RESETN, Mobile_Power, …) that exists",
		Accepted: "empty, none, led:NAME (a /sys/class/leds LED with the oneshot trigger) or gpio:CHIP:LINE (such as gpio:gpiochip0:17)", Readers: []string{modemReset},
		set: func(c *Config, v string) bool {
			c.ResetLine = v
			return v == "" || strings.EqualFold(v, "none") ||
				isResetLine(v) && !strings.HasSuffix(v, ":.") && !strings.HasSuffix(v, ":..")
		}},

	{Name: "APN", Section: "ppp", Meaning: "access point name",
		Accepted: "empty, or an APN of letters, digits and '-' in dot-separated labels, at most 100 characters", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool { c.APN = v; return v == "" || validAPN(v) }},
	{Name: "PDPTYPE", Section: "ppp", Meaning: "PDP context type",
		Accepted: "IP or PPP", Default: "IP", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool {
			c.PDPType = strings.ToUpper(v)
			return c.PDPType == "IP" || c.PDPType == "PPP"
		}},
	{Name: "DEMAND", Section: "ppp", Meaning: "dial on demand (the monitor is then off)",
		Accepted: "1 or 0 (also yes or no)", Default: "0", Readers: []string{genPPPConfig, pppMonitor},
		set: boolKey(func(c *Config) *bool { return &c.Demand })},
	{Name: "IDLE", Section: "ppp", Meaning: "seconds without traffic before pppd hangs up (0: never)",
		Accepted: "whole seconds from 0 to 86400", Default: "0", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) (ok bool) { c.Idle, ok = parseSeconds(v, 0, 86400); return }},
	{Name: "DEVICE", Section: "ppp", Meaning: "the 3G/4G module: a model, a tty, or AUTO to detect a known module from sysfs",
		Accepted: "AUTO, a model (" + modelNames() + ") or a tty name such as ttyLISA0, ttyUSB2 or /dev/ttyACM0",
		Default:  DeviceAuto, Readers: []string{genPPPConfig, pppWrapper, modemReset},
		set: func(c *Config, v string) bool {
			if m, ok := modem.ByName(v); ok {
				c.Device = m.Name
				return true
			}
			if strings.EqualFold(v, DeviceAuto) {
				c.Device = DeviceAuto
				return true
			}
			c.Device = v
			return isTTYName(v)
		}},
	{Name: "DEFAULTROUTE", Section: "ppp", Meaning: "make the PPP link the default route (replacing an existing one)",
		Accepted: "1 or 0 (also yes or no)", Default: "1", Readers: []string{genPPPConfig},
		set: boolKey(func(c *Config) *bool { return &c.DefaultRoute })},
	{Name: "AUTH", Section: "ppp", Meaning: "authentication towards the network",
		Accepted: "CHAP, PAP or NOAUTH", Default: AuthCHAP, Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool {
			c.Auth = strings.ToUpper(v)
			return c.Auth == AuthCHAP || c.Auth == AuthPAP || c.Auth == AuthNone
		}},
	{Name: "ACCOUNT", Section: "ppp", Meaning: "PPP user name (required with CHAP and PAP)",
		Accepted: "printable characters, at most 255 bytes (no control characters or newlines)", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool { c.Account = v; return printable(v) && len(v) <= 255 }},
	{Name: "PASSWORD", Section: "ppp", Meaning: "PPP password, written only to the secrets file",
		Accepted: "printable characters, at most 255 bytes (no control characters or newlines)", Readers: []string{genPPPConfig}, Secret: true,
		set: func(c *Config, v string) bool { c.Password = v; return printable(v) && len(v) <= 255 }},
	{Name: "NETMODE", Section: "ppp", Meaning: "radio mode, set in the chat script before the dial (only models that can)",
		Accepted: "empty, AUTO, WCDMA, LTE or NONE (do not set)", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool {
			c.NetMode = strings.ToUpper(v)
			switch c.NetMode {
			case "", "AUTO", "WCDMA", "LTE", "NONE":
				return true
			}
			return false
		}},
	{Name: "CARRIERID", Section: "ppp", Meaning: "carrier selection (AMM570, LN940A): 1 NTT docomo, 2 KDDI, 3 SoftBank, 4 SIM-free (automatic), 5 KDDI MVNO, or a PLMN",
		Accepted: "empty, 1 to 5, or a 5 or 6 digit PLMN such as 44020", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) bool {
			c.CarrierID = v
			return v == "" || len(v) == 1 && v >= "1" && v <= "5" || isPLMN(v)
		}},
	{Name: "NO_DNS", Section: "ppp", Meaning: "do not take DNS servers from the network (no usepeerdns)",
		Accepted: "1 or 0 (also yes or no)", Default: "0", Readers: []string{genPPPConfig},
		set: boolKey(func(c *Config) *bool { return &c.NoDNS })},
	{Name: "LOCALADDR", Section: "ppp", Meaning: "fixed local IPv4 address to ask for",
		Accepted: "empty, or an IPv4 address", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) (ok bool) { c.LocalAddr, ok = parseIPv4(v); return v == "" || ok }},
	{Name: "REMOTEADDR", Section: "ppp", Meaning: "fixed remote IPv4 address to ask for",
		Accepted: "empty, or an IPv4 address", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) (ok bool) { c.RemoteAddr, ok = parseIPv4(v); return v == "" || ok }},
	{Name: "NETMASK", Section: "ppp", Meaning: "netmask of the PPP interface",
		Accepted: "empty, or an IPv4 netmask such as 255.255.255.0", Readers: []string{genPPPConfig},
		set: func(c *Config, v string) (ok bool) { c.Netmask, ok = parseNetmask(v); return v == "" || ok }},

	{Name: "MONITOR", Section: "monitor", Meaning: "ICMP watch of the live link (only with PERSIST=1 and DEMAND=0)",
		Accepted: "yes or no (also 1 or 0)", Default: "no", Readers: []string{pppMonitor},
		set: boolKey(func(c *Config) *bool { return &c.Monitor })},
	{Name: "MONITOR_TARGET", Section: "monitor", Meaning: "address to ping; empty or auto: the nearest responding router on the route",
		Accepted: "empty, auto, an IPv4 address or a host name", Readers: []string{pppMonitor},
		set: func(c *Config, v string) bool {
			if strings.EqualFold(v, "auto") {
				v = ""
			}
			c.MonitorTarget = v
			_, isIP := parseIPv4(v)
			return v == "" || isIP || validHostName(v)
		}},
	{Name: "MONITOR_INTERVAL", Section: "monitor", Meaning: "seconds between probes",
		Accepted: "whole seconds from 1 to 3600", Default: "30", Readers: []string{pppMonitor},
		set: func(c *Config, v string) (ok bool) { c.MonitorInterval, ok = parseSeconds(v, 1, 3600); return }},
	{Name: "MONITOR_FAIL", Section: "monitor", Meaning: "unanswered probes in a row before the link is dropped",
		Accepted: "a count from 1 to 100", Default: "2", Readers: []string{pppMonitor},
		set: func(c *Config, v string) (ok bool) { c.MonitorFail, ok = parseInt(v, 1, 100); return }},
	{Name: "MONITOR_LOG", Section: "monitor", Meaning: "log every probe result",
		Accepted: "yes or no (also 1 or 0)", Default: "no", Readers: []string{pppMonitor},
		set: boolKey(func(c *Config) *bool { return &c.MonitorLog })},
	{Name: "MONITOR_TIMEOUT", Section: "monitor", Meaning: "seconds to wait for each probe's reply; when unset or empty, 3 or MONITOR_INTERVAL if that is shorter",
		Accepted: "whole seconds from 1 to 60, at most MONITOR_INTERVAL", Default: "3", Readers: []string{pppMonitor},
		set: func(c *Config, v string) (ok bool) { c.MonitorTimeout, ok = parseSeconds(v, 1, 60); return }},
	{Name: "MONITOR_ROUTE_DEST", Section: "monitor", Meaning: "destination of the TTL-limited probes that find the routers on the route when MONITOR_TARGET is automatic",
		Accepted: "an IPv4 address or a host name", Default: "8.8.8.8", Readers: []string{pppMonitor},
		set: func(c *Config, v string) bool {
			c.MonitorRouteDest = v
			_, isIP := parseIPv4(v)
			return isIP || validHostName(v)
		}},
	{Name: "MONITOR_MAX_HOPS", Section: "monitor", Meaning: "how many hops the automatic target search looks along the route",
		Accepted: "a count from 1 to 30", Default: "8", Readers: []string{pppMonitor},
		set: func(c *Config, v string) (ok bool) { c.MonitorMaxHops, ok = parseInt(v, 1, 30); return }},
	{Name: "MONITOR_ADAPTIVE", Section: "monitor", Meaning: "skip a probe when the interface has received data since the last one (traffic proves the link works, as pppd's lcp-echo-adaptive); an idle link is probed as before",
		Accepted: "yes or no (also 1 or 0)", Default: "no", Readers: []string{pppMonitor},
		set: boolKey(func(c *Config) *bool { return &c.MonitorAdaptive })},
	{Name: "METRICS_DIR", Section: "monitor", Meaning: "directory where ppp_wrapper and ppp_monitor keep Prometheus text-format files for node_exporter's textfile collector (Debian's prometheus-node-exporter reads /var/lib/prometheus/node-exporter); empty: no metrics",
		Accepted: "empty, or an absolute directory path without spaces or control characters", Readers: []string{pppWrapper, pppMonitor},
		set: func(c *Config, v string) bool {
			c.MetricsDir = v
			return v == "" || isMetricsDir(v)
		}},

	{Name: "CONNECT_OK", Section: "state", Meaning: "written by ppp_wrapper after the first connection; AMTelecom modules then no longer get APN/account set (flash wear). ppp_wrapper clears it itself when another SIM is inserted (CONNECT_OK_ICCID)",
		Accepted: "1 or 0 (also yes or no)", Default: "0", Readers: []string{genPPPConfig, pppWrapper},
		set: boolKey(func(c *Config) *bool { return &c.ConnectOK })},
	{Name: "CONNECT_OK_ICCID", Section: "state", Meaning: "written by ppp_wrapper with CONNECT_OK=1: the ICCID of the SIM it was written for; when the pre-dial check finds another SIM, CONNECT_OK is cleared once so that the new SIM's APN is written to the module",
		Accepted: "empty, or an ICCID of 19 or 20 digits", Readers: []string{pppWrapper},
		set: func(c *Config, v string) bool {
			c.ConnectOKICCID = v
			return v == "" || (len(v) == 19 || len(v) == 20) && strings.Trim(v, "0123456789") == ""
		}},
}

func modelNames() string {
	var names []string
	for _, m := range modem.Models() {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}

// Lookup finds a key by name.
func Lookup(name string) (*Key, bool) {
	for i := range Keys {
		if Keys[i].Name == name {
			return &Keys[i], true
		}
	}
	return nil, false
}

// Accepts reports whether v is a value the key accepts on its own.
func (k *Key) Accepts(v string) bool {
	if v == "" {
		v = k.Default
	}
	return k.set(&Config{}, v)
}

// isMetricsDir accepts an absolute path of printable characters without
// spaces: a directory name that no reader of the file can take two ways.
func isMetricsDir(v string) bool {
	if !strings.HasPrefix(v, "/") {
		return false
	}
	for _, r := range v {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}
