# 14. ppp_wrapper is killed with SIGKILL (a crash): systemd restarts it after
# RestartSec (20 s), the old pppd does not outlive it, and the new wrapper
# brings the link back with one pppd and one monitor.
# timeout: 300
. "$E2E_VM/lib.sh"
world
config
ensure_up
step "the monitor is watching" jwait 20 'ppp monitor started, PPP I/F: ppp0'
old=$(wrapper_pid) oldpppd=$(client_pppd)
m=$(jmark)
say "scenario 14: kill -9 ppp_wrapper (pid $old; pppd $oldpppd)"
kill -KILL "$old"
step "systemd saw the wrapper killed" jwait 10 'systemd\[1\]: ppp.service: Main process exited, code=killed, status=9/KILL' "$m"
step "the old pppd is gone" wait_for 30 sh -c "! kill -0 $oldpppd 2>/dev/null"
step "systemd restarts the service" jwait 40 'systemd\[1\]: ppp.service: Scheduled restart job' "$m"
# RestartSec, by systemd's own timestamps.
killed=$(jsecs 'systemd\[1\]: ppp.service: Main process exited, code=killed' "$m")
restarted=$(jsecs 'systemd\[1\]: ppp.service: Scheduled restart job' "$m")
record kill_to_restart "$(span "$killed" "$restarted")" 21
timed "restarted after RestartSec=20 (20-21 s)" 20 "$(span "$killed" "$restarted")" 21
step "ppp0 comes back" wait_for 60 link_up
step "the new wrapper saw the link up" jwait 20 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
new=$(wrapper_pid)
step "a new wrapper runs" test -n "$new" -a "$new" != "$old"
sleep 3
step "one pppd" test "$(pgrep -fc '^pppd call ppp0')" = 1
step "one monitor" test "$(pgrep -xc ppp_monitor)" = 1
step "one wrapper" test "$(pgrep -xc ppp_wrapper)" = 1
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 14: restarted and up"
