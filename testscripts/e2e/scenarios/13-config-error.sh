# 13. A configuration error under systemd: gen_pppconfig's ExecCondition=
# finds it, names the file, line and key, and the unit is not started in a
# loop: the starts over two minutes are counted from systemd's own lines.
# Then the file is fixed, `systemctl reset-failed ppp.path ppp.service` and
# `systemctl start ppp.path`, as the README says, and the link comes up.
# timeout: 300
. "$E2E_VM/lib.sh"
world
config HOLDOFF=soon
m=$(jmark)
say "scenario 13: enabling ppp.path with HOLDOFF=soon in /etc/default/ppp"
service_start
step "gen_pppconfig names the file, the line and the key" jwait 20 'gen_pppconfig\[[0-9]+\]: /etc/default/ppp:[0-9]+: HOLDOFF=soon: accepted: ' "$m"
sleep 60
starts1=$(jcount 'systemd\[1\]: Starting ppp.service' "$m")
sleep 60
starts=$(jcount 'systemd\[1\]: Starting ppp.service' "$m")
record starts_in_2min "$starts" 5
echo "after two minutes: ppp.service $(unit_prop ppp.service ActiveState)/$(unit_prop ppp.service Result), ppp.path $(unit_prop ppp.path ActiveState)/$(unit_prop ppp.path Result)"
step "started at most StartLimitBurst (5) times in two minutes" test "$starts" -ge 1 -a "$starts" -le 5
step "no start in the second minute" test "$starts1" = "$starts"
step "the wrapper never ran" jnone 'ppp_wrapper\[[0-9]+\]:' "$m"
step "pppd never ran" jnone 'pppd\[[0-9]+\]:' "$m"
step "ppp.service is not running" sh -c '! systemctl -q is-active ppp.service'
step "ppp.path gave up: unit-start-limit-hit" test "$(unit_prop ppp.path Result)" = unit-start-limit-hit
config
say "scenario 13: fixed the file; reset-failed and start ppp.path"
m2=$(jmark)
systemctl reset-failed ppp.path ppp.service
systemctl start ppp.path
step "ppp.path started ppp.service" jwait 20 'systemd\[1\]: Started ppp.service' "$m2"
step "ppp0 comes up" wait_for 60 link_up
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 13: up after the fix"
