# The suite as the Debian package installs it (E2E_DEB, built by make
# deb), or else as `make install` does (E2E_STAGE, installed with
# DESTDIR=... on the host), run by the VM's systemd (sourced by the VM
# scripts). The VM's root is an overlay in RAM: dpkg -i is as on a router.

# suite_install: install the suite (tools, hooks, units, the sample
# /etc/default/ppp) and tell systemd about the units.
suite_install() {
	if [ -n "${E2E_DEB:-}" ]; then
		dpkg-query -W -f='${Status}' pppkeep 2>/dev/null | grep -q 'ok installed' && return 0
		local t0
		t0=$(now)
		dpkg -i "$E2E_DEB" >/dev/null || return
		echo "dpkg -i took $(elapsed "$t0") s"
		return
	fi
	[ -x /usr/local/sbin/ppp_wrapper ] && return 0 # installed at boot (boot.sh)
	cp -a "$E2E_STAGE/usr/." /usr/
	cp -a "$E2E_STAGE/etc/." /etc/
	systemctl daemon-reload
}

# suite_config FILE: the scenario's /etc/default/ppp.
suite_config() {
	cp "$1" /etc/default/ppp
}

# service_start: what an operator does: `systemctl enable --now ppp.path`
# the first time (ppp.path then starts ppp.service, the module being
# there), `systemctl start ppp` after a stop.
service_start() {
	if ! systemctl -q is-enabled ppp.path 2>/dev/null; then
		systemctl enable --now ppp.path
	else
		systemctl start ppp.path ppp.service
	fi
}

# service_stop: `systemctl stop ppp.path ppp.service`, as the README says.
# Fails when the stop took longer than TimeoutStopSec (the wrapper had to
# be killed). WRAPPER_STATUS is the wrapper's exit status as systemd saw it.
service_stop() {
	local pid
	pid=$(wrapper_pid)
	systemctl stop ppp.path ppp.service || return 1
	jsync
	# shellcheck disable=SC2034 # read by the scenarios
	WRAPPER_STATUS=$(systemctl show -P ExecMainStatus ppp.service)
	[ "$(systemctl show -P Result ppp.service)" = success ] && [ -n "$pid" ]
}

# wrapper_pid: the main process of ppp.service, if it runs.
wrapper_pid() {
	local pid
	pid=$(systemctl show -P MainPID ppp.service)
	[ -n "$pid" ] && [ "$pid" != 0 ] && echo "$pid"
}

# unit_prop UNIT PROPERTY: one property as systemctl shows it.
unit_prop() {
	systemctl show -P "$2" "$1"
}
