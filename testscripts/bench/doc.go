// Command bench measures what the suite costs at rest, beside the vendor's
// shell scripts doing the same job, in one run on one machine: `make bench`
// (go run ./testscripts/bench; flags through BENCHFLAGS). It prints numbers,
// it is not a pass/fail test, and it is test equipment: never installed.
//
// The table has one line per figure: what, ours, the baseline, ours ÷
// baseline. The rows:
//
//   - ppp_wrapper wake-ups per second with the link up (pppd is a stand-in
//     that sleeps), without and with RESET_AT, beside the vendor's bash
//     wrapper blocked in wait(2) on the same stand-in;
//   - ppp_monitor wake-ups per probe (one probe a second of an address in
//     a network namespace pair made for the run) beside a bash loop of
//     `ping -c1` and `sleep 1` in a pair of its own; their resident memory
//     (bash's plus its largest child's peak); the monitor's virtual size,
//     its largest mapping and its own .data + .bss mapping beside those of
//     an idle Go hello-world (a 32 MiB buffer in the program shows there);
//   - the keep-alive's own data: the bytes of one probe as a packet socket
//     on ppp0 sees them (IP header, ICMP header, payload; and framed, with
//     RFC 1662's 8 bytes a PPP frame) beside `ping -c1`'s, what that makes
//     in a month of probes every 30 s, the bytes of the automatic target's
//     route search along 8 routers, and the echo requests a tick with
//     MONITOR_ADAPTIVE=yes on a busy and on an idle link beside
//     MONITOR_ADAPTIVE=no;
//   - the start time of each tool's --version beside a Go hello-world built
//     the same way, each binary's size and its stripped linux/arm (GOARM=7)
//     size;
//   - the ProbeCost benchmark of pkg/pppmonitor, when it exists.
//
// A wake-up is a context switch of any thread of the process: the sum of
// voluntary_ctxt_switches and nonvoluntary_ctxt_switches over
// /proc/PID/task/*/status, at the end of a window minus at its start
// (threads that appear within the window count whole). For the bash loop,
// whose ping and sleep children live a moment each, it is the rusage
// wait4 reports for the loop once it ends (bash and every child it waited
// for), minus that of the same loop run zero times (bash's own start). The
// loop is started straight into its namespace (forked by a thread that
// joined it), so no `ip netns exec` counts in it.
//
// Counts hardly depend on the machine's load (preemptions, the
// nonvoluntary part, do); times do, so only ratios within one run mean
// anything. An idle Go program wakes about once a minute (the runtime's
// monitor thread, a forced GC every two minutes): a window shorter than
// that can read 0 wake-ups; --window 150s sees them. Rows that need root or the ip command are
// skipped with a line saying why. -smoke makes a short run (a few seconds,
// no cross build, no go test) for the harness's own test.
package main
