package config

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The expressions the hand-written checks stand for.
var checkExprs = []struct {
	name  string
	re    *regexp.Regexp
	check func(string) bool
}{
	{"time of day", regexp.MustCompile(`^([01]?[0-9]|2[0-3]):([0-5][0-9])$`), isTimeOfDay},
	{"APN label", regexp.MustCompile(`^[A-Za-z0-9-]+$`), isAPNLabel},
	{"host label", regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$`), isHostLabel},
	{"provider", regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$`), isProviderName},
	{"tty", regexp.MustCompile(`^(/dev/)?tty[A-Za-z0-9_.-]{1,32}$`), isTTYName},
	{"PLMN", regexp.MustCompile(`^[0-9]{5,6}$`), isPLMN},
	{"AT command", regexp.MustCompile(`^(?i:AT)[A-Za-z0-9+=,#&?*.\-]{0,60}$`), isATCommand},
	{"reset line", regexp.MustCompile(`^(led:[A-Za-z0-9_:.-]{1,64}|gpio:[A-Za-z0-9_.-]{1,32}:[0-9]{1,4})$`), isResetLine},
	{"key name", regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`), validKeyName},
}

// checkSamples are values near the edges of the accepted sets: the
// accepted examples, their neighbours, and random strings over the bytes
// that matter.
func checkSamples() []string {
	s := []string{"", "0:00", "9:59", "09:59", "19:59", "23:59", "24:00", "20:60", "3:0", "123:00", ":00", "1:5a",
		"a", "-", "a-", "-a", "a-b", "ab.cd", "DTI", ".x", "_x", "x/y", strings.Repeat("p", 64), strings.Repeat("p", 65),
		"tty", "ttyS0", "/dev/ttyUSB2", "/dev/tty", "dev/ttyS0", "tty" + strings.Repeat("x", 32), "tty" + strings.Repeat("x", 33),
		"4402", "44020", "310260", "3102600", "AT", "at+cfun=1,1", "AT#REBOOT", "AT CFUN", "A", "ATZ;",
		"AT" + strings.Repeat("Z", 60), "AT" + strings.Repeat("Z", 61), "led:Mobile_RESETN", "led:", "led:a:b", "gpio:gpiochip0:17",
		"gpio:gpiochip0:", "gpio:a:b:1", "gpio:" + strings.Repeat("c", 32) + ":1", "gpio:" + strings.Repeat("c", 33) + ":1",
		"gpio:c:12345", "gpio::1", "led:" + strings.Repeat("l", 65), "_A1", "1A", "A-B", "é", "ß:00"}
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = "aAtTzZ09125:/._-+=,#&?*dev ledgpio\xc3\xa9"
	for range 20000 {
		n := r.IntN(12)
		var b strings.Builder
		for range n {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		for _, prefix := range []string{"", "led:", "gpio:", "AT", "tty", "/dev/tty"} {
			s = append(s, prefix+b.String())
		}
	}
	return s
}

func TestHandWrittenChecksEqualTheirExpressions(t *testing.T) {
	samples := checkSamples()
	for _, e := range checkExprs {
		for _, v := range samples {
			if got, want := e.check(v), e.re.MatchString(v); got != want {
				t.Errorf("%s check(%q) = %v, want %v as %s", e.name, v, got, want, e.re)
			}
		}
	}
}
