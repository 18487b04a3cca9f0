package pppmonitor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"
)

// localAddrs are the link's own addresses: IPLOCAL (which pppd gives its
// hooks) and those of the interface.
func localAddrs(iface, ipLocal string) []netip.Addr {
	var out []netip.Addr
	if a, err := netip.ParseAddr(ipLocal); err == nil {
		out = append(out, a.Unmap())
	}
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return out
	}
	addrs, _ := ifi.Addrs()
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr().Unmap())
		}
	}
	return out
}

// isNXDOMAIN reports whether err is a name server's answer that the name
// does not exist (or has no address): an answer, which came over the link.
func isNXDOMAIN(err error) (*net.DNSError, bool) {
	var de *net.DNSError
	return de, errors.As(err, &de) && de.IsNotFound
}

// ownAddress reports whether a is one of the link's own addresses, which
// answer echo whatever becomes of the link.
func (w *watcher) ownAddress(a netip.Addr) bool {
	return slices.Contains(w.local, a)
}

// refuseTarget gives up MONITOR_TARGET for the automatic target, logging
// why. Without a raw socket there is no automatic target: it reports
// false, and logs once, with instead what becomes of the probes.
func (w *watcher) refuseTarget(why, instead string) bool {
	if !w.canSurvey {
		if !w.refused {
			w.log.Errorf("MONITOR_TARGET %s %s; the automatic target needs a raw ICMP socket: %s", w.target, why, instead)
		}
		w.refused = true
		return false
	}
	w.log.Errorf("MONITOR_TARGET %s %s; the automatic target is used instead", w.target, why)
	w.target, w.addr = "", netip.Addr{}
	return true
}

// refuseOwn refuses a target that is the link's own address a.
func (w *watcher) refuseOwn(a netip.Addr) bool {
	return w.refuseTarget(fmt.Sprintf("is this link's own address (%s): pinging it proves nothing", a), "the link is not watched")
}

// echoNamed probes MONITOR_TARGET, looking its name up first when needed:
// at the first probe and after a miss. A name the name server says does
// not exist, or the link's own address, gives way to the automatic target
// (within the same deadline); neither is a miss. It returns the reply's
// round trip, or notProbed when nothing was sent.
func (w *watcher) echoNamed(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if !w.addr.IsValid() || w.misses > 0 {
		lctx, cancel := context.WithTimeout(ctx, deadline.Sub(w.now()))
		a, err := w.resolve(lctx, w.target)
		cancel()
		if de, ok := isNXDOMAIN(err); ok {
			if w.refuseTarget(fmt.Sprintf("does not resolve (%v): the name server answered, so the link works", de), "NXDOMAIN counts as an answer") {
				return w.discover(ctx, deadline)
			}
			return notProbed, nil
		}
		if err != nil {
			return 0, fmt.Errorf("cannot resolve %s: %w", w.target, err)
		}
		if w.ownAddress(a) {
			if w.refuseOwn(a) {
				return w.discover(ctx, deadline)
			}
			return notProbed, nil
		}
		w.refused = false
		if w.addr.IsValid() && a != w.addr {
			w.log.Infof("%s is now %s (was %s)", w.target, a, w.addr)
		}
		w.addr = a
	}
	return w.p.Echo(ctx, w.addr, deadline)
}
