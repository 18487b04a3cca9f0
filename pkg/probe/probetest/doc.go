// Package probetest is a simulated network behind one interface, with a
// manual clock, for tests of code built on probe.Prober: routers that
// answer TTL-limited requests with Time Exceeded, hosts that answer echo
// or ignore it, slow answers, a black-holed link, and foreign ICMP
// traffic. It is a probe.PacketConn; nothing here waits in real time.
package probetest
