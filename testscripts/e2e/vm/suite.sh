# The suite as `make install` installs it, started as ppp.service starts it
# (sourced by the VM scripts). E2E_STAGE is `make install DESTDIR=...` done
# on the host.

# suite_install: copy the installed tree into the VM's writable places.
suite_install() {
	cp -a "$E2E_STAGE/usr/local/sbin/." /usr/local/sbin/
	cp -a "$E2E_STAGE/etc/ppp/ip-up.d/." /etc/ppp/ip-up.d/
	cp -a "$E2E_STAGE/etc/ppp/ip-down.d/." /etc/ppp/ip-down.d/
	cp "$E2E_STAGE/etc/default/ppp" /etc/default/ppp
}

# suite_config FILE: the scenario's /etc/default/ppp.
suite_config() {
	cp "$1" /etc/default/ppp
}

# unit_lines KEY: the command lines of KEY= in the installed ppp.service,
# with systemd's $$ unescaped.
unit_lines() {
	sed -n "s/^$1=//p" "$E2E_STAGE/etc/systemd/system/ppp.service" | sed 's/\$\$/$/g'
}

# service_start: what systemd does for `systemctl start ppp`: the
# ExecCondition= and ExecStartPre= lines, then ExecStart= in the
# background (its stdout and stderr to service.out, as systemd would pass
# them to the journal). WRAPPER_PID is the main process.
service_start() {
	local line
	while read -r line; do
		sh -c "$line" || { echo "service: ExecCondition failed: $line"; return 1; }
	done < <(unit_lines ExecCondition)
	while read -r line; do
		sh -c "$line" || { echo "service: ExecStartPre failed: $line"; return 1; }
	done < <(unit_lines ExecStartPre)
	line=$(unit_lines ExecStart)
	# shellcheck disable=SC2086
	setsid $line >>"$E2E_RESULTS/service.out" 2>&1 </dev/null &
	WRAPPER_PID=$!
}

# service_stop: what systemd does for `systemctl stop ppp` (KillMode=mixed):
# SIGTERM to the main process only, then wait up to TimeoutStopSec (30 s).
# WRAPPER_STATUS is its exit status; fails if it had to be killed.
service_stop() {
	WRAPPER_STATUS=
	kill -TERM "$WRAPPER_PID" 2>/dev/null || return 0
	local _
	for _ in $(seq 300); do
		if ! kill -0 "$WRAPPER_PID" 2>/dev/null; then
			wait "$WRAPPER_PID" 2>/dev/null
			# shellcheck disable=SC2034 # read by the scenarios
			WRAPPER_STATUS=$?
			return 0
		fi
		sleep 0.1
	done
	kill -KILL "$WRAPPER_PID"
	return 1
}
