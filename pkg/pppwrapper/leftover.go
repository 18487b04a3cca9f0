package pppwrapper

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/logging"
	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// LeftoverWait is how long a pppd left by an earlier wrapper gets to end
// after SIGTERM before it is killed: pppd's own limit for ending the link
// is 6 s (3 s restart timer, 2 terminate requests).
const LeftoverWait = 7 * time.Second

// endLeftovers ends every pppd of ours still running before the first
// dial: one left by a wrapper that was killed (a pppd that did not end on
// the SIGTERM the wrapper's death sent it), which would hold the module's
// tty. Ours means: named in state.json (pppd_pid) or in a pppd pidfile
// under root, and running `pppd call PEER`; a pppd of another peer is
// never touched.
func endLeftovers(root, peer string, log *logging.Logger) {
	for _, pid := range leftoverCandidates(root) {
		endLeftover(pid, peer, log)
	}
}

// leftoverCandidates are the pids that may be a pppd of ours.
func leftoverCandidates(root string) []int {
	var pids []int
	seen := map[int]bool{}
	add := func(pid int) {
		if pid > 0 && pid != os.Getpid() && !seen[pid] {
			seen[pid] = true
			pids = append(pids, pid)
		}
	}
	if s, err := runstate.ReadState(root); err == nil {
		add(s.PPPDPID)
	}
	for _, pat := range runstate.PPPDPidfiles(root, "*") {
		files, _ := filepath.Glob(pat)
		for _, f := range files {
			if pid, ok := runstate.ReadPid(f); ok {
				add(pid)
			}
		}
	}
	return pids
}

// endLeftover ends pid if it is a pppd that runs our peer: SIGTERM, then
// SIGKILL to it and its process group after LeftoverWait. The
// runstate.Process keeps the signals on that process even if the pid is
// reused meanwhile.
func endLeftover(pid int, peer string, log *logging.Logger) {
	p, err := runstate.Open(pid)
	if err != nil {
		return // gone
	}
	defer p.Close()
	if !runstate.IsProgram(pid, "pppd") || !callsPeer(pid, peer) {
		return
	}
	ownGroup := pgid(pid) == pid
	// The checks were of the process held only if it is still alive when
	// SIGTERM reaches it.
	cmdline := cmdlineText(pid)
	killed, err := p.Stop(LeftoverWait, LeftoverWait, func() {
		log.Warnf("a pppd of ours (pid %d, %s) is still running, left by an earlier ppp_wrapper: ending it (SIGTERM)", pid, cmdline)
	})
	if err != nil {
		return
	}
	if killed {
		log.Warnf("pppd (pid %d) did not end within %v of SIGTERM: killed it", pid, LeftoverWait)
	}
	if ownGroup {
		// What is left of its group (chat, the connect script).
		unix.Kill(-pid, unix.SIGKILL)
	}
}

// callsPeer reports whether pid's command line has `call PEER`.
func callsPeer(pid int, peer string) bool {
	args := runstate.Cmdline(pid)
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "call" && args[i+1] == peer {
			return true
		}
	}
	return false
}

func cmdlineText(pid int) string {
	args := runstate.Cmdline(pid)
	if len(args) > 0 {
		args[0] = filepath.Base(args[0])
	}
	return strings.Join(args, " ")
}

// pgid is pid's process group (0 when unknown).
func pgid(pid int) int {
	g, err := unix.Getpgid(pid)
	if err != nil {
		return 0
	}
	return g
}
