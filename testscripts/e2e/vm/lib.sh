# The scenarios' vocabulary: source this first in every VM script.
# shellcheck disable=SC1091
set -u
. "$E2E_VM/wait.sh"
. "$E2E_VM/check.sh"
. "$E2E_VM/gadget.sh"
. "$E2E_VM/net.sh"
. "$E2E_VM/modem.sh"
. "$E2E_VM/dtr.sh"
. "$E2E_VM/suite.sh"
. "$E2E_VM/config.sh"

# usb_id MODEL: the gadget's vendor, product and maker for MODEL. Models
# whose USB id is unknown get the Linux Foundation's composite gadget id
# (they are found by their vendor tty name, not by sysfs).
usb_id() {
	case $1 in
	LISA-U200) echo "0x1546 0x1102 u-blox" ;;
	AMM570) echo "0x1ecb 0x0208 AMTelecom" ;;
	LN940A) echo "0x1bc7 0x1901 Telit" ;;
	AMP520) echo "0x1ecb 0x0202 AMTelecom" ;;
	*) echo "0x1d6b 0x0104 e2e" ;;
	esac
}

# world [MODEL]: the module (default LISA-U200) plugged in and served by
# the simulator, the ISP and its routers, the suite installed. The
# scenario then writes its configuration (config) and starts the service.
# The world is up once per boot (/run/e2e-world-up), in this shell or,
# for a scenario that boots with ppp.path enabled, in e2e-world.service.
world() {
	[ -e /run/e2e-world-up ] && return 0
	local model=${1:-LISA-U200} t0
	t0=$(now)
	# shellcheck disable=SC2046
	gadget_create $(usb_id "$model") "$model"
	gadget_plug
	net_setup
	isp_config CHAP e2e e2e-secret
	suite_install
	step "the $model enumerates as a USB device with a cdc_acm tty" wait_for 10 host_tty
	modem_start "$model"
	dtr_watch </dev/null >/dev/null 2>&1 &
	touch /run/e2e-world-up
	echo "world up in $(elapsed "$t0") s: $model on /dev/$(host_tty), USB $(basename "$(host_usb_dev)")"
}

# world_at_boot SCRIPT: e2e-world.service's part for a scenario that boots with
# ppp.path enabled: its configuration (config_base, or the scenario's
# "# boot config: KEY=VALUE..." line) written first, then the world: the
# module enumerates, udev makes its /dev/serial/by-id link, and ppp.path
# starts ppp.service with no step of ours.
world_at_boot() {
	# shellcheck disable=SC2046 # the words of the line are KEY=VALUE pairs
	config $(sed -n 's/^# boot config: *//p' "$1")
	world LISA-U200
}

# link_up: ppp0 is up with our address.
link_up() {
	ip -4 addr show dev ppp0 2>/dev/null | grep -q "inet $NET_LOCAL "
}

link_down() {
	! link_up
}

# client_pppd: the pid of our pppd (not the ISP's), if one runs.
client_pppd() {
	pgrep -f '^pppd call ppp0' | head -n1
}

no_process() {
	! pgrep "$@" >/dev/null
}

# service_running: ppp.service's main process (the wrapper) runs.
service_running() {
	wrapper_pid >/dev/null
}

# ensure_up: the service runs and the link is up (for scenarios that start
# from a live link, alone or after another one in the same boot).
ensure_up() {
	if ! service_running; then
		service_start
	fi
	step "the link is up" wait_for 40 link_up
}

# ping_through: one echo through ppp0 to the far end of the network.
ping_through() {
	ping -c 1 -W 2 -I ppp0 "$NET_DEST" >/dev/null
}
