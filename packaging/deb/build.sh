#!/usr/bin/env bash
# make deb: one Debian package per architecture, built with nfpm (a Go tool
# of this module: nothing is downloaded but Go modules). Each package holds
# what `make install` installs, the Debian way: the tools in /usr/sbin (no
# package may install into /usr/local), the units in /lib/systemd/system
# with their paths to match, the hooks, the Upstart job and /etc/default/ppp
# as conffiles, the man pages gzipped, the copyright and a changelog.
# Usage: build.sh VERSION OUTDIR MANDIR ARCH...   (ARCH: amd64, arm64, arm7)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
version=$1 out=$2 man=$3
shift 3
ldflags="-s -w -X github.com/pppkeep/pppkeep/pkg/version.Version=$version"
tools=(gen_pppconfig modem_reset ppp_wrapper ppp_monitor)
ls "$man"/*.8 "$man"/*.5 >/dev/null || { echo "build.sh: no man pages in $man (make man)" >&2; exit 1; }

for arch in "$@"; do
	stage=$out/deb/$arch
	rm -rf "$stage"
	mkdir -p "$stage/usr/sbin" "$stage/lib/systemd/system" "$stage/etc/init" \
		"$stage/etc/ppp/ip-up.d" "$stage/etc/ppp/ip-down.d" "$stage/etc/default" \
		"$stage/usr/share/man/man5" "$stage/usr/share/man/man8" "$stage/usr/share/doc/pppkeep"
	goarch=$arch goarm=
	if [ "$arch" = arm7 ]; then
		goarch=arm goarm=7
	fi
	for t in "${tools[@]}"; do
		(cd "$repo" && CGO_ENABLED=0 GOOS=linux GOARCH=$goarch GOARM=$goarm \
			go build -trimpath -ldflags "$ldflags" -o "$stage/usr/sbin/$t" "./cmd/$t")
	done
	for u in ppp.service ppp.path; do
		sed 's|/usr/local/sbin/|/usr/sbin/|g' "$repo/etc/systemd/system/$u" >"$stage/lib/systemd/system/$u"
	done
	sed 's|/usr/local/sbin/|/usr/sbin/|g' "$repo/etc/init/ppp.conf" >"$stage/etc/init/ppp.conf"
	install -m 0755 "$repo/etc/ppp/ip-up.d/pppkeep" "$stage/etc/ppp/ip-up.d/pppkeep"
	install -m 0755 "$repo/etc/ppp/ip-down.d/pppkeep" "$stage/etc/ppp/ip-down.d/pppkeep"
	install -m 0644 "$repo/etc/default/ppp" "$stage/etc/default/ppp"
	for p in "$man"/*.8 "$man"/*.5; do
		gzip -9n <"$p" >"$stage/usr/share/man/man${p##*.}/$(basename "$p").gz"
	done
	install -m 0644 "$here/copyright" "$stage/usr/share/doc/pppkeep/copyright"
	install -D -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/pppkeep"
	{
		echo "pppkeep ($version) unstable; urgency=medium"
		echo
		echo "  * Built from commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)."
		echo
		echo " -- pppkeep developers <maintainers@pppkeep.example>  $(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}")"
	} | gzip -9n >"$stage/usr/share/doc/pppkeep/changelog.gz"
	sed -e "s|@ARCH@|$arch|g" -e "s|@VERSION@|$version|g" -e "s|@STAGE@|$stage|g" -e "s|@DIR@|$here|g" \
		"$here/nfpm.yaml.in" >"$stage.yaml"
	(cd "$repo" && go tool nfpm package --config "$stage.yaml" --packager deb --target "$out/") >/dev/null
done
ls "$out"/pppkeep_"$version"_*.deb
