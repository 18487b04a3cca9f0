package pppmonitor

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/probe/probetest"
)

// nxdomain resolves name as a name server that has no such name does.
func nxdomain(name string) resolver {
	return func(ctx context.Context, host string) (netip.Addr, error) {
		if host == name {
			return netip.Addr{}, &net.DNSError{Err: "no such host", Name: host, Server: "10.200.1.2:53", IsNotFound: true}
		}
		return lookupIPv4(ctx, host)
	}
}

// TestNXDOMAINUsesTheAutomaticTarget: a name server that answers "no such
// name" has answered over the link; that is no miss. The error is logged
// and the nearest router that answers becomes the target.
func TestNXDOMAINUsesTheAutomaticTarget(t *testing.T) {
	h := newHarness(t, "gone.example", 2)
	h.w.canSurvey = true
	h.w.resolve = nxdomain("gone.example")
	if !h.w.start(context.Background()) || !h.probe(1) || !h.probe(2) {
		t.Fatal("the probes after NXDOMAIN reported a dead link")
	}
	h.wantLog("ppp_monitor: error: MONITOR_TARGET gone.example does not resolve (lookup gone.example on 10.200.1.2:53: no such host): the name server answered, so the link works; the automatic target is used instead",
		"check_with_icmp: responding hosts found in the route: address: 10.200.1.2, hops: 1.",
		"ping to 10.200.1.2 succeeded.", "ping to 10.200.1.2 succeeded.")
	h.noLog("failed")
}

// TestNXDOMAINWithoutRawSocket: with a ping socket there is no automatic
// target; NXDOMAIN still proves the link, logged once, never a miss.
func TestNXDOMAINWithoutRawSocket(t *testing.T) {
	h := newHarness(t, "gone.example", 2)
	h.w.resolve = nxdomain("gone.example")
	for k := range 4 {
		if !h.probe(k) {
			t.Fatalf("probe %d after NXDOMAIN reported a dead link", k)
		}
	}
	h.wantLog("ppp_monitor: error: MONITOR_TARGET gone.example does not resolve (lookup gone.example on 10.200.1.2:53: no such host): the name server answered, so the link works; the automatic target needs a raw ICMP socket: NXDOMAIN counts as an answer")
	h.noLog("failed")
	h.noLog("does not resolve")
}

// TestOwnAddressIsRefused: MONITOR_TARGET set to the link's own address
// (IPLOCAL) always answers, over no link at all: refused, automatic target.
func TestOwnAddressIsRefused(t *testing.T) {
	self := netip.MustParseAddr("10.64.0.7")
	for _, target := range []string{self.String(), "self.example"} {
		h := newHarness(t, target, 2)
		h.w.canSurvey = true
		h.w.local = []netip.Addr{self}
		h.w.resolve = func(ctx context.Context, host string) (netip.Addr, error) {
			if host == "self.example" {
				return self, nil
			}
			return lookupIPv4(ctx, host)
		}
		h.update(func(n *probetest.Net) { n.Elsewhere = append(n.Elsewhere, &probetest.Host{Addr: self}) })
		if !h.w.start(context.Background()) || !h.probe(1) {
			t.Fatalf("MONITOR_TARGET=%s: the probes reported a dead link", target)
		}
		h.wantLog("ppp_monitor: error: MONITOR_TARGET "+target+" is this link's own address (10.64.0.7): pinging it proves nothing; the automatic target is used instead",
			"check_with_icmp: responding hosts found in the route: address: 10.200.1.2, hops: 1.",
			"ping to 10.200.1.2 succeeded.")
		h.noLog("ping to " + target)
		for _, r := range h.net.Sent() {
			if r.Dst == self {
				t.Errorf("MONITOR_TARGET=%s: the own address was pinged", target)
			}
		}
	}
}
