# Time and waiting with a deadline (sourced by the VM scripts). Times are
# seconds since boot (the monotonic clock), with two decimals.

# now: seconds since boot.
now() {
	local up _
	read -r up _ </proc/uptime
	echo "$up"
}

# centi TIME: TIME (as now prints it) in hundredths of a second.
centi() {
	local s=${1%.*} f=${1#*.}
	echo $((10#$s * 100 + 10#${f:0:2}))
}

# wait_for SECONDS COMMAND...: run COMMAND every 0.1 s until it succeeds;
# fails when SECONDS pass first.
wait_for() {
	local deadline
	deadline=$(($(centi "$(now)") + ${1%.*} * 100))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(centi "$(now)")" -gt "$deadline" ] && return 1
		sleep 0.1
	done
}

# elapsed SINCE: seconds from the time SINCE to now, with one decimal.
elapsed() {
	local d
	d=$(($(centi "$(now)") - $(centi "$1")))
	printf '%d.%d' $((d / 100)) $((d % 100 / 10))
}

# elapsed_between FROM TO: seconds from FROM to TO, with one decimal.
elapsed_between() {
	local d
	d=$(($(centi "$2") - $(centi "$1")))
	printf '%d.%d' $((d / 100)) $((d % 100 / 10))
}
