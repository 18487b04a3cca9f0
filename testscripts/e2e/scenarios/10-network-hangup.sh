# 10. The network ends every call right after CONNECT, before any LCP
# exchange (modemsim callend after-connect): the real pppd reports a modem
# hang-up (exit 16), as real networks report a wrong APN or password. The
# wrapper calls it the network's verdict: over five minutes at most one
# module reset, waits that grow, and a verdict in --status that names it.
# timeout: 420
. "$E2E_VM/lib.sh"
world
config HOLDOFF=1 RETRY=3
resets() { modemsim ctl "$MODEM_SOCK" stats | sed -n "s/.*\"resets\":{\"at\":\([0-9]*\),\"usb\":\([0-9]*\),\"power\":\([0-9]*\)}.*/\1 \2 \3/p"; }
modem callend after-connect on >/dev/null
m=$(jmark)
say "scenario 10: the network ends each call after CONNECT"
service_start
step "pppd reports the hang-up (exit 16)" \
	jwait 60 'ppp_wrapper\[[0-9]+\]: session 1 ended: the modem hung up \(pppd exit 16\) before the link came up: the network ended the call, 1 in a row: check APN, ACCOUNT, PASSWORD' "$m"
step "the line names the class" jhas 'session 1 ended: .*\(class: network\)' "$m"
sleep 240
step "status leads with the network's verdict" sh -c 'ppp_wrapper --status | head -n1 | grep -qE "^down [0-9hms]+: the network ends each call before IP \([0-9]+ in a row\): check APN, ACCOUNT, PASSWORD"'
ppp_wrapper --status | head -n1
service_stop
read -r at usb power < <(resets)
n=$((at + usb + power))
dials=$(jcount 'pppd\[[0-9]+\]: pppd [0-9.]+ started by' "$m")
echo "count resets: $n; dials: $dials"
step "at most one module reset in five minutes" test "$n" -le 1
step "fewer than 12 dials in five minutes (one every HOLDOFF would be over 100)" test "$dials" -lt 12
# The waits the wrapper announced grow: each "retrying in X" at least the
# one before.
waits=$(jlines "$m" | sed -n 's/.*the network ended the call, [0-9]* in a row: .*retrying in \([0-9.]*\)s (class: network)$/\1/p' | tr '\n' ' ')
echo "announced waits: $waits"
step "the announced waits grow" awk -v w="$waits" 'BEGIN { n = split(w, a, " "); if (n < 3) exit 1; for (i = 2; i <= n; i++) if (a[i] + 0 < a[i-1] * 1.5) exit 1 }'
# And the dials kept to them, by the log's own timestamps.
e1=$(jsecs 'ppp_wrapper\[[0-9]+\]: .*session 2 ended' "$m")
s3=$(jsecs 'pppd\[[0-9]+\]: pppd [0-9.]+ started by' "$m" 3)
w2=$(echo "$waits" | awk '{ print int($2) }')
record second_wait "$(span "$e1" "$s3")" "$w2"
timed "the second wait was kept (by the log's timestamps)" "$w2" "$(span "$e1" "$s3")" 3600
modem callend after-connect off >/dev/null
say "scenario 10: $dials dials, $n resets in five minutes; waits $waits"
