# 7. The module is unplugged (the gadget unbound: the host's USB device and
# tty go away) and plugged in again 3 s later; since a stale process still
# holds the old tty, it comes back under a new name. With DEVICE=AUTO the
# wrapper finds it there and the link comes back.
# timeout: 240
. "$E2E_VM/lib.sh"
world
config DEVICE=AUTO
ensure_up
old=$(host_tty)
# A stale holder of the old tty (as a crashed program would be): the kernel
# cannot reuse its name.
sleep 600 <>"/dev/$old" >&0 &
holder=$!
step "the stale holder has /dev/$old open" wait_for 5 host_tty_open "$old"
m=$(jmark)
say "scenario 7: unplugging the module from /dev/$old"
t0=$(now)
gadget_unplug
step "pppd sees the modem hang up" jwait 20 'pppd\[[0-9]+\]: Modem hangup' "$m"
step "the session ends" jwait 20 'ppp_wrapper\[[0-9]+\]: session 1 ended' "$m"
step "ppp0 is down" wait_for 10 link_down
sleep 3
say "scenario 7: plugging the module in again"
t1=$(now)
gadget_plug
step "the module is back under a new name" wait_for 15 sh -c ". '$E2E_VM/gadget.sh'; t=\$(host_tty) && [ \"\$t\" != '$old' ]"
new=$(host_tty)
echo "replugged: /dev/$old -> /dev/$new"
step "the wrapper uses the new tty" jwait 30 "ppp_wrapper\[[0-9]+\]: the module's tty is now /dev/$new \(was /dev/$old\)" "$m"
# Up, or refused by pppd: whichever comes first (a function: lib.sh is
# bash and cannot be sourced by sh).
up_or_refused() {
	link_up || jhas 'pppd\[[0-9]+\]: In file /etc/ppp/peers/ppp0: unrecognized option' "$m"
}
wait_for 40 up_or_refused
step "pppd takes the new tty (the peer file's old /dev/$old is not an option error)" \
	sh -c "! tail -n +$((m + 1)) '$JOURNAL' | grep -q 'unrecognized option'"
step "ppp0 comes back" wait_for 40 link_up
record replug_to_up "$(elapsed "$t1")"
record recover "$(elapsed "$t0")"
step "pppd runs on /dev/$new" pgrep -f "^pppd call ppp0 nodetach /dev/$new"
step "a ping through ppp0 reaches the last router" ping_through
kill "$holder"
say "scenario 7: link back on /dev/$new"
