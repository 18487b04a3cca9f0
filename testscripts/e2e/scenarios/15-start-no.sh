# 15. START=no: ppp.path starts ppp.service, the wrapper says why it does
# not start the link and exits 0, and the unit stays "active (exited)":
# nothing runs, nothing is started again.
# timeout: 240
. "$E2E_VM/lib.sh"
world
config START=no
m=$(jmark)
say "scenario 15: enabling ppp.path with START=no"
service_start
step "the wrapper says START is not yes" jwait 20 'ppp_wrapper\[[0-9]+\]: START is not yes in /etc/default/ppp: not starting the link' "$m"
step "ppp.service is active (exited)" wait_for 10 sh -c '[ "$(systemctl show -P SubState ppp.service)" = exited ]'
sleep 60
step "still active (exited) a minute later" test "$(unit_prop ppp.service ActiveState)/$(unit_prop ppp.service SubState)" = active/exited
step "started once" test "$(jcount 'systemd\[1\]: Starting ppp.service' "$m")" = 1
step "the wrapper exited 0" test "$(unit_prop ppp.service ExecMainStatus)" = 0
step "ppp.path is still active" systemctl -q is-active ppp.path
step "no pppd" no_process -f '^pppd call'
step "no ppp_wrapper" no_process -x ppp_wrapper
step "systemctl status ppp says why" sh -c 'systemctl status --no-pager ppp.service | grep -q "START is not yes"'
say "scenario 15: inactive by configuration, nothing restarted"
