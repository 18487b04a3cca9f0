#!/usr/bin/env bash
# Prints the accelerator for the VMs: E2E_ACCEL when set, else kvm when
# /dev/kvm works here (a probe boot that must finish within 20 s; the
# answer is cached per host kernel, since KVM can hang under nested
# virtualisation), else tcg.
set -euo pipefail
. "$(dirname "$0")/env.sh"
if [ -n "${E2E_ACCEL:-}" ]; then
	echo "$E2E_ACCEL"
	exit 0
fi
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi
cached=$E2E_CACHE/accel.$(uname -r)
if [ ! -s "$cached" ]; then
	say "probing KVM (at most 20 s)"
	probe=$(mktemp -d "$E2E_CACHE/probe.XXXXXX")
	if E2E_ACCEL=kvm "$E2E_DIR/vm.sh" "$probe" vm/probe.sh 20 >/dev/null 2>&1; then
		echo kvm >"$cached"
	else
		echo tcg >"$cached"
	fi
	rm -rf "$probe"
fi
cat "$cached"
