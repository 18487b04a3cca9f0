# 16. The module is unplugged for longer than the wrapper waits for its tty
# (a minute here: max(60 s, 2 x RESET_WAIT)), then plugged in again. The
# wrapper resets it at the deadline and recovers once it is back; ppp.path,
# which sees /dev/serial/by-id empty and full again, starts no second
# instance.
# timeout: 330
. "$E2E_VM/lib.sh"
world
config
ensure_up
pid=$(wrapper_pid)
m=$(jmark)
say "scenario 16: unplugging the module for 75 s"
gadget_unplug
step "the session ends" jwait 20 'ppp_wrapper\[[0-9]+\]: session 1 ended' "$m"
step "the wrapper waits for the module's tty" jwait 20 "ppp_wrapper\[[0-9]+\]: waiting for the module's tty" "$m"
step "/dev/serial/by-id is empty" wait_for 10 sh -c '! ls /dev/serial/by-id/ 2>/dev/null | grep -q .'
step "after a minute the wrapper resets the module" jwait 70 "ppp_wrapper\[[0-9]+\]: resetting the module \(the module's tty has been missing for 1m0s\)" "$m"
waited=$(span "$(jsecs "waiting for the module's tty" "$m")" "$(jsecs "the module's tty has been missing for" "$m")")
record tty_wait "$waited" 61
# The wait starts when the wrapper first looks for the tty; its line comes
# once that look has failed, a moment later (0.1 s under TCG).
timed "the wait was a minute (59.5-61 s by the log)" 59.5 "$waited" 61
sleep 5 # the reset runs with no module to find
say "scenario 16: plugging the module in again"
gadget_plug
step "ppp0 comes back" wait_for 90 link_up
step "the wrapper saw the link up" jwait 20 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
step "the same wrapper ran throughout" test "$(wrapper_pid)" = "$pid"
step "ppp.path started no second instance" test "$(jcount 'systemd\[1\]: Starting ppp.service' "$m")" = 0
step "one pppd" test "$(pgrep -fc '^pppd call ppp0')" = 1
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 16: back after the long unplug"
