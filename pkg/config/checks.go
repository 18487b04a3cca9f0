package config

import (
	"strings"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// Hand-written checks of the forms the keys accept. They stand for
// regular expressions (checks_test.go holds them and keeps the two equal)
// because every tool would otherwise compile those at each start.

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isDigit(c) || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// allOf reports whether s is min to max bytes, each a letter or digit or
// one of extra.
func allOf(s string, min, max int, extra string) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isTimeOfDay: h:mm or hh:mm, 0:00 to 23:59.
func isTimeOfDay(v string) bool {
	h, m, ok := strings.Cut(v, ":")
	if !ok || !allDigits(h, 1, 2) || !allDigits(m, 2, 2) || m[0] > '5' {
		return false
	}
	return len(h) == 1 || h[0] <= '1' || h[0] == '2' && h[1] <= '3'
}

// isAPNLabel: letters, digits and '-' (3GPP TS 23.003).
func isAPNLabel(l string) bool { return allOf(l, 1, len(l), "-") }

// isHostLabel: letters, digits and '-', not at either end.
func isHostLabel(l string) bool {
	return allOf(l, 1, len(l), "-") && l[0] != '-' && l[len(l)-1] != '-'
}

// isProviderName: a file name of up to 64 bytes that does not start with
// '.' or '-'.
func isProviderName(v string) bool {
	return v != "" && (isAlnum(v[0]) || v[0] == '_') && allOf(v[1:], 0, 63, "._-")
}

// isTTYName: ttyNAME or /dev/ttyNAME.
func isTTYName(v string) bool { return modem.IsTTYName(strings.TrimPrefix(v, "/dev/")) }

func isPLMN(v string) bool { return allDigits(v, 5, 6) }

// isATCommand: AT and a command without quotes, spaces or control
// characters, so that it can only ever be one command.
func isATCommand(v string) bool {
	return len(v) >= 2 && strings.EqualFold(v[:2], "AT") && allOf(v[2:], 0, 60, "+=,#&?*.-")
}

// isResetLine: led:NAME or gpio:CHIP:LINE.
func isResetLine(v string) bool {
	if name, ok := strings.CutPrefix(v, "led:"); ok {
		return allOf(name, 1, 64, "_:.-")
	}
	if rest, ok := strings.CutPrefix(v, "gpio:"); ok {
		i := strings.LastIndexByte(rest, ':')
		return i >= 0 && allOf(rest[:i], 1, 32, "_.-") && allDigits(rest[i+1:], 1, 4)
	}
	return false
}
