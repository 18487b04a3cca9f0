# 5. RESET_AT with RESET_ALWAYS=1: at that minute the wrapper disconnects,
# resets the module (its AT reset) and the link comes back. The VM's clock
# is set before the service starts so that the minute is about 55 s away
# (a busy host can take 40 s to boot the world and bring the link up).
# timeout: 300
. "$E2E_VM/lib.sh"
world
date -s "$(date +'%F %H:%M'):05" >/dev/null
at=$(date -d '+1 minute' +%H:%M)
at_epoch=$(date -d "$(date -d '+1 minute' +%F) $at" +%s)
config RESET_AT="$at" RESET_ALWAYS=1
m=$(jmark)
say "scenario 5: clock set to $(date +%T), RESET_AT=$at RESET_ALWAYS=1"
ensure_up
step "the wrapper plans the RESET_AT disconnect" jwait 10 "ppp_wrapper\[[0-9]+\]: next RESET_AT disconnect: [0-9-]+ $at" "$m"
# The disconnect comes at the start of the minute: look 2 s before it.
step "the link stays up until just before $at" wait_for 60 sh -c "[ \$(date +%s) -ge $((at_epoch - 2)) ] || ! ip link show ppp0 >/dev/null 2>&1"
step "it was up until then" link_up
step "forced disconnect at $at" jwait 20 "ppp_wrapper\[[0-9]+\]: RESET_AT $at: forced disconnect" "$m"
late=$(($(date +%s) - at_epoch))
record disconnect_after_minute "$late"
step "within that minute" test "$late" -ge 0 -a "$late" -lt 60
t0=$(now)
step "the session ends as a RESET_AT disconnect" jwait 30 "session 1 ended: RESET_AT $at forced disconnect" "$m"
step "modem_reset runs (RESET_ALWAYS=1)" jwait 15 'ppp_wrapper\[[0-9]+\]: resetting the module' "$m"
step "the module answers its AT reset and is back" jwait 40 'modem_reset\[[0-9]+\]: AT reset: module back on /dev/ttyACM[0-9]+' "$m"
record reset "$(elapsed "$t0")"
step "the simulator counted the AT reset" sh -c "modemsim ctl $MODEM_SOCK stats | grep -q '\"resets\":{\"at\":1,'"
step "ppp0 comes back" wait_for 40 link_up
record recover "$(elapsed "$t0")"
step "a ping through ppp0 reaches the last router" ping_through
step "the next RESET_AT is tomorrow" jwait 15 "next RESET_AT disconnect: $(date -d '+1 day' +%F) $at" "$m"
say "scenario 5: link back after the RESET_AT reset"
