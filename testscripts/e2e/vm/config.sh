# The scenarios' /etc/default/ppp (sourced by the VM scripts): short times
# so that each fault plays out in seconds, the monitor on, the modem found
# by DEVICE=AUTO. config KEY=VALUE... writes it with those keys changed.

config_base() {
	cat <<EOC
START=yes
PERSIST=1
DEVICE=AUTO
AUTH=CHAP
ACCOUNT=e2e
PASSWORD=e2e-secret
APN=e2e.test
HOLDOFF=2
RETRY=2
RESET_ON_FAIL=1
RESET_ALWAYS=0
RESET_WAIT=20
MONITOR=yes
MONITOR_INTERVAL=2
MONITOR_FAIL=2
MONITOR_TIMEOUT=1
MONITOR_ROUTE_DEST=$NET_DEST
MONITOR_MAX_HOPS=6
EOC
}

config() {
	local kv f=/tmp/e2e-ppp
	config_base >"$f"
	for kv in "$@"; do
		if grep -q "^${kv%%=*}=" "$f"; then
			sed -i "s|^${kv%%=*}=.*|$kv|" "$f"
		else
			echo "$kv" >>"$f"
		fi
	done
	suite_config "$f"
	touch /run/e2e-configured
}

# config_once KEY=VALUE...: config, unless this boot has written one
# already (scenarios played one after another in one boot, as by make demo).
config_once() {
	[ -e /run/e2e-configured ] || config "$@"
}

# config_get KEY: the value in the installed /etc/default/ppp.
config_get() {
	sed -n "s/^$1=//p" /etc/default/ppp | tail -n1
}
