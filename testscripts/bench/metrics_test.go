package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMetricRows(t *testing.T) {
	line := "BenchmarkProbeCost-2 \t 1\t21122396564 ns/op\t 110078 monitor-cpu-ns/probe\t 8388 monitor-maxrss-KiB\t 6980 rss-KiB\t 3186206 shell-cpu-ns/probe\t 3104 shell-maxrss-KiB\t 5536 shell-rss-KiB\t 1633772 vm-KiB\t 13.08 wakeups/probe"
	want := []row{
		{"ProbeCost cpu-ns/probe", "110078", "3186206", "0.03×"},
		{"ProbeCost maxrss-KiB", "8388", "3104", "2.70×"},
		{"ProbeCost rss-KiB", "6980", "5536", "1.26×"},
		{"ProbeCost vm-KiB", "1633772", "—", "—"},
		{"ProbeCost wakeups/probe", "13.08", "—", "—"},
	}
	got := metricRows(line)
	if len(got) != len(want) {
		t.Fatalf("metricRows(%q) = %v, want %v", line, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("metricRows(…)[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// The program's .data and .bss: its file's rw mapping and the anonymous
// mapping right after it; not a reservation elsewhere, however large.
func TestMemoryStaticFromSmaps(t *testing.T) {
	smaps := `00400000-00594000 r-xp 00000000 08:01 42 /usr/local/sbin/ppp_monitor
Size:               1616 kB
00775000-00799000 rw-p 00375000 08:01 42 /usr/local/sbin/ppp_monitor
Size:                144 kB
00799000-027cf000 rw-p 00000000 00:00 0 
Size:              32984 kB
7fbe5fc28000-7fbe7fc27000 ---p 00000000 00:00 0 
Size:             524284 kB
7fbe7fc28000-7fbe7fc29000 rw-p 00000000 00:00 0 
Size:                  4 kB
VmFlags: rd wr mr mw me ac sd
`
	p := filepath.Join(t.TempDir(), "smaps")
	if err := os.WriteFile(p, []byte(smaps), 0o644); err != nil {
		t.Fatal(err)
	}
	maps, err := readSmaps(p)
	if err != nil {
		t.Fatal(err)
	}
	m := memoryFromMaps(maps, "/usr/local/sbin/ppp_monitor")
	if m.static != 144+32984 || m.largest != 524284 || m.largestName != "---p [anon]" {
		t.Errorf("memoryFromMaps(…) = static %d, largest %d %q; want static %d, largest 524284 \"---p [anon]\"", m.static, m.largest, m.largestName, 144+32984)
	}
}
