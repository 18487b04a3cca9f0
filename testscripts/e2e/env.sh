# Shared settings of the host-side scripts (sourced, not run).
# E2E_CACHE holds the downloaded kernel and the built initramfs, outside git.
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_REPO=$(cd "$E2E_DIR/../.." && pwd)
if [ -z "${E2E_CACHE:-}" ]; then
	if [ -n "${XDG_CACHE_HOME:-}" ]; then
		E2E_CACHE=$XDG_CACHE_HOME/pppkeep-e2e
	else
		E2E_CACHE=/var/cache/pppkeep-e2e
	fi
fi
export E2E_DIR E2E_REPO E2E_CACHE

say() { printf 'e2e: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
