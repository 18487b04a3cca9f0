// Package probe sends ICMP echo requests out of one network interface and
// matches their answers: plain echo (is this host answering?) and
// TTL-limited echo (which routers are on the route to a destination?).
//
// A Socket is the real thing: Listen opens an ICMP socket bound to the
// interface with SO_BINDTODEVICE, so probes leave through that interface
// whatever the routing table says, and only answers that arrive through it
// are seen. Two kinds exist, chosen explicitly or in that order by Auto:
//
//   - Raw ("ip4:icmp", needs CAP_NET_RAW): we choose the echo identifier and
//     see every ICMP message, including the Time Exceeded answers that
//     route discovery needs. A kernel filter (ICMP_FILTER) lets only echo
//     replies, Time Exceeded and Destination Unreachable through.
//   - Datagram ("udp4" ping socket, allowed by net.ipv4.ping_group_range):
//     the kernel owns the identifier and hands the socket only its own
//     echo replies; Time Exceeded is not delivered, so Survey's route
//     sweep needs a raw socket (ErrNeedsRaw).
//
// A Prober does the matching over any PacketConn (three methods): a reply
// counts only when its source, identifier (raw sockets), sequence number
// and payload (a random token per Prober) are those of a request still
// waiting; late replies to earlier probes and other programs' echo
// replies are dropped. Each call sets one read deadline and reads until it
// passes or nothing is left to wait for, and clears it when done;
// cancelling the context moves the deadline to the past, so a blocked read
// ends at once. A Socket enforces its read deadline with a Timerfd (a
// kernel timer the netpoller watches) instead of a runtime timer: at the
// expiry of a runtime timer, the Go runtime's monitor thread wakes too,
// and a probe every few seconds should wake the process no more than it
// must. For the same reason a Socket and a Timerfd are non-blocking
// descriptors in the netpoller, read, written and set with raw system
// calls: an ordinary one (syscall.Syscall) wakes the runtime's monitor
// thread when it sleeps, two wake-ups per burst of calls; so a probe
// wakes the process twice, at the tick and at the reply. The token,
// identifier and first sequence number come from math/rand: they must
// differ from other programs', not be secret.
//
// Package icmp encodes and decodes the messages; package net is not
// needed (nor golang.org/x/net), which keeps ppp_monitor small.
//
// Package probetest provides a simulated network with a manual clock for
// tests of code built on a Prober.
package probe
