# make demo: scenarios 1 to 3 in one boot, as an operator would live them:
# cold start, a black-holed link, a hung module. RETRY=1 here, so that the
# hung module is reset after its first failed session (scenario 3 alone
# waits for RETRY=2, one redial's 45 s chat timeout).
. "$E2E_VM/lib.sh"
world
config RETRY=1
for s in 1-cold-start 2-blackhole 3-hung-module; do
	# shellcheck disable=SC1090
	. "$E2E_VM/../scenarios/$s.sh"
	echo "-- $s done"
done
