package pppmonitor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/probe"
)

// settings are what the watch takes from the configuration.
type settings struct {
	iface     string
	target    string // MONITOR_TARGET; "" is the automatic target
	routeDest string
	maxHops   int
	interval  time.Duration
	timeout   time.Duration
	maxFail   int
	logEach   bool
	adaptive  bool // MONITOR_ADAPTIVE
}

func settingsFrom(c *config.Config, iface string) settings {
	return settings{iface: iface, target: c.MonitorTarget, routeDest: c.MonitorRouteDest, maxHops: c.MonitorMaxHops,
		interval: c.MonitorInterval, timeout: c.MonitorTimeout, maxFail: c.MonitorFail, logEach: c.MonitorLog,
		adaptive: c.MonitorAdaptive}
}

// resolver finds the IPv4 address of a host name or address literal.
type resolver func(ctx context.Context, host string) (netip.Addr, error)

func lookupIPv4(ctx context.Context, host string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a, nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip4", host)
	if err != nil {
		return netip.Addr{}, err
	}
	return addrs[0].Unmap(), nil
}

// watcher is the state of one monitor: the target, the routers last seen
// on the route, the misses in a row.
type watcher struct {
	settings
	p         *probe.Prober
	canSurvey bool         // a raw socket: the automatic target is possible
	local     []netip.Addr // the link's own addresses: no target
	refused   bool         // MONITOR_TARGET refused, with no automatic target
	log       *logging.Logger
	now       func() time.Time
	resolve   resolver

	addr   netip.Addr   // the target's address; invalid until known
	dest   netip.Addr   // MONITOR_ROUTE_DEST's address, once looked up
	route  []probe.Host // automatic target: the hosts seen on the route
	misses int
	last   error // why the last probe missed
	// gone: the interface went away, and with it the link watched.
	gone   bool
	probes int
	// maxProbes ends the watch after that many probes (benchmark seam).
	maxProbes int
	// rx, with MONITOR_ADAPTIVE=yes, skips probes while traffic arrives;
	// nil probes at every tick.
	rx *adaptive
	// stats count the outcomes for metrics, the file in METRICS_DIR (nil
	// without one).
	stats   probeStats
	metrics *metricsFile
}

func (w *watcher) automatic() bool { return w.target == "" }

// name is the target as the log lines show it.
func (w *watcher) name() string {
	switch {
	case !w.automatic():
		return w.target
	case w.addr.IsValid():
		return w.addr.String()
	}
	return "auto"
}

// start makes the first probe (for the automatic target: the route
// search) and logs the start line. It reports false when that probe
// already made the link dead (MONITOR_FAIL=1).
func (w *watcher) start(ctx context.Context) bool {
	if a, err := netip.ParseAddr(w.target); err == nil && w.ownAddress(a) {
		w.refuseOwn(a)
	}
	alive := true
	if w.automatic() {
		alive = w.check(ctx)
	}
	w.log.Infof("ppp monitor started, PPP I/F: %s, TARGET: %s, INTERVAL: %g, MAXFAIL: %d",
		w.iface, w.name(), w.interval.Seconds(), w.maxFail)
	if !w.automatic() && alive {
		alive = w.check(ctx)
	}
	return alive
}

// watch probes on every tick until the link is dead (false) or ctx ends
// (true). tick waits for the next tick and reports false when ctx ended.
func (w *watcher) watch(ctx context.Context, tick func(context.Context) bool) bool {
	for w.maxProbes == 0 || w.probes < w.maxProbes {
		if !tick(ctx) {
			return true
		}
		if !w.check(ctx) {
			return false
		}
	}
	return true
}

// newTicker is the watch's tick: every interval on the schedule of a
// periodic timerfd (see probe.Timerfd: no runtime timer, so no wake-up
// beyond the tick's own), which does not drift by the time the probes
// take; a time.Ticker where there is no timerfd. tick waits for the next
// tick and reports false when ctx ended.
func newTicker(interval time.Duration) (tick func(context.Context) bool, stop func()) {
	tfd, err := probe.NewTimerfd()
	if err == nil {
		err = tfd.Set(interval, interval)
	}
	if err != nil {
		t := time.NewTicker(interval)
		return func(ctx context.Context) bool {
			select {
			case <-ctx.Done():
				return false
			case <-t.C:
				return true
			}
		}, t.Stop
	}
	return func(ctx context.Context) bool {
		stop := context.AfterFunc(ctx, tfd.Interrupt)
		defer stop()
		return tfd.Wait() == nil && ctx.Err() == nil
	}, func() { tfd.Close() }
}

// check makes one probe, which ends within MONITOR_TIMEOUT, and counts it;
// with adaptive probing, traffic that arrives within that time instead
// (see adaptive.go). It reports false when the link is dead, or gone with
// its interface.
func (w *watcher) check(ctx context.Context) bool {
	w.probes++
	due := w.now()
	if w.rx != nil {
		skipped, stopping := w.skip(ctx, due)
		if skipped {
			w.stats.skip(w.now())
			w.metrics.update(w.probeState(), w.now())
		}
		if skipped || stopping {
			return true
		}
	}
	alive := w.probeNow(ctx, due.Add(w.timeout))
	if w.rx != nil {
		w.rx.noteRound()
	}
	if ctx.Err() == nil && !w.gone {
		w.metrics.update(w.probeState(), w.now())
	}
	return alive
}

// notProbed is the round trip of a probe that sent nothing and counts as
// an answer all the same (NXDOMAIN, or the link's own address as the
// target, without a raw socket).
const notProbed time.Duration = -1

// probeNow sends the probe (or the route search) of check.
func (w *watcher) probeNow(ctx context.Context, deadline time.Time) bool {
	var rtt time.Duration
	var err error
	switch {
	case !w.automatic():
		rtt, err = w.echoNamed(ctx, deadline)
	case !w.addr.IsValid():
		rtt, err = w.discover(ctx, deadline)
	case w.misses+1 >= w.maxFail:
		rtt, err = w.lastChance(ctx, deadline)
	default:
		rtt, err = w.p.Echo(ctx, w.addr, deadline)
	}
	if ctx.Err() != nil {
		return true // stopping: not a miss
	}
	if errors.Is(err, probe.ErrInterfaceGone) {
		// pppd has ended this link and removed its interface; a ppp0 made
		// since is another link, with a monitor of its own to come.
		w.gone = true
		return false
	}
	var moved *movedError
	switch {
	case err == nil:
		if w.logEach && !w.refused {
			w.log.Infof("ping to %s succeeded.", w.name())
		}
		if w.misses > 0 {
			w.log.Infof("ping to %s answers again after %d missed.", w.name(), w.misses)
		}
		w.misses = 0
		if rtt != notProbed {
			w.stats.reply(rtt, w.now())
		}
		return true
	case errors.As(err, &moved):
		w.log.Warnf("ping to %s failed (%d of %d): %s; another host on the route answers: the link is alive",
			moved.from, w.misses+1, w.maxFail, w.reason(moved.err))
		w.setTarget(moved.to)
		w.misses = 0
		w.stats.reply(moved.to.RTT, w.now())
		return true
	}
	w.misses++
	w.stats.miss(w.now())
	w.last = err
	w.log.Warnf("ping to %s failed (%d of %d): %s", w.name(), w.misses, w.maxFail, w.reason(err))
	return w.misses < w.maxFail
}

// deathReason says why the link counts as dead.
func (w *watcher) deathReason() string {
	return fmt.Sprintf("%d probes of %s in a row failed (interval %g s, timeout %s), the last: %s",
		w.misses, w.name(), w.interval.Seconds(), seconds(w.timeout), w.reason(w.last))
}

// reason is a miss's cause as the log shows it.
func (w *watcher) reason(err error) string {
	var ue *probe.UnreachableError
	switch {
	case errors.Is(err, probe.ErrTimeout):
		return "timeout after " + seconds(w.timeout)
	case errors.As(err, &ue):
		return ue.Error()
	}
	return err.Error()
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%g s", d.Seconds())
}

// noHostError: the route search found no host that answers echo.
type noHostError struct {
	dest    string
	maxHops int
	seen    []probe.Host
}

func (e *noHostError) Error() string {
	var seen []string
	for _, h := range e.seen {
		seen = append(seen, fmt.Sprintf("%s (hop %d)", h.Addr, h.Hops))
	}
	s := fmt.Sprintf("check_with_icmp: no host on the route to %s (up to %d hops) answers echo", e.dest, e.maxHops)
	if len(seen) > 0 {
		s += "; routers that did not: " + strings.Join(seen, ", ")
	}
	return s
}

// discover searches the route for the automatic target.
// It returns the chosen target's round trip.
func (w *watcher) discover(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if !w.dest.IsValid() {
		lctx, cancel := context.WithTimeout(ctx, deadline.Sub(w.now()))
		a, err := w.resolve(lctx, w.routeDest)
		cancel()
		if err != nil {
			return 0, fmt.Errorf("cannot resolve MONITOR_ROUTE_DEST %s: %w", w.routeDest, err)
		}
		w.dest = a
	}
	r, err := w.p.Survey(ctx, probe.Survey{Route: w.dest, MaxHops: w.maxHops}, deadline)
	if err != nil {
		return 0, err
	}
	w.route = onRoute(r.Hosts)
	h, ok := chooseTarget(w.route, netip.Addr{})
	if !ok {
		return 0, &noHostError{dest: w.routeDest, maxHops: w.maxHops, seen: w.route}
	}
	w.setTarget(h)
	return h.RTT, nil
}

// movedError: the target missed but another host on the route answered.
type movedError struct {
	from netip.Addr
	to   probe.Host
	err  error // the target's miss
}

func (e *movedError) Error() string {
	return fmt.Sprintf("target moved from %s to %s", e.from, e.to.Addr)
}

// lastChance is the probe that may be the last miss of the automatic
// target: the target, the other hosts known on the route and the route
// itself are probed together, within the one deadline. It returns the
// target's round trip when it answered.
func (w *watcher) lastChance(ctx context.Context, deadline time.Time) (time.Duration, error) {
	s := probe.Survey{Echo: []netip.Addr{w.addr}, Primary: w.addr, Route: w.dest, MaxHops: w.maxHops}
	for _, h := range w.route {
		s.Echo = append(s.Echo, h.Addr)
	}
	r, err := w.p.Survey(ctx, s, deadline)
	t, _ := r.Host(w.addr)
	switch {
	case t.Echo:
		return t.RTT, nil
	case err != nil:
		return 0, err
	}
	miss := t.Err
	if miss == nil {
		miss = probe.ErrTimeout
	}
	fresh := onRoute(withKnownHops(r.Hosts, w.route))
	if len(fresh) > 0 {
		w.route = fresh
	}
	if h, ok := chooseTarget(fresh, w.addr); ok {
		return 0, &movedError{from: w.addr, to: h, err: miss}
	}
	return 0, miss
}

// setTarget makes h the automatic target, logged in the vendor's words.
func (w *watcher) setTarget(h probe.Host) {
	w.addr = h.Addr
	w.log.Infof("check_with_icmp: responding hosts found in the route: address: %s, hops: %d.", h.Addr, h.Hops)
	w.log.Infof("LTE: host in the route: %s", h.Addr)
}

// chooseTarget is the host with the fewest hops that answers echo, other
// than not.
func chooseTarget(hosts []probe.Host, not netip.Addr) (probe.Host, bool) {
	var best probe.Host
	for _, h := range hosts {
		if h.Echo && h.Hops > 0 && h.Addr != not && (best.Hops == 0 || h.Hops < best.Hops) {
			best = h
		}
	}
	return best, best.Hops > 0
}

// onRoute keeps the hosts seen on the route.
func onRoute(hosts []probe.Host) []probe.Host {
	var out []probe.Host
	for _, h := range hosts {
		if h.Hops > 0 {
			out = append(out, h)
		}
	}
	return out
}

// withKnownHops gives hosts that this round reached only by plain echo
// the hop count they had when last seen on the route.
func withKnownHops(hosts, known []probe.Host) []probe.Host {
	out := make([]probe.Host, len(hosts))
	for i, h := range hosts {
		if h.Hops == 0 {
			for _, k := range known {
				if k.Addr == h.Addr {
					h.Hops = k.Hops
				}
			}
		}
		out[i] = h
	}
	return out
}
