#!/usr/bin/env bash
# Fetch Debian's kernel (the package linux-image-amd64 depends on) into the
# cache, unpack it there and index its modules. Prints the unpacked tree's
# path and the kernel version. Does nothing when the cache has it already.
set -euo pipefail
. "$(dirname "$0")/env.sh"

mkdir -p "$E2E_CACHE"
if [ -s "$E2E_CACHE/kernel.version" ]; then
	kver=$(cat "$E2E_CACHE/kernel.version")
	if [ -f "$E2E_CACHE/kernel/boot/vmlinuz-$kver" ] && [ -f "$E2E_CACHE/kernel/lib/modules/$kver/modules.dep" ]; then
		echo "$E2E_CACHE/kernel $kver"
		exit 0
	fi
fi

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1)
[ -n "$pkg" ] || die "cannot tell which kernel linux-image-amd64 depends on (run apt-get update)"
kver=${pkg#linux-image-}
say "fetching $pkg into $E2E_CACHE"
tmp=$(mktemp -d "$E2E_CACHE/fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt's sandbox user cannot write into root's cache: download as root.
(cd "$tmp" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null)
rm -rf "$E2E_CACHE/kernel"
dpkg-deb -x "$tmp"/"$pkg"_*.deb "$E2E_CACHE/kernel"
depmod -b "$E2E_CACHE/kernel" "$kver"
echo "$kver" >"$E2E_CACHE/kernel.version"
echo "$E2E_CACHE/kernel $kver"
