#!/bin/bash
# The network's side of a call: the simulated modem runs this for each call
# (in the isp namespace) with the data stream on stdin and stdout. pppd
# answers it with the ISP's own options and secrets (isp_config in
# modem.sh) on a tmpfs over /etc/ppp in this process's own mount namespace,
# so that none of the router's hooks run for it; its log goes to stderr,
# that is the simulator's log, and not to the router's syslog (its journal).
set -e
dir=/run/isp
mount -t tmpfs tmpfs /etc/ppp
cp "$dir/options" "$dir/chap-secrets" "$dir/pap-secrets" /etc/ppp/
mount --bind /dev/null /dev/log
exec /usr/sbin/pppd notty nodetach logfd 2 file "$dir/call"
