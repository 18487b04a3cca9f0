# 11. No SIM in the module (modemsim sim absent): the pre-dial check finds
# it, no pppd is started and the module is never reset; --status says so.
# Once the SIM is back the link comes up within a minute.
# timeout: 300
. "$E2E_VM/lib.sh"
world
config HOLDOFF=1 RETRY=1
modem sim absent >/dev/null
m=$(jmark)
say "scenario 11: starting with no SIM in the module"
service_start
step "the check names the SIM's state" \
	jwait 30 'ppp_wrapper\[[0-9]+\]: session 1: SIM not inserted.*\(pre-dial check\): no dial and no module reset' "$m"
sleep 45
step "no pppd was started" jnone 'pppd\[[0-9]+\]: pppd [0-9.]+ started by' "$m"
step "no module reset" jnone 'resetting the module|modem_reset\[' "$m"
step "status says: SIM not inserted" sh -c 'ppp_wrapper --status | head -n1 | grep -qE "^down [0-9hms]+: SIM not inserted"'
ppp_wrapper --status | head -n1
modem sim ready >/dev/null
say "scenario 11: the SIM is back"
step "ppp0 comes up" wait_for 90 link_up
step "the wrapper saw the link up" jwait 15 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m"
# From the log's own timestamps: the SIM's return to the wrapper's link up.
back=$(simsecs 'control: sim ready')
up=$(jsecs 'ppp_wrapper\[[0-9]+\]: session [0-9]+: link up' "$m")
record sim_to_link "$(span "$back" "$up")" 60
timed "the link came up within a minute of the SIM's return (log timestamps)" 0 "$(span "$back" "$up")" 60
step "a ping through ppp0 reaches the last router" ping_through
