# 8. The automatic monitor target: the first hop (the ISP's end of the
# link) ignores echo, so the monitor picks the next router; when that one
# stops answering echo while the route still works, the monitor moves on
# and the link is not dropped.
# timeout: 240
. "$E2E_VM/lib.sh"
world
echo_ignore isp on
config MONITOR_TARGET=
m=$(jmark)
say "scenario 8: the first hop ($NET_ISP) ignores echo"
ensure_up
step "the automatic target is the next hop, $NET_R1" jwait 20 "ppp_monitor\[[0-9]+\]: ppp monitor started, PPP I/F: ppp0, TARGET: $NET_R1," "$m"
pid=$(client_pppd)
interval=$(config_get MONITOR_INTERVAL) fail=$(config_get MONITOR_FAIL)
m=$(jmark)
say "scenario 8: the target $NET_R1 stops answering echo (it still forwards)"
echo_ignore r1 on
t0=$(now)
step "the monitor finds the route still answers" jwait 20 "ppp_monitor\[[0-9]+\]: ping to $NET_R1 failed \([0-9] of $fail\): .*another host on the route answers: the link is alive" "$m"
record retarget "$(elapsed "$t0")"
# Watch for twice the detection bound and then some.
sleep $((2 * fail * interval + 2))
step "the monitor kept watching" pgrep -x ppp_monitor
step "the link was never declared dead" sh -c "! tail -n +$((m + 1)) '$JOURNAL' | grep -q 'the link on ppp0 is dead'"
step "no session ended" sh -c "! tail -n +$((m + 1)) '$JOURNAL' | grep -q 'session [0-9]* ended'"
step "the same pppd still runs" test "$(client_pppd)" = "$pid"
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 8: no drop while the target was silent"
