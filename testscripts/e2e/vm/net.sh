# The network behind the modem (sourced by the VM scripts): an "isp"
# namespace whose pppd answers the call, then routers r1, r2, r3 in a chain,
# and a destination host address on r3. Every address is in 10.99.0.0/16 and
# exists only inside this VM's namespaces.
#
#   ppp0 10.99.0.2 ── 10.99.0.1 isp 10.99.1.1 ── 10.99.1.2 r1 10.99.2.1 ──
#   10.99.2.2 r2 10.99.3.1 ── 10.99.3.2 r3 (10.99.255.1 on lo)

# shellcheck disable=SC2034 # read by lib.sh, modem.sh and the scenarios
NET_LOCAL=10.99.0.2
# shellcheck disable=SC2034
NET_ISP=10.99.0.1
NET_R1=10.99.1.2
NET_R2=10.99.2.2
NET_R3=10.99.3.2
NET_DEST=10.99.255.1

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces.
link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
	in_ns "$1" ip addr add "$3/30" dev "$2"
	in_ns "$4" ip addr add "$6/30" dev "$5"
	in_ns "$1" ip link set "$2" up
	in_ns "$4" ip link set "$5" up
}

net_setup() {
	local ns
	for ns in isp r1 r2 r3; do
		ip netns add "$ns"
		in_ns "$ns" ip link set lo up
		in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
	done
	link isp r1 10.99.1.1 r1 isp "$NET_R1"
	link r1 r2 10.99.2.1 r2 r1 "$NET_R2"
	link r2 r3 10.99.3.1 r3 r2 "$NET_R3"
	in_ns r3 ip addr add "$NET_DEST/32" dev lo
	in_ns isp ip route add default via "$NET_R1"
	in_ns r1 ip route add 10.99.0.0/24 via 10.99.1.1
	in_ns r1 ip route add default via "$NET_R2"
	in_ns r2 ip route add 10.99.0.0/23 via 10.99.2.1
	in_ns r2 ip route add default via "$NET_R3"
	in_ns r3 ip route add default via 10.99.3.1
}

# echo_ignore NS on|off: whether the namespace's host ignores echo requests
# (it still forwards and still sends Time Exceeded).
echo_ignore() {
	local v=0
	[ "$2" = on ] && v=1
	in_ns "$1" sysctl -qw net.ipv4.icmp_echo_ignore_all="$v"
}
