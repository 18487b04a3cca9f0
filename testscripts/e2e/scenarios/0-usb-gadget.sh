# 0. The kernel's pieces: the configfs ACM gadget on dummy_hcd enumerates as
# the LISA-U200 (1546:1102) with a cdc_acm tty and a real sysfs device;
# unplugging (unbinding the gadget) removes both, replugging brings them
# back, under a new name while a process holds the old tty; writing 0 and
# 1 to the device's authorized file re-enumerates it.
# timeout: 180
. "$E2E_VM/lib.sh"
for m in ppp_generic ppp_async veth dummy_hcd libcomposite usb_f_acm cdc_acm; do
	check "module $m is loaded" grep -q "^$m " /proc/modules
done
step "configfs is mounted" grep -q ' /sys/kernel/config configfs ' /proc/mounts
step "devtmpfs is mounted at /dev" grep -q '^devtmpfs /dev devtmpfs' /proc/mounts
step "/dev/ppp exists" test -c /dev/ppp
# shellcheck disable=SC2046
gadget_create $(usb_id LISA-U200) LISA-U200
t0=$(now)
gadget_plug
step "plugged: the host has a cdc_acm tty" wait_for 10 host_tty
record enumerate "$(elapsed "$t0")"
dev=$(host_usb_dev) tty=$(host_tty)
step "the USB device is 1546:1102" test "$(cat "$dev/idVendor"):$(cat "$dev/idProduct")" = 1546:1102
step "its interface 0 is bound to cdc_acm" test "$(basename "$(readlink "$dev/$(basename "$dev"):1.0/driver")")" = cdc_acm
step "/dev/$tty and /dev/ttyGS0 are character devices" test -c "/dev/$tty" -a -c /dev/ttyGS0
suite_install
printf 'DEVICE=AUTO\nAUTH=NOAUTH\n' >/tmp/auto
gen_pppconfig --config /tmp/auto --dry-run >/tmp/auto.out 2>&1
cat /tmp/auto.out
step "gen_pppconfig's DEVICE=AUTO finds it" grep -q "^/dev/$tty\$" /tmp/auto.out
gadget_unplug
step "unplugged: the device and its tty are gone" wait_for 10 sh -c "! test -e '$dev' && ! test -e '/dev/$tty'"
gadget_plug
step "replugged: back as /dev/$tty" wait_for 10 sh -c ". '$E2E_VM/gadget.sh'; [ \"\$(host_tty)\" = '$tty' ]"
sleep 600 <>"/dev/$tty" >&0 &
holder=$!
wait_for 5 host_tty_open "$tty"
gadget_unplug
wait_for 10 sh -c "! test -e '/dev/$tty'"
gadget_plug
step "replugged while /dev/$tty is held open: a new name" wait_for 10 sh -c ". '$E2E_VM/gadget.sh'; t=\$(host_tty) && [ \"\$t\" != '$tty' ]"
echo "replugged as /dev/$(host_tty) while /dev/$tty was held"
kill "$holder"
dev=$(host_usb_dev)
t0=$(now)
echo 0 >"$dev/authorized"
step "authorized 0: the tty goes" wait_for 10 sh -c "! ls /dev/ttyACM* >/dev/null 2>&1"
echo 1 >"$dev/authorized"
step "authorized 1: it re-enumerates" wait_for 10 host_tty
record reenumerate "$(elapsed "$t0")"
finish
