#!/usr/bin/env bash
# What a run shows.
#   report.sh failure RESULTS          a failed boot's checks, script output,
#                                      VM console, journal, simulator's log,
#                                      the units' state
#   report.sh table RUN SCENARIO...    one line per scenario: result, the
#                                      VM's wall time, the measured times
set -uo pipefail

section() {
	local title=$1 file=$2
	echo "----- $title ($file)"
	if [ -s "$file" ]; then cat "$file"; else echo "(empty)"; fi
}

failure() {
	local res=$1
	echo "===== FAILED: $(basename "$res") (exit $(cat "$res/status" 2>/dev/null || echo '?'))"
	[ -s "$res/failed" ] && echo "failed check: $(cat "$res/failed")"
	section "checks" "$res/checks"
	section "scenario output" "$res/script.log"
	section "VM console" "$res/console.log"
	section "the VM's journal" "$res/messages"
	section "simulated modem and the ISP's pppd" "$res/modemsim.log"
	section "systemctl status ppp.path ppp.service at the end" "$res/units.txt"
	[ -e "$res/world.log" ] && section "e2e-world.service (the world at boot)" "$res/world.log"
	echo "===== end of $(basename "$res")"
}

table() {
	local run=$1 s res result times pass=0 fail=0
	shift
	printf '\n%-22s %-6s %7s  %s\n' scenario result "VM" "measured times"
	for s in "$@"; do
		res=$run/$s
		if [ "$(cat "$res/status" 2>/dev/null)" = 0 ]; then
			result=PASS pass=$((pass + 1))
		else
			result=FAIL fail=$((fail + 1))
		fi
		times=$(paste -sd, "$res/times" 2>/dev/null | sed 's/,/, /g')
		printf '%-22s %-6s %6ss  %s\n' "$s" "$result" "$(cat "$res/vm-seconds" 2>/dev/null || echo '?')" "${times:--}"
	done
	echo
	echo "e2e: $pass passed, $fail failed"
}

"$@"
