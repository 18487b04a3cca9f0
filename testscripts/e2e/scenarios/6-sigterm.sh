# 6. Stop: `systemctl stop ppp.path ppp.service` (KillMode=mixed: SIGTERM
# to the wrapper only): pppd sends LCP TermReq, the ip-down hook ends the
# monitor, the unit stops within TimeoutStopSec with nothing killed,
# nothing of ours is left running and the pidfiles are gone.
# timeout: 240
. "$E2E_VM/lib.sh"
world
config
ensure_up
step "the monitor is watching" jwait 20 'ppp monitor started, PPP I/F: ppp0'
step "the pidfiles are there while it runs" test -s /run/pppkeep/ppp_wrapper.pid -a -s /run/pppkeep/ppp_monitor.ppp0.pid -a -s /run/ppp0.pid
m=$(jmark)
say "scenario 6: systemctl stop ppp.path ppp.service"
step "the unit stops by itself (no SIGKILL needed)" service_stop
stopping=$(jsecs 'systemd\[1\]: Stopping ppp.service' "$m")
stopped=$(jsecs 'systemd\[1\]: Stopped ppp.service' "$m")
record stop "$(span "$stopping" "$stopped")" 30
timed "stopped within TimeoutStopSec (30 s), by systemd's timestamps" 0 "$(span "$stopping" "$stopped")" 30
step "systemd killed nothing" jnone 'systemd\[1\]: ppp.service: (Killing process|State .stop-sigterm. timed out)' "$m"
step "the wrapper exited 0" test "$WRAPPER_STATUS" = 0
step "both units are inactive" test "$(systemctl is-active ppp.path ppp.service | sort -u)" = inactive
step "pppd sent LCP TermReq" jhas 'pppd\[[0-9]+\]: sent \[LCP TermReq id=0x[0-9a-f]+ "User request"\]' "$m"
step "the ISP's pppd received it" grep -q 'rcvd \[LCP TermReq id=0x[0-9a-f]* "User request"\]' "$MODEM_LOG"
step "the ip-down hook stopped the monitor" jhas 'ip-down\[[0-9]+\]: Terminate PPP monitor\.' "$m"
# The monitor ends on the hook's SIGTERM, or a moment before it when it sees
# pppd remove ppp0 first.
step "the monitor ended" jhas 'ppp_monitor\[[0-9]+\]: (ppp monitor on ppp0 stopped|ppp0 is gone: its link has ended; ppp monitor stopped)\.' "$m"
step "the wrapper logged its stop" jhas 'ppp_wrapper\[[0-9]+\]: stopped' "$m"
step "no pppd of ours left" no_process -f '^pppd call'
step "no chat left" no_process -x chat
step "no ppp_monitor left" no_process -x ppp_monitor
step "no ppp_wrapper left" no_process -x ppp_wrapper
step "no modem_reset left" no_process -x modem_reset
step "ppp0 is gone" link_down
step "the wrapper's pidfile is gone" test ! -e /run/pppkeep/ppp_wrapper.pid
step "the monitor's pidfile is gone" test ! -e /run/pppkeep/ppp_monitor.ppp0.pid
step "pppd's pidfile is gone" test ! -e /run/ppp0.pid
step "--status says not running" sh -c '! ppp_wrapper --status'
say "scenario 6: stopped cleanly"
