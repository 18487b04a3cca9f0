#!/usr/bin/env bash
# make e2e: the suite on a real kernel. Installs what is missing, builds and
# installs the suite into a staging tree, fetches Debian's kernel, builds
# the initramfs, boots one VM per scenario, and prints a table: scenario,
# pass/fail, the measured times. A failed scenario prints its VM console,
# its journal and the simulator's log. Exit status 1 if any failed.
# Usage: run.sh [SCENARIO...]   (names as in scenarios/, without .sh;
#                                default: all)
set -euo pipefail
. "$(dirname "$0")/env.sh"

if [ $# -gt 0 ]; then
	scenarios=("$@")
else
	scenarios=()
	for f in "$E2E_DIR"/scenarios/*.sh; do
		scenarios+=("$(basename "$f" .sh)")
	done
fi
for s in "${scenarios[@]}"; do
	[ -f "$E2E_DIR/scenarios/$s.sh" ] || die "no scenario $s (see $E2E_DIR/scenarios)"
done

"$E2E_DIR/prepare.sh"
. "$E2E_CACHE/prepared.env"

run=$E2E_CACHE/results
rm -rf "$run"
mkdir -p "$run"
say "results in $run"
failed=()
BOOT_ALLOWANCE=120
for s in "${scenarios[@]}"; do
	res=$run/$s
	mkdir -p "$res"
	{
		echo "E2E_STAGE=$E2E_STAGE"
		echo "E2E_DEB=${E2E_DEB:-}"
	} >"$res/env"
	# A scenario's "# timeout:" is for its own steps; the VM's boot and the
	# world's dpkg -i over 9p come on top: up to 40 and 70 s beside two
	# CPU hogs, less on an idle machine.
	limit=$(sed -n 's/^# timeout: *\([0-9]*\).*/\1/p' "$E2E_DIR/scenarios/$s.sh")
	limit=$((${limit:-240} + BOOT_ALLOWANCE))
	say "$s ..."
	rc=0
	"$E2E_DIR/vm.sh" "$res" "scenarios/$s.sh" "$limit" || rc=$?
	echo "$rc" >"$res/status"
	if [ "$rc" -ne 0 ]; then
		failed+=("$s")
		"$E2E_DIR/report.sh" failure "$res"
	fi
done
"$E2E_DIR/report.sh" table "$run" "${scenarios[@]}"
if [ ${#failed[@]} -gt 0 ]; then
	say "FAILED: ${failed[*]}"
	exit 1
fi
