#!/bin/bash
# PID 1 of the VM once on the host's root: mount what the tests need, start
# a syslog daemon writing to the results share, run the script given, save
# its exit status and power off.
# Usage (from init): stage2.sh SCRIPT
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C TERM=dumb
E2E_VM=$(cd "$(dirname "$0")" && pwd)
export E2E_VM E2E_RESULTS=/run/e2e
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

ln -s /proc/self/fd /dev/fd
ln -s fd/0 /dev/stdin && ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr
mkdir -p /dev/pts && mount -t devpts -o gid=5,mode=0620,ptmxmode=0666 devpts /dev/pts
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
mount -t configfs configfs /sys/kernel/config
hostname e2e
ip link set lo up

# The journal: every syslog line (the tools, pppd, chat, the hooks).
busybox syslogd -O "$E2E_RESULTS/messages"

echo "stage2: $(cut -d' ' -f1 /proc/uptime) s: running ${script#"$E2E_VM"/../}"
bash "$script" >"$E2E_RESULTS/script.log" 2>&1 &
pid=$!
# PID 1 reaps every orphan; the script's own status is kept.
while :; do
	wait "$pid"
	rc=$?
	kill -0 "$pid" 2>/dev/null || break
done
echo "$rc" >"$E2E_RESULTS/exit"
echo "stage2: $(cut -d' ' -f1 /proc/uptime) s: script exited $rc; powering off"
sync
busybox poweroff -f
