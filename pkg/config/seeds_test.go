package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
)

// seedConfigs are the example configurations a user starts from: the
// sample file, the vendor's sample (docs/vendor-behaviour.md §R1), the README's and the testscripts'
// examples (docs/vendor-behaviour.md §R2, §R8).
func seedConfigs(t *testing.T) map[string][]byte {
	t.Helper()
	seeds := map[string][]byte{}
	for _, p := range []string{"../../etc/default/ppp", "testdata/seed-sample.ppp"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seeds[p] = data
	}
	scripts, _ := filepath.Glob("../../testscripts/testdata/gen_pppconfig_r*.txtar")
	for _, p := range scripts {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if f.Name == "etc/default/ppp" {
				seeds[p] = f.Data
			}
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, block := range regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllSubmatch(readme, -1) {
		if regexp.MustCompile(`(?m)^(export )?(APN|AUTH|DEVICE|MONITOR)=`).Match(block[1]) {
			seeds[fmt.Sprintf("README.md block %d", i+1)] = block[1]
		}
	}
	if len(scripts) < 6 || len(seeds) < len(scripts)+2 {
		t.Fatalf("found the example configs %v, want the sample, the seed's and the R2 and R8 testscripts' at least", keysOf(seeds))
	}
	return seeds
}

func keysOf(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

var intervalLine = regexp.MustCompile(`(?m)^MONITOR_INTERVAL=.*$`)

// withInterval sets MONITOR_INTERVAL as an operator would: editing its
// line, or adding one.
func withInterval(data []byte, n int) []byte {
	line := fmt.Sprintf("MONITOR_INTERVAL=%d", n)
	if intervalLine.Match(data) {
		return intervalLine.ReplaceAll(data, []byte(line))
	}
	return append(append([]byte{}, data...), "\n"+line+"\n"...)
}

func TestSeedConfigsLoadWithShortIntervals(t *testing.T) {
	for name, data := range seedConfigs(t) {
		for n := 1; n <= 5; n++ {
			c, _, err := Parse(name, withInterval(data, n))
			if err != nil {
				t.Errorf("Parse(%s with MONITOR_INTERVAL=%d) = %v, want it to load", name, n, err)
				continue
			}
			want := min(3*time.Second, time.Duration(n)*time.Second)
			if c.MonitorTimeout != want {
				t.Errorf("Parse(%s with MONITOR_INTERVAL=%d): MONITOR_TIMEOUT = %v, want %v", name, n, c.MonitorTimeout, want)
			}
		}
	}
}

func TestExplicitTimeoutAboveIntervalStaysAnError(t *testing.T) {
	_, _, err := Parse("f", []byte("AUTH=NOAUTH\nMONITOR_INTERVAL=2\nMONITOR_TIMEOUT=3\n"))
	if err == nil || !strings.Contains(err.Error(), "f:3: MONITOR_TIMEOUT=3: at most MONITOR_INTERVAL (2)") {
		t.Errorf("Parse(MONITOR_TIMEOUT=3 above MONITOR_INTERVAL=2) = %v, want an error on line 3", err)
	}
	c, _, err := Parse("f", []byte("AUTH=NOAUTH\nMONITOR_INTERVAL=2\nMONITOR_TIMEOUT=\n"))
	if err != nil || c.MonitorTimeout != 2*time.Second {
		t.Errorf("Parse(MONITOR_TIMEOUT empty, interval 2) = %v, want a timeout of 2s", err)
	}
}
