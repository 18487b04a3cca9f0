#!/usr/bin/env bash
# Everything a VM boot needs, done once per run: the Debian packages that
# are missing, the suite built and installed into a staging tree (as `make
# install` does), the simulated modem, Debian's kernel and our initramfs,
# and the accelerator. Writes $E2E_CACHE/prepared.env for vm.sh.
set -euo pipefail
. "$(dirname "$0")/env.sh"
mkdir -p "$E2E_CACHE"

# Packages: only what is missing.
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
case $(ldd /bin/busybox 2>&1 || true) in
*"not a dynamic"*) ;;
*) need+=(busybox-static) ;;
esac
command -v depmod >/dev/null || need+=(kmod)
command -v cpio >/dev/null || need+=(cpio)
[ -x /usr/sbin/pppd ] && [ -x /usr/sbin/chat ] || need+=(ppp)
command -v ip >/dev/null || need+=(iproute2)
command -v ping >/dev/null || need+=(iputils-ping)
command -v pgrep >/dev/null || need+=(procps)
# The VM boots the host's systemd, with udev making /dev/serial/by-id.
[ -x /lib/systemd/systemd ] || need+=(systemd)
[ -x /lib/systemd/systemd-udevd ] || need+=(udev)
# Scenario 19 reads the metrics files with the real collector; curl scrapes it.
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)
command -v curl >/dev/null || need+=(curl)
updated=no
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]}"
	apt-get update -qq
	updated=yes
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The suite, as `make install` installs it, plus the test tools.
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
stage=$E2E_CACHE/stage
rm -rf "$stage"
say "building and installing the suite into $stage"
make -s -C "$E2E_REPO" install DESTDIR="$stage" >/dev/null
make -s -C "$E2E_REPO" sim
# The Debian package the VM installs (make deb, for this machine only).
say "building the Debian package"
rm -rf "$E2E_CACHE/deb"
make -s -C "$E2E_REPO" deb DEB_ARCHS=amd64 DEB_OUT="$E2E_CACHE/deb" >/dev/null
deb=$(ls "$E2E_CACHE"/deb/pppkeep_*_amd64.deb)
mkdir -p "$stage/tools"
cp "$E2E_REPO/bin/modemsim" "$stage/tools/"

# The kernel (cached), and the initramfs when its inputs changed.
if ! kernel=$("$E2E_DIR/kernel.sh" 2>/dev/null); then
	[ "$updated" = yes ] || apt-get update -qq
	kernel=$("$E2E_DIR/kernel.sh")
fi
read -r ktree kver <<<"$kernel"
initrd=$E2E_CACHE/initramfs-$kver.gz
if [ ! -s "$initrd" ] || [ "$E2E_DIR/init" -nt "$initrd" ] || [ "$E2E_DIR/modules.list" -nt "$initrd" ] ||
	[ "$E2E_DIR/initramfs.sh" -nt "$initrd" ]; then
	say "building the initramfs"
	"$E2E_DIR/initramfs.sh" "$ktree" "$kver" "$initrd"
fi

cat >"$E2E_CACHE/prepared.env" <<EOV
export E2E_KERNEL=$ktree/boot/vmlinuz-$kver
export E2E_INITRD=$initrd
export E2E_STAGE=$stage
export E2E_DEB=$deb
EOV
. "$E2E_CACHE/prepared.env"
accel=$("$E2E_DIR/accel.sh")
echo "export E2E_ACCEL=$accel" >>"$E2E_CACHE/prepared.env"
say "kernel $kver, accelerator $accel"
