// Package testscripts runs the suite's command-line tests: every
// testdata/*.txtar is a testscript that calls the real tools (registered
// with testscript.Main, so they are also on $PATH for shell hooks) with
// --root inside $WORK, and checks their output, files and exit codes.
//
// Custom commands:
//
//	status N CMD ARGS...      run CMD and require exit status N
//	fakeusb ROOT DEV VID:PID DRIVER IFACE=TTY...
//	                          make a fake sysfs USB device under ROOT
//	fileinfo FILE...          print mode, inode and mtime of each file, to
//	                          check that a second run touched nothing
//	waitfor [-t SECONDS] FILE REGEXP
//	                          wait until FILE matches REGEXP
//	signal SIG PIDFILE        send SIG to the process in PIDFILE
//	running [-t SECONDS] N FILE REGEXP
//	                          wait until exactly N of the pids that
//	                          REGEXP's first group finds in FILE are alive
//
// Whatever a script leaves running (a process with its $WORK in the
// environment) is killed with SIGKILL when the script ends.
//
// Run with -update to rewrite the golden sections from what the tools
// produce.
package testscripts
