package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The keep-alive's own data: what ppp_monitor's probes put on the link,
// counted by a packet socket on ppp0 (the IP packets as sent and
// received), beside iputils ping's defaults, and what adaptive probing
// leaves of it.

const (
	// probesPerMonth: 30 days at the default MONITOR_INTERVAL=30.
	probesPerMonth = 30 * 24 * 3600 / 30
	// pppFrameBytes is the HDLC-like framing of one PPP frame on a serial
	// line (RFC 1662; docs/ gives no such figure): flag, address and
	// control (1 byte each), protocol (2), FCS (2, the default 16-bit
	// one) and the closing flag (1), without address/control or protocol
	// field compression, and not counting escaped bytes (0x7d, 0x7e and
	// those the ACCM names, 2 bytes each).
	pppFrameBytes = 8
	// linkUpsPerMonth: a route search at every link-up, one a day.
	linkUpsPerMonth = 30
)

// tally sums a capture's ICMP packets.
type tally struct {
	frames, bytes int // every ICMP packet, both ways
	echoOut       int // plain echo requests sent (TTL 64)
	ttlOut        int // TTL-limited echo requests sent
	replies       int // echo replies received
	exceeded      int // Time Exceeded received
	echoOutBytes  int
}

func tallyOf(pkts []packet) tally {
	var t tally
	for _, p := range pkts {
		if !p.icmp {
			continue
		}
		t.frames++
		t.bytes += p.size
		switch {
		case p.out && p.icmpType == icmpEcho && p.ttl >= 64:
			t.echoOut++
			t.echoOutBytes += p.size
		case p.out && p.icmpType == icmpEcho:
			t.ttlOut++
		case !p.out && p.icmpType == icmpEchoReply:
			t.replies++
		case !p.out && p.icmpType == icmpTimeExceeded:
			t.exceeded++
		}
	}
	return t
}

// framed is the bytes with PPP's framing added.
func (t tally) framed() int { return t.bytes + pppFrameBytes*t.frames }

// perProbe is the framed bytes of one probe (a request and its reply).
func (t tally) perProbe() float64 { return float64(t.framed()) / float64(max(t.echoOut, 1)) }

func (t tally) perProbeIP() float64 { return float64(t.bytes) / float64(max(t.echoOut, 1)) }

// adaptiveRun is a monitor run that counts ticks: probes answered or
// missed, and probes skipped.
type adaptiveRun struct {
	t      tally
	ticks  int
	skips  int
	misses int
}

// requestsPerTick are the echo requests after the first probe (which
// every start makes) for each tick after it.
func (r adaptiveRun) requestsPerTick() float64 {
	return float64(r.t.echoOut-1) / float64(max(r.ticks-1, 1))
}

func dataCostSection(tmp, hostDir string, o options) section {
	s := section{title: "the keep-alive's own data, counted by a packet socket on ppp0 (IP packets; framed: + PPP's per frame)"}
	if why := needNetns(); why != "" {
		s.skipped = "the data-cost rows (bytes per probe, per month, adaptive probing): " + why
		return s
	}
	n := 5
	if o.window < 10*time.Second {
		n = 3 // -smoke
	}
	bin := filepath.Join(hostDir, "ppp_monitor")
	dir := filepath.Join(tmp, "data")
	var fixed, ping, survey tally
	var busy, busyOff, idle adaptiveRun
	var surveyLog string
	var errs [5]error
	var wg sync.WaitGroup
	wg.Go(func() {
		p, err := newPair(3)
		if err != nil {
			errs[0] = err
			return
		}
		if fixed, errs[0] = monitorProbes(bin, filepath.Join(dir, "fixed"), p, n); errs[0] == nil {
			ping, errs[0] = pingProbes(p, n)
		}
	})
	wg.Go(func() { survey, surveyLog, errs[1] = routeSearch(bin, filepath.Join(dir, "survey")) })
	for i, run := range []struct {
		res            *adaptiveRun
		adaptive, flow bool
	}{{&busy, true, true}, {&busyOff, false, true}, {&idle, true, false}} {
		wg.Go(func() {
			p, err := newPair(4 + i)
			if err == nil {
				err = quiet(p)
			}
			if err != nil {
				errs[2+i] = err
				return
			}
			*run.res, errs[2+i] = adaptiveProbes(bin, filepath.Join(dir, fmt.Sprintf("adaptive%d", i)), p, run.adaptive, run.flow, n+1)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			s.err = err
			return s
		}
	}
	month := func(perProbe float64) float64 { return perProbe * probesPerMonth / 1e6 }
	fixedMonth, pingMonth := month(fixed.perProbe()), month(ping.perProbe())
	autoMonth := fixedMonth + float64(linkUpsPerMonth*survey.framed())/1e6
	s.rows = append(s.rows,
		figure("IP bytes per probe, echo request + reply (baseline: ping -c1, iputils' defaults)", fixed.perProbeIP(), ping.perProbeIP(), "%.0f"),
		figure(fmt.Sprintf("  framed: + %d bytes a PPP frame (RFC 1662 HDLC-like framing, 16-bit FCS)", pppFrameBytes), fixed.perProbe(), ping.perProbe(), "%.0f"),
		figure(fmt.Sprintf("MB a month, fixed MONITOR_TARGET, one probe every 30 s (%d probes), framed", probesPerMonth), fixedMonth, pingMonth, "%.2f"),
		row{what: fmt.Sprintf("automatic target: bytes of one route search (%d requests, %d answers), framed", survey.echoOut+survey.ttlOut, survey.replies+survey.exceeded),
			ours: fmt.Sprint(survey.framed()), base: "—", ratio: "—"},
		figure(fmt.Sprintf("MB a month, automatic target: the probes + a route search at each of %d link-ups, framed", linkUpsPerMonth), autoMonth, pingMonth, "%.2f"),
		figure("MONITOR_ADAPTIVE=yes, busy link: echo requests a tick (baseline: MONITOR_ADAPTIVE=no, same traffic)", busy.requestsPerTick(), busyOff.requestsPerTick(), "%.2f"),
		figure("MONITOR_ADAPTIVE=yes, idle link: echo requests a tick (baseline: MONITOR_ADAPTIVE=no, which probes every tick)", idle.requestsPerTick(), busyOff.requestsPerTick(), "%.2f"),
		figure("MB a month, busy link, MONITOR_ADAPTIVE=yes, framed (baseline: =no)", month(busy.requestsPerTick()*fixed.perProbe()), month(busyOff.requestsPerTick()*fixed.perProbe()), "%.2f"),
		figure("MB a month, idle link, MONITOR_ADAPTIVE=yes, framed (baseline: =no)", month(idle.requestsPerTick()*fixed.perProbe()), month(busyOff.requestsPerTick()*fixed.perProbe()), "%.2f"),
	)
	s.notes = append(s.notes,
		fmt.Sprintf("data: ppp_monitor, fixed target, %d probes: %d echo requests (%d bytes), %d replies, %d ICMP bytes both ways; ping -c1 ×%d: %d requests, %d replies, %d bytes (IP bytes: IP header + ICMP header + payload, from a packet socket on ppp0; the veth's Ethernet header is not counted)",
			n, fixed.echoOut, fixed.echoOutBytes, fixed.replies, fixed.bytes, n, ping.echoOut, ping.replies, ping.bytes),
		fmt.Sprintf("data: route search (MONITOR_MAX_HOPS=8 along 8 routers that all answer, to a destination beyond them): %d TTL-limited requests, %d Time Exceeded, %d echo requests to the routers, %d replies, %d IP bytes; %s",
			survey.ttlOut, survey.exceeded, survey.echoOut, survey.replies, survey.bytes, surveyLog),
		"data: the monitor searches the route at its start (each link-up), at each tick while no host on the route answers echo, and in the last-chance round before a drop (the probe that would be the MONITOR_FAIL-th miss in a row: with MONITOR_FAIL=2, the probe after any single miss)",
		fmt.Sprintf("data: adaptive, %d ticks each (MONITOR_INTERVAL=1, MONITOR_TIMEOUT=1; the peer sends ppp0 a 200-byte datagram every 20 ms on the busy link): yes+busy %d echo requests (the first probe, which every start makes), %d skipped; no+busy %d requests, %d skipped; yes+idle %d requests, %d skipped",
			busy.ticks, busy.t.echoOut, busy.skips, busyOff.t.echoOut, busyOff.skips, idle.t.echoOut, idle.skips),
		"data: with a cellular modem PPP runs only on the line to the modem, which sends IP packets over the radio: operators count the IP bytes; the framed figures are what the serial line carries",
	)
	return s
}

// quiet turns IPv6 off in both namespaces of p: the far end's router
// solicitations and multicast reports would come in on ppp0 in the first
// seconds, traffic that skips probes of the "idle" link. Nothing else
// comes in but what a run sends (ARP aside, which is rare).
func quiet(p *pair) error {
	if _, err := os.Stat("/proc/sys/net/ipv6"); err != nil {
		return nil
	}
	for _, ns := range []string{p.near, p.far} {
		if out, err := nsCommand(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6").CombinedOutput(); err != nil {
			return fmt.Errorf("disable_ipv6 in %s: %v: %s", ns, err, out)
		}
	}
	return nil
}

// writeMonitorConfig writes the configuration of one data run.
func writeMonitorConfig(dir string, lines ...string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cfg := filepath.Join(dir, "ppp")
	text := strings.Join(append([]string{"AUTH=NOAUTH", "MONITOR=yes", "PERSIST=1", "DEMAND=0", "MONITOR_LOG=yes"}, lines...), "\n") + "\n"
	return cfg, os.WriteFile(cfg, []byte(text), 0o644)
}

// runCaptured runs ppp_monitor on ppp0 of ns with cfg, captures ppp0
// until done(log) holds (or 20 s pass), then stops the monitor and, a
// moment later, the capture.
func runCaptured(bin, dir, ns, cfg string, done func(log string) bool) ([]packet, string, error) {
	c, err := startCapture(ns, "ppp0")
	if err != nil {
		return nil, "", err
	}
	defer c.stop()
	logPath := filepath.Join(dir, "ppp_monitor.stderr")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, "", err
	}
	defer logf.Close()
	cmd := nsCommand(ns, bin, "--root", dir, "--config", cfg, "--foreground", "ppp0")
	cmd.Stdout, cmd.Stderr = logf, logf
	m, err := startChild(cmd)
	if err != nil {
		return nil, "", err
	}
	defer m.stop()
	deadline := time.Now().Add(20 * time.Second)
	for !done(readLog(logPath)) {
		if !m.running() || time.Now().After(deadline) {
			return nil, "", fmt.Errorf("ppp_monitor (%s): %s", cfg, tail(logPath))
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.stop()
	time.Sleep(200 * time.Millisecond) // the last reply's way through the capture
	return c.packets(), readLog(logPath), nil
}

// readLog is the whole of a log file ("" when there is none yet).
func readLog(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

// monitorProbes: ppp_monitor probing the far end once a second, n probes.
func monitorProbes(bin, dir string, p *pair, n int) (tally, error) {
	cfg, err := writeMonitorConfig(dir, "MONITOR_TARGET="+p.target, "MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=1", "MONITOR_FAIL=100")
	if err != nil {
		return tally{}, err
	}
	pkts, _, err := runCaptured(bin, dir, p.near, cfg, func(log string) bool { return strings.Count(log, " succeeded.") >= n })
	t := tallyOf(pkts)
	if err == nil && (t.echoOut < n || t.replies != t.echoOut) {
		err = fmt.Errorf("ppp_monitor data run: %d echo requests, %d replies seen for %d probes", t.echoOut, t.replies, n)
	}
	return t, err
}

// pingProbes: n runs of ping -c1 out of ppp0, captured the same way.
func pingProbes(p *pair, n int) (tally, error) {
	c, err := startCapture(p.near, "ppp0")
	if err != nil {
		return tally{}, err
	}
	defer c.stop()
	for range n {
		if out, err := p.command("ping", "-c1", "-W1", "-I", "ppp0", p.target).CombinedOutput(); err != nil {
			return tally{}, fmt.Errorf("ping -c1 -I ppp0 %s: %v: %s", p.target, err, out)
		}
	}
	time.Sleep(200 * time.Millisecond)
	t := tallyOf(c.packets())
	if t.echoOut != n || t.replies != n {
		return t, fmt.Errorf("ping data run: %d echo requests, %d replies seen for %d pings", t.echoOut, t.replies, n)
	}
	return t, nil
}

// routeSearch: the automatic target's search at the start, along 8
// routers to a destination beyond them (the default MONITOR_MAX_HOPS=8,
// and the default MONITOR_INTERVAL=30: no probe follows within the run).
func routeSearch(bin, dir string) (tally, string, error) {
	r, err := newRoute(9)
	if err != nil {
		return tally{}, "", err
	}
	cfg, err := writeMonitorConfig(dir, "MONITOR_TARGET=", "MONITOR_ROUTE_DEST="+r.dest)
	if err != nil {
		return tally{}, "", err
	}
	pkts, log, err := runCaptured(bin, dir, r.near, cfg, func(log string) bool { return strings.Contains(log, "ppp monitor started") })
	if err != nil {
		return tally{}, "", err
	}
	found := "target found: none"
	for _, l := range strings.Split(log, "\n") {
		if _, rest, ok := strings.Cut(l, "check_with_icmp: responding hosts found in the route: "); ok {
			found = "target found: " + strings.TrimSuffix(rest, ".")
		}
	}
	return tallyOf(pkts), found, nil
}

// adaptiveProbes: ppp_monitor with MONITOR_ADAPTIVE=yes or no for ticks
// ticks, with or without traffic from the peer into ppp0.
func adaptiveProbes(bin, dir string, p *pair, adaptive, flow bool, ticks int) (adaptiveRun, error) {
	if flow {
		stop, err := startFlow(p)
		if err != nil {
			return adaptiveRun{}, err
		}
		defer stop()
	}
	value := map[bool]string{true: "yes", false: "no"}[adaptive]
	cfg, err := writeMonitorConfig(dir, "MONITOR_TARGET="+p.target, "MONITOR_INTERVAL=1", "MONITOR_TIMEOUT=1", "MONITOR_FAIL=100", "MONITOR_ADAPTIVE="+value)
	if err != nil {
		return adaptiveRun{}, err
	}
	count := func(log string) (answered, skipped, missed int) {
		return strings.Count(log, " succeeded."), strings.Count(log, "probe skipped: "), strings.Count(log, " failed (")
	}
	pkts, log, err := runCaptured(bin, dir, p.near, cfg, func(log string) bool {
		a, s, m := count(log)
		return a+s+m >= ticks
	})
	if err != nil {
		return adaptiveRun{}, err
	}
	a, sk, m := count(log)
	return adaptiveRun{t: tallyOf(pkts), ticks: a + sk + m, skips: sk, misses: m}, nil
}

// startFlow sends ppp0 a 200-byte UDP datagram from the far end every
// 20 ms, to a socket that takes them (so no ICMP error comes back).
func startFlow(p *pair) (stop func(), err error) {
	var sink net.PacketConn
	var src net.Conn
	if err := inNetns(p.near, func() (err error) { sink, err = net.ListenPacket("udp4", p.local+":0"); return }); err != nil {
		return nil, err
	}
	if err := inNetns(p.far, func() (err error) { src, err = net.Dial("udp4", sink.LocalAddr().String()); return }); err != nil {
		sink.Close()
		return nil, err
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, 1500)
		for {
			if _, _, err := sink.ReadFrom(buf); err != nil {
				return
			}
		}
	})
	wg.Go(func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		payload := make([]byte, 200)
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				src.Write(payload)
			}
		}
	})
	var once sync.Once
	stop = func() {
		once.Do(func() {
			close(quit)
			src.Close()
			sink.Close()
			wg.Wait()
		})
	}
	atExit(stop)
	return stop, nil
}
