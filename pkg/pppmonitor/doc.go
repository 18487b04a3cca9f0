// Package pppmonitor is ppp_monitor: the ICMP watch of a live PPP link
// (docs/vendor-behaviour.md §R5, §R6). It drops a link that is up but no longer carries traffic,
// and takes care not to drop a healthy one.
//
// The ip-up hook runs `ppp_monitor IFACE`. Without --foreground it
// detaches: it runs itself again with --foreground in a new session with
// stdio on /dev/null, and exits 0 once that child is watching (or with the
// child's own exit code and message when it could not start: a bad
// configuration, another live monitor on IFACE, no such interface). The
// child tells its parent through a pipe on fd 3 named by
// PPP_MONITOR_READY_FD; that pipe, not a flag, is how the child knows it
// is the child (--foreground=false must not make it detach again). The
// monitor then
//
//  0. finds out whose link IFACE is (see "Our link only");
//  1. sends SIGUSR2 ("link up") to ppp_wrapper, when one runs;
//  2. stops there with "ping monitoring is disabled." unless MONITOR=yes,
//     PERSIST=1 and DEMAND=0;
//  3. claims /run/pppkeep/ppp_monitor.IFACE.pid (a live monitor there makes
//     it refuse; a stale file is replaced);
//  4. opens an ICMP socket bound to IFACE (package probe: raw when
//     permitted, else a ping socket; logged);
//  5. picks the target: MONITOR_TARGET, or with the automatic target the
//     nearest router on the route to MONITOR_ROUTE_DEST that answers echo;
//  6. probes at once and then every MONITOR_INTERVAL on a ticker, each
//     probe waiting at most MONITOR_TIMEOUT.
//
// MONITOR_FAIL misses in a row mean the link is dead: it logs why, sends
// SIGUSR1 to ppp_wrapper (or, when the link is not the wrapper's, SIGTERM
// to the link's pppd from its pidfile) and exits 1. SIGTERM or SIGINT (ppp_monitor --stop, from the
// ip-down hook) end it with exit 0. So does the end of the interface: when
// pppd has removed ppp0 (a link that ended without the ip-down hook), the
// socket, bound to that interface, reports it gone; a ppp0 made since is
// another link, which the monitor must not drop. SIGHUP is logged and
// ignored ("SIGHUP ignored: …"), as by the wrapper; SIGPIPE is handled (pkg/logging), so
// that a closed stderr makes log lines fail (they still reach syslog)
// instead of ending the monitor.
//
// # Our link only
//
// Another PPP link on the box (a PPPoE uplink, a VPN on ppp1) must never
// make the wrapper think its link is up, nor make it drop its link. The
// pppd of IFACE's link is --pppd-pid, else PPPD_PID from the environment
// (pppd 2.4.9 gives it to ip-up and, through run-parts, to the hook that
// starts the monitor; the detached child inherits it), else the live pppd
// that pppd's pidfile for IFACE names (/var/run/IFACE.pid or
// /var/run/pppd/IFACE.pid). The wrapper writes the pid of the pppd it runs
// to state.json (pppd_pid). When a wrapper runs:
//
//   - the link is the wrapper's when its pppd is state.json's pppd_pid:
//     SIGUSR2 at start, SIGUSR1 when it is dead;
//   - otherwise the monitor logs once "ppp1 is not ppp_wrapper's link (its
//     pppd is 1234, the wrapper's is 999): not monitored" and exits 0,
//     signalling nothing.
//
// With no wrapper running at start, the link is watched as the vendor's
// monitor did. When it dies, the wrapper is signalled only if it is its
// link by then (the same rule); otherwise pppd gets SIGTERM from its
// pidfile, and only when that pidfile names the pppd determined above.
// The monitor's own pidfile is per interface (ppp_monitor.IFACE.pid), and
// `--stop IFACE` signals its pid only when that process is the monitor of
// IFACE (the last argument of its command line): a pidfile left by a
// killed monitor whose pid is now another interface's monitor stops
// nothing.
//
// # Detection bound
//
// A cut is detected within MONITOR_FAIL×MONITOR_INTERVAL + MONITOR_TIMEOUT:
// the first probe after the cut comes at most one interval later, the
// last of the MONITOR_FAIL misses ends at most MONITOR_TIMEOUT after it
// was sent. Nothing is added to that: every step of a probe runs inside
// its MONITOR_TIMEOUT, against one deadline — a name's lookup and the
// echo together; the route search of the automatic target, including the
// echo requests to the routers it finds; and the last-chance search
// before a drop. That last one is not a second step after the miss: the
// probe that could be the last miss (the MONITOR_FAIL-th in a row) sends,
// all at once, its echo request to the target, echo requests to every
// other host found on the route before, and TTL-limited requests along
// the route (routers newly found get an echo request as soon as their
// Time Exceeded arrives). If the target answers, the round ends then. If
// it does not but another host on the route does, the link is alive:
// that host, the nearest one, becomes the target and nothing is dropped.
//
// A configured MONITOR_TARGET is the operator's choice and is kept: when it
// stops answering, the link is dropped as the vendor's script did. A name
// is looked up at the first probe and again after each miss (a changed
// address is logged); a failed lookup is a miss, since the link may be why
// it failed — except an answer that the name does not exist (NXDOMAIN, or
// no address): a name server answered, over the link, so the link works.
// That, and a MONITOR_TARGET that is the link's own address (IPLOCAL or an
// address of IFACE: pinging it proves nothing), is logged as an error and
// the automatic target is used instead (with a ping socket, where there is
// no automatic target, NXDOMAIN counts as an answer and the own address is
// not probed).
//
// # Adaptive probing
//
// With MONITOR_ADAPTIVE=yes (default no: a probe every interval, as the
// vendor's monitor) traffic that the link brings in stands for a reply,
// as pppd's lcp-echo-adaptive does for LCP echo, and saves the probe's
// bytes on a busy link. The received-packet and -byte counters of IFACE
// (/sys/class/net/IFACE/statistics) are read right after every probe's
// round, our own replies included; at the next tick a rise since then
// makes the monitor wait half a MONITOR_TIMEOUT for more, and a rise
// within that half is the answer: the probe is skipped (MONITOR_LOG=yes
// logs "probe skipped: ppp0 received 1234 bytes since the last probe, 567
// of them in the 1.5 s after this one was due"). Without it the probe goes
// out at once, with the other half of the timeout. Bytes from before the
// tick never skip a probe: they may predate a cut, which would then be
// seen an interval late. So the detection bound below holds as it is: a
// tick's outcome is known MONITOR_TIMEOUT after it was due either way, and
// a dead link brings nothing in, so its probes go out. An idle link is
// probed at the tick with the whole timeout. Rises of 8 bytes a packet
// (LCP Echo-Replies, which a modem sends even when the network behind it
// is gone) are no traffic.
//
// # Metrics
//
// With METRICS_DIR set, the monitor keeps METRICS_DIR/pppkeep_monitor_IFACE.prom
// for node_exporter's textfile collector (metrics.go says what it holds:
// pppkeep_probe* families, each sample labelled iface, names ppp_wrapper's
// pppkeep.prom does not use). It is written through pkg/metrics (whole, by
// rename, mode 0644) only by the watch's own goroutine, right after a
// probe's outcome or a skip: at once when the misses in a row or the
// target changed, else at most once every 60 s (metricsfile.go); no timer
// of its own, so no wake-up beyond the probes'. The exit, whatever ends
// the watch (stop, interface gone, link dead), writes the last state with
// pppkeep_probe_monitor_running 0, before the link is dropped. A write that
// fails is logged once and tried again at the next write; it never stops
// the monitor. A probe counts as a reply or a miss; one cut short by a stop
// or by the interface's end counts as neither, as does a round that sent
// nothing and counts as an answer all the same (NXDOMAIN, own address).
//
// # Cost
//
// A probe every MONITOR_INTERVAL should cost the box next to nothing. The
// tick and the reply's timeout are kernel timers (timerfd) watched by the
// Go netpoller rather than runtime timers, at whose expiry the runtime's
// monitor thread would wake too; the monitor runs with GOMAXPROCS=1, so
// no second thread spins looking for work at each wake-up; the random
// numbers (echo id, sequence, payload token) come from math/rand, not
// crypto/rand, whose DRBG adds 32 MiB of committed memory. BenchmarkProbeCost
// measures wake-ups per probe, RSS and VmSize of the shipped build.
package pppmonitor
