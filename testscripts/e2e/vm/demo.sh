# make demo: scenarios 1 to 3 in one boot, as an operator would live them:
# cold start, a black-holed link, a hung module, with the scenarios'
# configuration (RETRY=2). The black-holed link is one failure and is not
# cured by a reset; the hung module fails two pre-dial checks in seconds and
# is reset. (RETRY=1 would reset the module for the black hole already, and
# the reset budget would then hold back the hung module's reset: no link
# lasting 10 minutes followed the first one.)
. "$E2E_VM/lib.sh"
world
config
for s in 1-cold-start 2-blackhole 3-hung-module; do
	# shellcheck disable=SC1090
	. "$E2E_VM/../scenarios/$s.sh"
	echo "-- $s done"
done
# Nothing left over from the faults: one pppd, one monitor, no modem_reset.
step "one pppd runs" test "$(pgrep -fc '^pppd call ppp0')" = 1
step "one monitor runs" test "$(pgrep -xc ppp_monitor)" = 1
step "no modem_reset is left" no_process -x modem_reset
