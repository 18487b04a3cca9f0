# 12. Boot: the suite is installed and ppp.path enabled (systemctl enable,
# before the boot, as on a router's image), START=yes, and the module is
# there at power-on. systemd starts ppp.path, udev makes the module's
# /dev/serial/by-id link, ppp.path starts ppp.service, and the link comes up
# with no step of ours; `systemctl status ppp` shows the wrapper's verdict.
# at boot: ppp.path enabled
# timeout: 240
. "$E2E_VM/lib.sh"
step "the world came up at boot (e2e-world.service)" wait_for 30 test -e /run/e2e-world-up
step "ppp.path is enabled" test "$(systemctl is-enabled ppp.path)" = enabled
step "udev made the module's /dev/serial/by-id link" sh -c 'ls /dev/serial/by-id/ | grep -q .'
step "ppp.path is active" wait_for 20 systemctl -q is-active ppp.path
step "ppp.path started ppp.service" jwait 30 'systemd\[1\]: Started ppp.service'
step "ppp0 comes up" wait_for 60 link_up
step "the wrapper saw the link up" jwait 15 'ppp_wrapper\[[0-9]+\]: session 1: link up'
# By the journal's timestamps: from systemd starting ppp.service (ppp.path
# fired: the module's tty is there) to the wrapper's link up. The
# enumeration comes earlier by however long e2e-world.service takes to
# bring up the simulated network behind the module (recorded, not bound).
enumerated=$(jsecs 'kernel: cdc_acm [^ ]+: ttyACM[0-9]+: USB ACM device')
starting=$(jsecs 'systemd\[1\]: Starting ppp.service')
up=$(jsecs 'ppp_wrapper\[[0-9]+\]: session 1: link up')
record module_to_up "$(span "$enumerated" "$up")"
record service_to_up "$(span "$starting" "$up")" 40
timed "link up within 40 s of ppp.path starting ppp.service" 0 "$(span "$starting" "$up")" 40
step "ppp.service is active (running), started once" test "$(unit_prop ppp.service SubState)" = running -a "$(jcount 'systemd\[1\]: Starting ppp.service')" = 1
status=$(unit_prop ppp.service StatusText)
echo "systemctl's status text: $status"
step "systemctl status ppp shows the wrapper's verdict (up since ..., session 1)" \
	sh -c "echo '$status' | grep -qE '^up since [0-9:]+, session 1$'"
step "systemctl status ppp shows it to an operator" sh -c 'systemctl status --no-pager ppp.service | grep -qE "Status: \"up since"'
step "a ping through ppp0 reaches the last router" ping_through
say "scenario 12: up from boot with no step"
