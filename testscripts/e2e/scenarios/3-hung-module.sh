# 3. The module hangs (no AT answers, no data): the monitor drops the link,
# the pre-dial check of each redial gets no answer to AT, and after RETRY
# silent checks (seconds, not chat's 45 s each) the wrapper runs
# modem_reset, whose USB re-enumeration (a real one, through the device's
# authorized file) revives the module; the link comes back.
# timeout: 300
. "$E2E_VM/lib.sh"
world
config_once
ensure_up
step "the monitor is watching" jwait 20 'ppp monitor started, PPP I/F: ppp0'
retry=$(config_get RETRY)
resets() { modemsim ctl "$MODEM_SOCK" stats | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
at0=$(resets at) usb0=$(resets usb)
m=$(jmark)
say "scenario 3: the module hangs (modemsim hung on)"
t0=$(now)
modem hung on >/dev/null
step "the monitor declares the link dead" jwait 20 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m"
record detect "$(elapsed "$t0")"
step "the dead link counts as a link failure" jwait 30 "session [0-9]+ ended: the monitor found the link dead .*: [0-9]+ of $retry failures.*\(class: link\)" "$m"
if jhas "session [0-9]+ ended: the monitor found the link dead .*: $retry of $retry failures: resetting the module" "$m"; then
	# In make demo, after scenario 2: no lasting link followed that dead
	# link, so this is the RETRY-th link failure in a row, and the reset
	# comes at once.
	echo "the link's failure $retry of $retry: reset without a pre-dial check"
	first=$(jsecs 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m")
	reset_at=$(jsecs "the monitor found the link dead .*: $retry of $retry failures: resetting the module" "$m")
else
	# Before the redial the wrapper asks the module: no answer to AT
	# within seconds (no 45 s chat wait), a module failure each time;
	# after RETRY of them, the reset.
	step "the pre-dial check finds the module silent" jwait 30 "session [0-9]+: the module does not answer \(pre-dial check: .*\), no pppd started: 1 of $retry failures" "$m"
	step "after $retry silent checks: reset" \
		jwait 60 "session [0-9]+: the module does not answer \(pre-dial check: .*\), no pppd started: $retry of $retry failures: resetting the module" "$m"
	# From the log's own timestamps: the first failed check to the reset.
	first=$(jsecs "the module does not answer \(pre-dial check" "$m")
	reset_at=$(jsecs "no pppd started: $retry of $retry failures: resetting the module" "$m")
fi
record check_to_reset "$(span "$first" "$reset_at")" 30
timed "the first reset comes within 30 s of the first failed check (log timestamps)" 0 "$(span "$first" "$reset_at")" 30
record to_reset "$(elapsed "$t0")"
t1=$(now)
step "modem_reset runs" jwait 10 'modem_reset\[[0-9]+\]: resetting LISA-U200' "$m"
step "the AT step gets no answer" jwait 10 'modem_reset\[[0-9]+\]: AT reset failed: the module does not answer AT' "$m"
step "the USB step re-enumerates the device" jwait 10 'modem_reset\[[0-9]+\]: USB re-enumeration: write 0 then 1 to /sys/bus/usb/devices/' "$m"
step "the module is back" jwait 40 'modem_reset\[[0-9]+\]: USB re-enumeration: module back on /dev/ttyACM[0-9]+' "$m"
record reset "$(elapsed "$t1")"
step "the kernel saw the USB device go and come back" sh -c 'dmesg | grep -q "usb 1-1: authorized to connect"'
step "the simulator counted one USB reset, no AT reset" test "$(resets at)" = "$at0" -a "$(resets usb)" = $((usb0 + 1))
step "ppp0 comes back" wait_for 40 link_up
record recover "$(elapsed "$t0")"
step "the wrapper saw the link up" jwait 15 'session [0-9]+: link up' "$m"
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 3: link back after the module reset"
