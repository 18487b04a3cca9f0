# shellcheck shell=dash
# Run by the initramfs's /init (busybox sh) just before systemd starts:
# prepares the boot on the overlay root. Whatever is written here lands in
# the overlay's RAM layer, never on the host.
#   - a machine id and a host name of the VM's own;
#   - the host image's own services masked (a database server, timers,
#     getty: not ours, and they cost boot time), with the slow static ones
#     listed in masked.list;
#   - e2e.service, which runs the scenario (stage2.sh) once multi-user.target
#     is reached;
#   - for a scenario with "# at boot: ppp.path enabled": the suite installed
#     (dpkg -i, whose postinst enables ppp.path; or the make install tree
#     and systemctl enable) before the boot, as on a router's image, and
#     e2e-world.service, which brings up the module and the
#     network (world) at boot, before ppp.path.
# Usage: boot.sh ROOT HARNESS-DIR SCRIPT
root=$1 dir=$2 script=$3
units=$root/etc/systemd/system
here=$root$dir/vm

echo 0123456789abcdef0123456789abcdef >"$root/etc/machine-id"
echo e2e >"$root/etc/hostname"
# The host image (a container's) forbids maintainer scripts to start or
# stop services (policy-rc.d exits 101); a router does not.
rm -f "$root/usr/sbin/policy-rc.d"
# dpkg -i of the suite would rebuild man-db's index of every man page over
# 9p (its trigger); man finds the pages without it (scenario 18).
rm -f "$root/var/lib/man-db/auto-update"
# /var/lock is /run/lock: systemd-tmpfiles-setup, masked, would make it.
mkdir -p "$root/run/lock" && chmod 1777 "$root/run/lock"

mask() {
	[ -e "$units/$1" ] && [ ! -L "$units/$1" ] && return 0 # our own file
	ln -sfn /dev/null "$units/$1"
}
for w in "$units"/*.wants/*; do
	[ -e "$w" ] || [ -L "$w" ] || continue
	mask "$(basename "$w")"
done
# The image's System V init scripts started at boot (systemd runs them as
# generated units: openipmi, which a package's recommends brought in,
# failed at every boot after 8 s of trying).
for l in "$root"/etc/rc[2345].d/S*; do
	[ -e "$l" ] || continue
	n=$(basename "$l")
	mask "${n#S[0-9][0-9]}.service"
done
grep -v '^#' "$here/masked.list" | while read -r u; do
	[ -n "$u" ] && mask "$u"
done

unit() { # unit NAME: vm/units/NAME with @DIR@ and @SCRIPT@ filled in
	sed -e "s|@DIR@|$dir|g" -e "s|@SCRIPT@|$dir/$script|g" "$here/units/$1" >"$units/$1"
}
mkdir -p "$units/multi-user.target.wants"
unit e2e.service
ln -sfn ../e2e.service "$units/multi-user.target.wants/e2e.service"

if grep -q '^# at boot: ppp.path enabled' "$root$dir/$script"; then
	deb=$(sed -n 's/^E2E_DEB=//p' "$root/run/e2e/env")
	stage=$(sed -n 's/^E2E_STAGE=//p' "$root/run/e2e/env")
	if [ -n "$deb" ]; then
		# The package's postinst enables ppp.path (no systemd runs yet).
		PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$root" /usr/bin/dpkg -i "$deb" >"$root/run/e2e/boot-dpkg.log" 2>&1 || exit 1
	else
		[ -d "$root$stage" ] || { echo "boot.sh: no staged suite at $stage"; exit 1; }
		cp -a "$root$stage/." "$root/"
		rm -rf "$root/tools" # the simulator stays on PATH only (stage2.sh)
		chroot "$root" /bin/systemctl enable ppp.path || exit 1
	fi
	unit e2e-world.service
	ln -sfn ../e2e-world.service "$units/multi-user.target.wants/e2e-world.service"
fi
