# 1. Cold start: the service starts, gen_pppconfig writes the files, the
# wrapper dials with real chat and pppd, ppp0 comes up, the ip-up hook
# starts the monitor, which pings through ppp0 and tells the wrapper, and
# the wrapper writes CONNECT_OK=1.
. "$E2E_VM/lib.sh"
world
config_once
m=$(jmark)
say "scenario 1: starting ppp.service (cold start)"
t0=$(now)
service_start
step "ppp.path started ppp.service" wait_for 20 jhas "systemd\\[1\\]: Started ppp.service" "$m"
step "gen_pppconfig wrote the peers file and chat script" test -s /etc/ppp/peers/ppp0 -a -s /etc/chatscripts/ppp0
step "ppp0 comes up" wait_for 40 link_up
record connect "$(elapsed "$t0")"
step "chat dialed the module" jhas 'chat\[[0-9]+\]: send \(ATD' "$m"
step "the ip-up hook ran" jwait 10 'ip-up\[[0-9]+\]: Execute PPP monitor\.' "$m"
step "the monitor runs" wait_for 10 pgrep -x ppp_monitor
step "the monitor found its target" jwait 10 'ppp monitor started, PPP I/F: ppp0, TARGET: ' "$m"
record monitor "$(elapsed "$t0")"
step "the wrapper heard the link is up" jwait 10 'ppp_wrapper\[[0-9]+\]: session 1: link up' "$m"
step "CONNECT_OK=1 written" wait_for 10 grep -q '^CONNECT_OK=1$' /etc/default/ppp
record connect_ok "$(elapsed "$t0")"
step "a ping through ppp0 reaches the last router" ping_through
step "the wrapper's status says up" sh -c 'ppp_wrapper --status | grep -q "phase: *up"'
say "scenario 1: link up, monitored, CONNECT_OK=1"
