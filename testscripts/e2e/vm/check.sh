# Checks, measured times and the journal (sourced by the VM scripts).
#
#   step "what is checked" COMMAND...   ok, or FAIL and the scenario ends
#   record NAME SECONDS [BOUND]         a measured time for the results table
#   jmark                               the journal's length now
#   jwait SECONDS REGEX [MARK]          wait for a journal line after MARK
#   jhas REGEX [MARK] / jcount REGEX [MARK]

JOURNAL=$E2E_RESULTS/messages
TIMES=$E2E_RESULTS/times
CHECKS=$E2E_RESULTS/checks

# say TEXT: a line of the scenario's own commentary, also in the journal so
# that the timeline shows what the test did and when.
say() {
	echo "$(date +%T) $*"
	logger -p user.notice -t e2e "$*"
}

step() {
	local what=$1
	shift
	if "$@"; then
		echo "ok   $what" | tee -a "$CHECKS"
	else
		echo "FAIL $what" | tee -a "$CHECKS"
		echo "$what" >"$E2E_RESULTS/failed"
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

# jsecs PATTERN [MARK] [N]: the time of day, in seconds, of the N-th (default
# first) line after MARK that matches PATTERN, from the line's own syslog
# timestamp ("Dec  1 22:27:24"): when the product logged it, not when a
# poll saw it. Whole seconds: the VM's syslog writes no fraction. A
# difference of two of them is checked to be >= 0 too, so that a scenario
# run across midnight fails rather than passes.
jsecs() {
	jlines "${2:-0}" | grep -E -- "$1" | sed -n "${3:-1}p" |
		awk '{ split($3, t, ":"); print t[1] * 3600 + t[2] * 60 + t[3]; exit }'
}

# jnone PATTERN [MARK]: no line after MARK matches PATTERN.
jnone() {
	! jhas "$@"
}

jwait() {
	wait_for "$1" jhas "$2" "${3:-0}"
}

# check "what is checked" COMMAND...: as step, but the scenario goes on;
# finish then fails it.
CHECK_FAILED=no
check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok   $what" | tee -a "$CHECKS"
	else
		echo "FAIL $what" | tee -a "$CHECKS"
		echo "$what" >>"$E2E_RESULTS/failed"
		CHECK_FAILED=yes
	fi
}

# finish: the scenario's status after checks.
finish() {
	[ "$CHECK_FAILED" = no ]
}
