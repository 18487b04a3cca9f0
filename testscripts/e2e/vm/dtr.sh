# The modem's DTR line (sourced by the VM scripts). A real module hangs up
# the call when the host drops DTR, which pppd does when it closes the tty;
# that is what lets the next dial find the module in command mode. The
# kernel's ACM gadget does not pass DTR on to the gadget's tty (see the
# FIXME at USB_CDC_REQ_SET_CONTROL_LINE_STATE in f_acm.c), so the harness
# plays that wire: when the last process closes the host side's tty during
# a call, the simulated modem is told to hang up.

# host_tty_open TTY: some process has /dev/TTY open.
host_tty_open() {
	[ -n "$(tty_holders "$1")" ]
}

# tty_holders TTY: the pids that have /dev/TTY open, one a line.
tty_holders() {
	find /proc/[0-9]*/fd -lname "/dev/$1" 2>/dev/null | cut -d/ -f3 | sort -u
}

# dtr_watch: runs until the VM powers off (started by world). DTR drops on
# the last close of the tty, and when pppd ends: pppd lowers DTR itself as
# it closes the tty, even if another process (modem_reset) has it open by
# then. (chat closing pppd's descriptor that it inherited drops nothing.)
dtr_watch() {
	local t before='' now gone pid
	local -A comm=()
	while :; do
		now=
		t=$(host_tty) && now=$(tty_holders "$t")
		gone=no
		if [ -n "$before" ]; then
			[ -z "$now" ] && gone=yes
			for pid in $(comm -23 <(echo "$before") <(echo "$now")); do
				[ "${comm[$pid]:-}" = pppd ] && gone=yes
			done
		fi
		if [ "$gone" = yes ] && modemsim ctl "$MODEM_SOCK" stats 2>/dev/null | grep -q '"state":"in-call"'; then
			echo "$(date +%T.%3N) e2e: the host dropped DTR on /dev/$t: the module hangs up" >>"$MODEM_LOG"
			modemsim ctl "$MODEM_SOCK" hangup >/dev/null 2>&1
		fi
		comm=()
		for pid in $now; do
			read -r "comm[$pid]" <"/proc/$pid/comm" 2>/dev/null
		done
		before=$now
		sleep 0.1
	done
}
