# The simulated modem on the gadget's tty, and the ISP behind it (sourced
# by the VM scripts).

MODEM_SOCK=/run/modemsim.sock
MODEM_LOG=$E2E_RESULTS/modemsim.log

# isp_config AUTH ACCOUNT PASSWORD: what the ISP's pppd accepts (AUTH is
# CHAP, PAP or NOAUTH).
isp_config() {
	local auth=$1 account=$2 password=$3
	mkdir -p /run/isp
	: >/run/isp/options
	printf '"%s" * "%s" *\n' "$account" "$password" >/run/isp/chap-secrets
	cp /run/isp/chap-secrets /run/isp/pap-secrets
	chmod 0600 /run/isp/chap-secrets /run/isp/pap-secrets
	{
		echo "name isp"
		echo "$NET_ISP:$NET_LOCAL"
		case $auth in
		CHAP) echo "auth"; echo "require-chap" ;;
		PAP) echo "auth"; echo "require-pap" ;;
		*) echo "noauth" ;;
		esac
		echo "ms-dns $NET_DEST"
		echo "nodefaultroute"
		echo "lcp-echo-interval 0"
		echo "debug"
	} >/run/isp/call
}

# modem_start MODEL: serve /dev/ttyGS0 as MODEL; each call goes to the
# ISP's pppd in the isp namespace.
modem_start() {
	modemsim serve --model "$1" --tty /dev/ttyGS0 --control "$MODEM_SOCK" \
		--log "$MODEM_LOG" -- ip netns exec isp "$E2E_VM/isp-pppd.sh" &
	# shellcheck disable=SC2034 # read by the scenarios
	MODEM_PID=$!
	modemsim ctl --wait 10s "$MODEM_SOCK" stats >/dev/null
}

# modem CMD...: a control command to the simulated modem.
modem() {
	modemsim ctl "$MODEM_SOCK" "$@"
}
