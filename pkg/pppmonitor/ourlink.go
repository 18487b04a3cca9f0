package pppmonitor

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// pppdPIDEnv is where pppd gives its hooks its own pid.
const pppdPIDEnv = "PPPD_PID"

// link is the PPP link a monitor watches: its interface and the pid of the
// pppd that runs it (0 when unknown; from says why, or where it came from).
type link struct {
	iface string
	pppd  int
	from  string
}

// findLink determines the pppd of iface's link: flagPID (--pppd-pid), else
// PPPD_PID (pppd sets it for ip-up and everything that runs from there),
// else the live pppd that pppd's pidfile for iface names.
func findLink(root, iface string, flagPID int, getenv func(string) string) (link, error) {
	l := link{iface: iface}
	if flagPID > 0 {
		l.pppd, l.from = flagPID, "--pppd-pid"
		return l, nil
	}
	if v := getenv(pppdPIDEnv); v != "" {
		pid, err := strconv.Atoi(v)
		if err != nil || pid <= 0 {
			return l, fmt.Errorf("%s=%q (environment): accepted: the process id of pppd, a positive integer", pppdPIDEnv, v)
		}
		l.pppd, l.from = pid, pppdPIDEnv
		return l, nil
	}
	files := runstate.PPPDPidfiles(root, iface)
	for _, f := range files {
		if pid, ok := runstate.ReadLive(f, "pppd"); ok {
			l.pppd, l.from = pid, f
			return l, nil
		}
	}
	l.from = fmt.Sprintf("no %s, no --pppd-pid, no live pppd in %s", pppdPIDEnv, strings.Join(files, " or "))
	return l, nil
}

// owner is what the wrapper has to do with a link.
type owner struct {
	wrapper int    // the live ppp_wrapper's pid; 0 when none runs
	ours    bool   // a wrapper runs, and this is the link of its pppd
	why     string // with a wrapper that this link is not of: why, for the log
}

// ownerOf tells whether l is the link of the live ppp_wrapper: its pppd is
// the one state.json names (pppd_pid). Another PPP link on the box (a VPN,
// a PPPoE uplink) must never signal the wrapper.
func ownerOf(root string, l link) owner {
	pid, ok := liveWrapper(root)
	if !ok {
		return owner{}
	}
	st, err := runstate.ReadState(root)
	if err == nil && st.PPPDPID > 0 && st.PPPDPID == l.pppd {
		return owner{wrapper: pid, ours: true}
	}
	its, theirs := strconv.Itoa(l.pppd), strconv.Itoa(st.PPPDPID)
	if l.pppd <= 0 {
		its = "unknown: " + l.from
	}
	switch {
	case err != nil:
		theirs = "unknown: " + err.Error()
	case st.PPPDPID <= 0:
		theirs = "none now: " + runstate.StateFile(root) + " names no pppd_pid"
	}
	return owner{wrapper: pid, why: fmt.Sprintf("%s is not %s's link (its pppd is %s, the wrapper's is %s)", l.iface, wrapperName, its, theirs)}
}
