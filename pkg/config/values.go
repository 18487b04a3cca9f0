package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Each parse function takes a non-empty value (an empty value means "the
// default") and returns what it means, or false when the value is not
// accepted; the key table says what is accepted in words.

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "1", "yes":
		return true, true
	case "0", "no":
		return false, true
	}
	return false, false
}

func parseInt(v string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi || strings.HasPrefix(v, "+") {
		return 0, false
	}
	return n, true
}

func parseSeconds(v string, lo, hi int) (time.Duration, bool) {
	n, ok := parseInt(v, lo, hi)
	return time.Duration(n) * time.Second, ok
}

// TimeOfDay is a local wall-clock time, hh:mm.
type TimeOfDay struct {
	Hour, Minute int
}

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

func parseTimeOfDay(v string) (TimeOfDay, bool) {
	if !isTimeOfDay(v) {
		return TimeOfDay{}, false
	}
	hh, mm, _ := strings.Cut(v, ":")
	h, _ := strconv.Atoi(hh)
	min, _ := strconv.Atoi(mm)
	return TimeOfDay{h, min}, true
}

// validAPN: 3GPP TS 23.003 APN network identifier labels are letters,
// digits and hyphens; labels are separated by dots.
func validAPN(v string) bool {
	if len(v) > 100 {
		return false
	}
	for _, l := range strings.Split(v, ".") {
		if !isAPNLabel(l) {
			return false
		}
	}
	return true
}

func validHostName(v string) bool {
	v = strings.TrimSuffix(v, ".")
	if v == "" || len(v) > 253 {
		return false
	}
	for _, l := range strings.Split(v, ".") {
		if len(l) > 63 || !isHostLabel(l) {
			return false
		}
	}
	return true
}

func parseIPv4(v string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return netip.Addr{}, false
	}
	return a, true
}

func parseNetmask(v string) (netip.Addr, bool) {
	a, ok := parseIPv4(v)
	if !ok {
		return a, false
	}
	b := a.As4()
	m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	// A netmask is ones followed by zeros: its complement is 0…01…1.
	inv := ^m
	return a, inv&(inv+1) == 0
}

// printable refuses control characters, newlines and invalid UTF-8: they
// would break the line-oriented files the values end up in.
func printable(v string) bool {
	for _, r := range v {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}
