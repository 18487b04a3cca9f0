#!/bin/bash
# The scenario under the VM's systemd (e2e.service): follow the journal into
# the results share, run the script given, save its exit status and power
# off. With --world (e2e-world.service, for a scenario that boots with
# ppp.path enabled): bring up the module and the network, and return.
# Usage: stage2.sh [--world] SCRIPT
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C TERM=dumb
E2E_VM=$(cd "$(dirname "$0")" && pwd)
export E2E_VM E2E_RESULTS=/run/e2e
world=no
if [ "$1" = --world ]; then
	world=yes
	shift
fi
script=$1
# run.sh's settings for this boot: E2E_STAGE (the installed tree), ...
# shellcheck disable=SC1091
if [ -f "$E2E_RESULTS/env" ]; then
	set -a
	. "$E2E_RESULTS/env"
	set +a
fi
# The simulated modem and other test tools: not installed, but on PATH.
[ -n "${E2E_STAGE:-}" ] && PATH=$PATH:$E2E_STAGE/tools

if [ "$world" = yes ]; then
	# shellcheck disable=SC1091
	. "$E2E_VM/lib.sh"
	world_at_boot "$script" >"$E2E_RESULTS/world.log" 2>&1
	exit
fi

# The journal, as it is written, with microsecond timestamps: every line
# (the tools, pppd, chat, the hooks, systemd itself); the scenarios read it.
# timeline.txt leaves out debug lines (pppd's packet dumps) for the demo.
journalctl -b -f -n all -o short-precise >"$E2E_RESULTS/messages" 2>&1 &
journalctl -b -f -n all -o short-precise -p info >"$E2E_RESULTS/timeline.txt" 2>&1 &
echo "stage2: $(cut -d' ' -f1 /proc/uptime) s: running ${script#"$E2E_VM"/../}"
bash "$script" >"$E2E_RESULTS/script.log" 2>&1
rc=$?
# What systemd knew at the end, for the report.
systemctl status --no-pager --full ppp.path ppp.service >"$E2E_RESULTS/units.txt" 2>&1
sleep 0.5 # the followers catch up
echo "$rc" >"$E2E_RESULTS/exit"
echo "stage2: $(cut -d' ' -f1 /proc/uptime) s: script exited $rc; powering off"
sync
systemctl poweroff --force --force
