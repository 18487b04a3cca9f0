#!/usr/bin/env bash
# make demo: boot the VM (real systemd, udev, journald) and play scenarios
# 1 to 3 (vm/demo.sh), printing the journal as it is written: what an
# operator would see with `journalctl -u ppp` on the router, without pppd's
# packet dumps and chat's character-by-character lines. The test's own
# actions are shown as ">>>". It fails when an outcome is wrong (the link
# never came back, no reset, something left running); a step slower than
# make e2e's bound on a busy machine is reported, not failed.
set -euo pipefail
. "$(dirname "$0")/env.sh"
"$E2E_DIR/prepare.sh"
. "$E2E_CACHE/prepared.env"

res=$E2E_CACHE/demo
rm -rf "$res"
mkdir -p "$res"
{
	echo "E2E_STAGE=$E2E_STAGE"
	echo "E2E_DEB=${E2E_DEB:-}"
	echo "E2E_TIMING=report"
} >"$res/env"
: >"$res/timeline.txt"
say "booting the VM (Debian's kernel under qemu/$E2E_ACCEL); the journal follows"
"$E2E_DIR/vm.sh" "$res" vm/demo.sh 420 &
vm=$!
# The journal until the VM is gone.
tail -n +1 -F --pid="$vm" "$res/timeline.txt" 2>/dev/null | "$E2E_DIR/timeline.sh"
rc=0
wait "$vm" || rc=$?
if [ "$rc" -ne 0 ]; then
	echo "$rc" >"$res/status"
	"$E2E_DIR/report.sh" failure "$res"
	exit 1
fi
echo
grep -h '^time ' "$res/script.log" | sed 's/^time /measured: /'
{ grep -h '^slow ' "$res/checks" 2>/dev/null || true; } | sed 's/^slow /slower than make e2e allows: /'
say "done in $(cat "$res/vm-seconds") s (VM boot included); logs in $res"
