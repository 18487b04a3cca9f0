# 17. The wrapper wedges (SIGSTOP): it stops sending WATCHDOG=1, and systemd
# kills and restarts it within WatchdogSec (30 s) + RestartSec (20 s); the
# link comes back with one pppd.
# timeout: 300
. "$E2E_VM/lib.sh"
world
config
ensure_up
old=$(wrapper_pid)
step "the wrapper has a watchdog" test "$(unit_prop ppp.service WatchdogUSec)" = 30s
m=$(jmark)
say "scenario 17: SIGSTOP to ppp_wrapper (pid $old)"
kill -STOP "$old"
step "systemd's watchdog fires" jwait 40 'systemd\[1\]: ppp.service: Watchdog timeout' "$m"
step "systemd restarts the service" jwait 40 'systemd\[1\]: ppp.service: Scheduled restart job' "$m"
stopped=$(jsecs 'e2e\[[0-9]+\]: scenario 17: SIGSTOP' "$m")
fired=$(jsecs 'systemd\[1\]: ppp.service: Watchdog timeout' "$m")
restarted=$(jsecs 'systemd\[1\]: ppp.service: Scheduled restart job' "$m")
record stop_to_watchdog "$(span "$stopped" "$fired")" 30
record stop_to_restart "$(span "$stopped" "$restarted")" 51
timed "the watchdog fired within WatchdogSec (30 s)" 0 "$(span "$stopped" "$fired")" 30.5
timed "restarted within WatchdogSec + RestartSec (+1 s)" 20 "$(span "$stopped" "$restarted")" 51
step "ppp0 comes back" wait_for 60 link_up
new=$(wrapper_pid)
step "a new wrapper runs" test -n "$new" -a "$new" != "$old"
sleep 3
step "one pppd" test "$(pgrep -fc '^pppd call ppp0')" = 1
step "one wrapper" test "$(pgrep -xc ppp_wrapper)" = 1
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 17: the watchdog restarted a stopped wrapper"
