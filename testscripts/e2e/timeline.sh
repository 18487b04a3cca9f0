#!/usr/bin/env bash
# Reads the VM's journal (journalctl -o short-precise -p info, as stage2.sh
# writes timeline.txt) on stdin and prints the operator's timeline:
# "hh:mm:ss.mmm  program  message". Leaves out the kernel, chat's per-line
# echo and systemd's lines about units that are not ours; shows the test's
# own "e2e" lines as ">>>" headings.
awk '
# A continuation of a multi-line message (indented): not a line of its own.
!/^[A-Z][a-z][a-z] [ 0-9][0-9] / { next }
{
	time = substr($3, 1, 12)
	tag = $5
	sub(/\[[0-9]+\]:$/, "", tag)
	sub(/:$/, "", tag)
	msg = $0
	for (i = 0; i < 5; i++) sub(/^[^ ]+ +/, "", msg)
	if (tag == "kernel" || tag == "chat" || tag == "e2e-sync" || tag == "bash") next
	if (tag ~ /^systemd/ && msg !~ /ppp\.(service|path)/) next
	if (tag == "e2e") { printf "\n%s  >>> %s\n", time, msg; fflush(); next }
	printf "%s  %-13s %s\n", time, tag, msg
	fflush()
}'
