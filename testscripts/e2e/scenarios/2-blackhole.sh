# 2. The data stream is black-holed (the call stays up, nothing passes):
# the monitor declares the link dead within MONITOR_FAIL x MONITOR_INTERVAL
# + MONITOR_TIMEOUT, the wrapper ends the session, and a new call brings
# the link back within HOLDOFF and a few seconds.
# timeout: 240
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
# Reconnection: HOLDOFF, the pre-dial check, chat (about 2 s), PPP
# negotiation (3-4 s under TCG, both pppds in the VM) and the ip-up hook:
# 10 s in an idle VM, 20 s beside two CPU hogs; with RETRY=1 this one
# failure also resets the module first.
rbound=$((holdoff + 20))
[ "$retry" = 1 ] && rbound=$((rbound + 10))
m=$(jmark)
say "scenario 2: black-holing the data stream (modemsim blackhole on)"
modem blackhole on >/dev/null
step "the monitor declares the link dead" jwait $((bound + 10)) 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m"
step "the wrapper ends the session as a failure" jwait 30 'ppp_wrapper\[[0-9]+\]: session [0-9]+ ended: the monitor found the link dead' "$m"
# Every time below is read from the lines' own timestamps: the simulator's
# for the fault, the journal's for what the suite did. The monitor's
# verdict comes at most MONITOR_FAIL x MONITOR_INTERVAL + MONITOR_TIMEOUT
# after the fault (the first lost probe leaves up to one interval after
# it); 1 s more for the monitor's timers under TCG beside busy processes.
blackholed=$(simsecs 'control: blackhole on')
dead_at=$(jsecs 'ppp_monitor\[[0-9]+\]: the link on ppp0 is dead' "$m")
detect=$(span "$blackholed" "$dead_at")
record detect "$detect" "$bound"
timed "detected within MONITOR_FAIL x MONITOR_INTERVAL + MONITOR_TIMEOUT (+1 s)" 0 "$detect" $((bound + 1))
# pppd's own end of the link ("Connection terminated."): the peer file's
# lcp-max-terminate 1 and lcp-restart 1 give up the unanswerable LCP
# Terminate-Request after a second (pppd's defaults: 2 x 3 s); 2 s more
# for the TCG guest beside busy processes (1.9 s in all with two CPU
# hogs). pppd's "Exit." also waits for it to drop DTR (1 s) and for the
# ip-down scripts, Debian's and ours (about 0.5 s in an idle VM, 5 s
# beside two CPU hogs): bound 10 s.
ended_at=$(jsecs 'pppd\[[0-9]+\]: Connection terminated\.' "$m")
exit_at=$(jsecs 'pppd\[[0-9]+\]: Exit\.' "$m")
ended=$(span "$dead_at" "$ended_at")
down=$(span "$dead_at" "$exit_at")
record dead_to_link_ended "$ended" 3
record dead_to_pppd_exit "$down" 10
timed "pppd ended the link within 3 s of the monitor's verdict" 0 "$ended" 3
timed "pppd exited within 10 s of the monitor's verdict" 0 "$down" 10
# The fault was in that call; the next one carries data again.
modem blackhole off >/dev/null
say "scenario 2: blackhole off; waiting for the reconnection"
step "ppp0 comes back" wait_for $((holdoff + 20)) link_up
step "the new session is up for the wrapper" jwait 15 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
recover=$(span "$(jsecs 'ppp_wrapper\[[0-9]+\]: session [0-9]+ ended' "$m")" \
	"$(jsecs 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m")")
record reconnect "$recover" "$rbound"
timed "reconnected within $rbound s after the session ended" 0 "$recover" "$rbound"
if [ "$retry" -gt 1 ]; then
	step "no modem reset for one failure" sh -c "! tail -n +$((m + 1)) '$JOURNAL' | grep -q 'resetting the module'"
else
	step "RETRY=1: the one failure reset the module" jhas 'resetting the module' "$m"
fi
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 2: link back"
