#!/usr/bin/env bash
# Boot the VM once: Debian's kernel, our initramfs, the host's root over 9p
# (read-only) and RESULTS as the writable share. The VM runs SCRIPT (a path
# relative to this directory) and powers off. The console goes to
# RESULTS/console.log, the script's output to RESULTS/script.log, the syslog
# to RESULTS/messages; RESULTS/exit holds the script's exit status.
# Usage: vm.sh RESULTS SCRIPT [TIMEOUT-SECONDS]
# E2E_ACCEL=kvm uses KVM (default tcg); E2E_KERNEL and E2E_INITRD name the
# kernel and initramfs (run.sh sets them).
set -euo pipefail
. "$(dirname "$0")/env.sh"
results=$1 script=$2 limit=${3:-300}
[ -f "$E2E_DIR/$script" ] || die "no such script: $script"
: "${E2E_KERNEL:?}" "${E2E_INITRD:?}"
accel=${E2E_ACCEL:-tcg}
cpu=max
[ "$accel" = kvm ] && cpu=host

mkdir -p "$results"
rm -f "$results/exit" "$results/console.log"
start=$(date +%s.%N)
rc=0
timeout --kill-after=5 "$limit" qemu-system-x86_64 \
	-machine pc,accel="$accel" -cpu "$cpu" -smp 2 -m 1024 \
	-display none -monitor none -serial file:"$results/console.log" \
	-no-reboot -nic none \
	-kernel "$E2E_KERNEL" -initrd "$E2E_INITRD" \
	-append "console=ttyS0,115200 panic=-1 quiet e2e.dir=$E2E_DIR e2e.script=$script" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	-virtfs local,path="$results",mount_tag=results,security_model=none \
	</dev/null || rc=$?
end=$(date +%s.%N)
awk -v a="$end" -v s="$start" 'BEGIN { printf "%.1f\n", a - s }' >"$results/vm-seconds"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	say "the VM did not finish within $limit s"
	exit 124
fi
[ -s "$results/exit" ] || { say "the VM stopped without an exit status (qemu exit $rc)"; exit 125; }
# Every boot: systemd found no ordering cycle among the units. It breaks
# one by dropping a job, and only on the boots where it drops one of ours
# does a scenario notice; the message comes before journald runs, so it
# is on the console.
if grep -q 'ordering cycle' "$results/console.log" "$results/messages" 2>/dev/null; then
	echo "FAIL systemd found no ordering cycle" >>"$results/checks"
	echo "systemd found no ordering cycle" >>"$results/failed"
	exit 1
fi
exit "$(cat "$results/exit")"
