package main

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ctxt is a count of context switches: voluntary (the thread blocked and
// was woken) and nonvoluntary (preempted; grows with the machine's load).
type ctxt struct{ vol, invol int64 }

func (c ctxt) total() int64 { return c.vol + c.invol }

func (c ctxt) minus(d ctxt) ctxt { return ctxt{c.vol - d.vol, c.invol - d.invol} }

func (c ctxt) String() string {
	return fmt.Sprintf("%d wake-ups (%d voluntary, %d preempted)", c.total(), c.vol, c.invol)
}

// switches is each thread's context switches so far, by thread id.
type switches map[int]ctxt

// threadSwitches reads voluntary_ctxt_switches + nonvoluntary_ctxt_switches
// of every thread of pid.
func threadSwitches(pid int) (switches, error) {
	dirs, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*", pid))
	if err != nil || len(dirs) == 0 {
		return nil, fmt.Errorf("pid %d: no threads in /proc (has it ended?)", pid)
	}
	s := switches{}
	for _, d := range dirs {
		tid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		f, err := statusFields(filepath.Join(d, "status"))
		if err != nil {
			continue // the thread ended between the listing and the read
		}
		s[tid] = ctxt{f["voluntary_ctxt_switches"], f["nonvoluntary_ctxt_switches"]}
	}
	return s, nil
}

// wakeups is what the threads in end did since start: a thread that is
// new in end counts whole. Threads that both appeared and ended in
// between are not seen.
func wakeups(start, end switches) (n ctxt, newThreads int) {
	for tid, e := range end {
		s, ok := start[tid]
		if !ok {
			newThreads++
		}
		d := e.minus(s)
		n.vol += d.vol
		n.invol += d.invol
	}
	return n, newThreads
}

// statusFields reads a /proc status file: the first number of each line,
// by key (kB for the Vm* lines).
func statusFields(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		if w := strings.Fields(rest); len(w) > 0 {
			if v, err := strconv.ParseInt(w[0], 10, 64); err == nil {
				m[key] = v
			}
		}
	}
	return m, sc.Err()
}

// memory is one process's memory, in KiB.
type memory struct {
	rss, size int64
	// largest is the largest mapping of any kind (most are address space
	// the Go runtime or malloc reserve with PROT_NONE); largestName says
	// what it maps.
	largest     int64
	largestName string
	// static is the program's own writable data: its file's rw mapping
	// (.data) and the anonymous one right after it (.bss).
	static int64
}

func memoryOf(pid int) (memory, error) {
	f, err := statusFields(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	maps, err := readSmaps(fmt.Sprintf("/proc/%d/smaps", pid))
	if err != nil {
		return memory{}, err
	}
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	m := memoryFromMaps(maps, exe)
	m.rss, m.size = f["VmRSS"], f["VmSize"]
	return m, nil
}

// memoryFromMaps finds the largest mapping and the program's own data
// (exe is the program's file).
func memoryFromMaps(maps []mapping, exe string) memory {
	var m memory
	for i, mp := range maps {
		if mp.size > m.largest {
			m.largest, m.largestName = mp.size, mp.perms+" "+cmp.Or(mp.name, "[anon]")
		}
		if mp.name == exe && strings.HasPrefix(mp.perms, "rw") {
			m.static += mp.size
			if i+1 < len(maps) && maps[i+1].name == "" && maps[i+1].start == mp.end {
				m.static += maps[i+1].size
			}
		}
	}
	return m
}

// mapping is one entry of /proc/PID/smaps (sizes in KiB).
type mapping struct {
	start, end  uint64
	perms, name string
	size        int64
}

func readSmaps(path string) ([]mapping, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var maps []mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(w[0], "-"); ok && len(w) >= 5 && !strings.HasSuffix(w[0], ":") {
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				mp := mapping{start: start, end: end, perms: w[1]}
				if len(w) >= 6 {
					mp.name = w[5]
				}
				maps = append(maps, mp)
			}
			continue
		}
		if w[0] == "Size:" && len(w) >= 2 && len(maps) > 0 {
			maps[len(maps)-1].size, _ = strconv.ParseInt(w[1], 10, 64)
		}
	}
	return maps, sc.Err()
}

// children lists the child processes of pid: those of each of its
// threads (a Go program forks from whichever thread runs the goroutine).
func children(pid int) []int {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, w := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(w); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}

// comm is the program name of pid ("" when it has ended).
func comm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}
