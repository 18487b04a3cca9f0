// Package runstate holds what the running tools leave in /run/pppkeep
// (under --root), pidfiles and the wrapper's state.json (docs/design.md §7),
// and everything the tools do with another process: its pidfile's name,
// whether it is alive and which program it runs, signalling it and
// waiting for it to end.
//
// The pidfile names are made here alone: WrapperPidfile, and
// MonitorPidfile for the monitor of each interface, which Monitors finds
// again.
//
// A pidfile is trusted only when its process is alive and its
// /proc/PID/comm names the expected program (IsProgram; a zombie is not
// alive): after a crash or a reboot the number may belong to anything, so
// a stale pidfile is replaced, never obeyed. /proc is the host's own even
// under --root, since the processes are real.
//
// Claim makes a process the one holder of a pidfile: an exclusive
// flock(2), held for the process's life, decides (the file's content is
// for readers only), so two tools started at once cannot both win, and a
// holder killed with SIGKILL leaves no claim behind.
//
// Process is another process we signal and wait for, by pidfd, so that a
// signal never reaches a process that took its pid over. The wrapper's own
// children are not Processes: it starts and reaps them itself.
package runstate
