// Package netnstest builds, for integration tests, a small routed network
// out of Linux network namespaces, entirely inside this machine:
//
//	router ns            hop1 ns             hop2 ns             hop3 ns
//	ppp0 10.200.1.1 ── a0 10.200.1.2
//	                    b0 10.200.2.1 ── a0 10.200.2.2
//	                                        b0 10.200.3.1 ── a0 10.200.3.2
//
// The router namespace plays the router whose PPP interface is ppp0 (a
// veth end of that name); the hops forward and route 10.200.0.0/16 both
// ways. Addresses are private and exist only inside the namespaces, so no
// probe ever leaves the machine. Tests need root and the ip command
// (iproute2); without them they are skipped with a sentence saying so.
// Every namespace gets a unique name and is deleted when the test ends.
package netnstest
