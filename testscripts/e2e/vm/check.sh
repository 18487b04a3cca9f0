# Checks, measured times and the journal (sourced by the VM scripts).
#
#   step "what is checked" COMMAND...   ok, or FAIL and the scenario ends
#   record NAME SECONDS [BOUND]         a measured time for the results table
#   jmark                               the journal's length now
#   jwait SECONDS REGEX [MARK]          wait for a journal line after MARK
#   jhas REGEX [MARK] / jcount REGEX [MARK]
#   jsecs REGEX [MARK] [N] / simsecs REGEX [N]   a line's own timestamp
#   span FROM TO / in_range LOW X HIGH           arithmetic on those
#   timed "what" LOW X HIGH             a timing bound (reported, not
#                                       checked, by make demo)

JOURNAL=$E2E_RESULTS/messages
TIMES=$E2E_RESULTS/times
CHECKS=$E2E_RESULTS/checks

# say TEXT: a line of the scenario's own commentary, also in the journal so
# that the timeline shows what the test did and when.
say() {
	echo "$(date +%T) $*"
	logger -p user.notice -t e2e "$*"
}

# passed WHAT: a check that held, in the checks file and the output.
passed() {
	echo "ok   $1" | tee -a "$CHECKS"
}

# failed WHAT [DETAIL]: a check that did not hold; RESULTS/failed names it
# for the report. The caller decides whether the scenario goes on.
failed() {
	echo "FAIL $1${2:+ ($2)}" | tee -a "$CHECKS"
	echo "$1" >>"$E2E_RESULTS/failed"
}

# step "what is checked" COMMAND...: the command must succeed, or the
# scenario ends here.
step() {
	local what=$1
	shift
	if "$@"; then
		passed "$what"
	else
		failed "$what"
		exit 1
	fi
}

# record NAME SECONDS [BOUND]: NAME took SECONDS (at most BOUND allowed).
record() {
	echo "$1 ${2}s${3:+ (bound ${3}s)}" >>"$TIMES"
	echo "time $1: ${2}s${3:+ (bound ${3}s)}"
}

# within SECONDS BOUND: SECONDS <= BOUND.
within() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'
}

jmark() {
	if [ -f "$JOURNAL" ]; then wc -l <"$JOURNAL"; else echo 0; fi
}

# jlines [MARK]: the journal after line MARK.
jlines() {
	tail -n +"$((${1:-0} + 1))" "$JOURNAL"
}

jhas() {
	jlines "${2:-0}" | grep -qE -- "$1"
}

jcount() {
	jlines "${2:-0}" | grep -cE -- "$1"
}

# jsecs PATTERN [MARK] [N]: the time of day, in seconds with microseconds,
# of the N-th (default first) line after MARK that matches PATTERN, from
# the journal's own timestamp ("Dec 02 22:27:24.123456"): when the product
# logged it, not when a poll saw it.
jsecs() {
	jlines "${2:-0}" | grep -E -- "$1" | sed -n "${3:-1}p" |
		awk '{ split($3, t, ":"); printf "%.6f\n", t[1] * 3600 + t[2] * 60 + t[3]; exit }'
}

# simsecs PATTERN [N]: the same for the N-th line of the simulator's log
# ("22:27:24.123 modemsim: control: blackhole on"), in the VM's clock too.
simsecs() {
	grep -E -- "$1" "$MODEM_LOG" | sed -n "${2:-1}p" |
		awk '{ split($1, t, ":"); printf "%.6f\n", t[1] * 3600 + t[2] * 60 + t[3]; exit }'
}

# span FROM TO: TO - FROM (two jsecs readings), in seconds with one
# decimal; fails (prints nothing) when either is missing or TO is before
# FROM, so that a scenario run across midnight fails rather than passes.
span() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b < a) exit 1; printf "%.1f\n", b - a }'
}

# timed "what is checked" LOW X HIGH: a timing bound, checked as step
# checks in make e2e. make demo (E2E_TIMING=report) only reports a reading
# out of bounds: the demo fails when an outcome is wrong, never because a
# busy machine made a step slower.
timed() {
	if in_range "$2" "$3" "$4"; then
		passed "$1"
	elif [ "${E2E_TIMING:-check}" = report ]; then
		echo "slow $1 (took ${3:-?} s; not checked by the demo)" | tee -a "$CHECKS"
	else
		failed "$1" "took ${3:-?} s"
		exit 1
	fi
}

# in_range LOW X HIGH: LOW <= X <= HIGH (X may be empty: false).
in_range() {
	awk -v l="$1" -v x="$2" -v h="$3" 'BEGIN { exit !(x != "" && l <= x + 0 && x + 0 <= h) }'
}

# jnone PATTERN [MARK]: no line after MARK matches PATTERN.
jnone() {
	! jhas "$@"
}

jwait() {
	wait_for "$1" jhas "$2" "${3:-0}"
}

# jsync: wait until the journal's follower (stage2.sh) has written every
# line logged so far, before reading what just happened.
JSYNC=0
jsync() {
	JSYNC=$((JSYNC + 1))
	logger -t e2e-sync "sync $$.$JSYNC"
	wait_for 10 jhas "e2e-sync\\[[0-9]+\\]: sync $$.$JSYNC\$"
}

# check "what is checked" COMMAND...: as step, but the scenario goes on;
# finish then fails it.
CHECK_FAILED=no
check() {
	local what=$1
	shift
	if "$@"; then
		passed "$what"
	else
		failed "$what"
		CHECK_FAILED=yes
	fi
}

# finish: the scenario's status after checks.
finish() {
	[ "$CHECK_FAILED" = no ]
}
