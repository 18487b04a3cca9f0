# 2. The data stream is black-holed (the call stays up, nothing passes):
# the monitor declares the link dead within MONITOR_FAIL x MONITOR_INTERVAL
# + MONITOR_TIMEOUT, the wrapper ends the session, and a new call brings
# the link back within HOLDOFF and a few seconds.
# timeout: 180
. "$E2E_VM/lib.sh"
world
config_once
ensure_up
step "the monitor is watching" jwait 20 'ppp monitor started, PPP I/F: ppp0'
sleep 1

interval=$(config_get MONITOR_INTERVAL) fail=$(config_get MONITOR_FAIL)
timeout=$(config_get MONITOR_TIMEOUT) holdoff=$(config_get HOLDOFF)
retry=$(config_get RETRY)
bound=$((fail * interval + timeout))
# Reconnection: HOLDOFF, chat (about 2 s) and PPP negotiation (3-4 s under
# TCG, both pppds in the VM); with RETRY=1 (make demo) this one failure
# also resets the module first.
rbound=$((holdoff + 10))
[ "$retry" = 1 ] && rbound=$((rbound + 10))
m=$(jmark)
say "scenario 2: black-holing the data stream (modemsim blackhole on)"
t0=$(now)
modem blackhole on >/dev/null
step "the monitor declares the link dead" jwait $((bound + 10)) 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m"
detect=$(elapsed "$t0")
t1=$(now)
record detect "$detect" "$bound"
# The monitor's own timing is checked to the millisecond on the host
# (pkg/pppmonitor's namespace tests); here the time also holds syslogd
# writing the line to the 9p share and the polls that read it back.
step "detected within MONITOR_FAIL x MONITOR_INTERVAL + MONITOR_TIMEOUT (+2 s to see the log line under TCG)" within "$detect" "$((bound + 2))"
step "the wrapper ends the session as a failure" jwait 30 'ppp_wrapper\[[0-9]+\]: session [0-9]+ ended: the monitor found the link dead' "$m"
record teardown "$(elapsed "$t1")"
# pppd's own end ("Exit."), by the log's timestamps: the peer file's
# lcp-max-terminate 1 and lcp-restart 1 give up the unanswerable LCP
# Terminate-Request after a second (pppd's defaults: 2 x 3 s); pppd then
# drops DTR and waits a second more before it exits. The timestamps are
# whole seconds, so a reading of 3 is under 4 s (6-7 s before).
dead_at=$(jsecs 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m")
exit_at=$(jsecs 'pppd\[[0-9]+\]: Exit\.' "$m")
record dead_to_pppd_exit "$((exit_at - dead_at))" 3
step "pppd exited within 3 s of the monitor's verdict (whole-second log timestamps)" test $((exit_at - dead_at)) -ge 0 -a $((exit_at - dead_at)) -le 3
# The fault was in that call; the next one carries data again.
modem blackhole off >/dev/null
say "scenario 2: blackhole off; waiting for the reconnection"
t2=$(now)
step "ppp0 comes back" wait_for $((holdoff + 20)) link_up
recover=$(elapsed "$t2")
record reconnect "$recover" "$rbound"
step "reconnected within $rbound s after the session ended" within "$recover" "$rbound"
step "the new session is up for the wrapper" jwait 15 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
if [ "$retry" -gt 1 ]; then
	step "no modem reset for one failure" sh -c "! tail -n +$((m + 1)) '$JOURNAL' | grep -q 'resetting the module'"
else
	step "RETRY=1: the one failure reset the module" jhas 'resetting the module' "$m"
fi
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 2: link back"
