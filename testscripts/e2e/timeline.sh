#!/usr/bin/env bash
# Reads busybox syslogd lines on stdin and prints the operator's timeline:
# "hh:mm:ss  program  message". Drops pppd's debug lines (packet dumps) and
# chat's per-line echo; shows the test's own "e2e" lines as ">>>" headings.
awk '
{
	time = $3
	prio = $5
	tag = $6
	sub(/\[[0-9]+\]:$/, "", tag)
	sub(/:$/, "", tag)
	msg = $0
	for (i = 0; i < 6; i++) sub(/^[^ ]+ +/, "", msg)
	if (tag == "syslogd" || tag == "chat") next
	if (prio ~ /\.debug$/) next
	if (tag == "e2e") { printf "\n%s  >>> %s\n", time, msg; fflush(); next }
	printf "%s  %-13s %s\n", time, tag, msg
	fflush()
}'
