#!/usr/bin/env bash
# Build the VM's initramfs: busybox (static), the /init script and the
# kernel modules of modules.list with their dependencies, in load order.
# Usage: initramfs.sh KERNEL-TREE KERNEL-VERSION OUTPUT
set -euo pipefail
. "$(dirname "$0")/env.sh"
ktree=$1 kver=$2 out=$3

busybox=/bin/busybox
case $(ldd "$busybox" 2>&1 || true) in
*"not a dynamic"*) ;;
*) die "$busybox is not static (install busybox-static)" ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/bin "$tmp"/dev "$tmp"/proc "$tmp"/sys "$tmp"/newroot "$tmp"/mnt "$tmp"/modules
cp "$busybox" "$tmp/bin/busybox"
cp "$E2E_DIR/init" "$tmp/init"
chmod 0755 "$tmp/init"

# modprobe prints the insmod lines in dependency order; keep the first of
# each module.
mods=$(grep -v '^#' "$E2E_DIR/modules.list" | xargs)
# shellcheck disable=SC2086
modprobe -d "$ktree" -S "$kver" --show-depends -a $mods |
	awk '$1 == "insmod" && !seen[$2]++ { print $2 }' >"$tmp/order.host"
n=0
while read -r ko; do
	n=$((n + 1))
	name=$(printf '%02d-%s' "$n" "$(basename "$ko")")
	cp "$ko" "$tmp/modules/$name"
	echo "$name" >>"$tmp/modules/order"
done <"$tmp/order.host"
rm "$tmp/order.host"

(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
