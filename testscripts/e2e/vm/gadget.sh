# The modem as a real USB device (sourced by the VM scripts): a configfs
# gadget with one ACM function and the model's vendor:product, bound to
# dummy_hcd's device controller. The VM then has both ends: the host side's
# cdc_acm tty (/dev/ttyACM0, with a real sysfs USB device) and the gadget
# side's /dev/ttyGS0, which the simulated modem serves.

GADGET=/sys/kernel/config/usb_gadget/modem
UDC=dummy_udc.0

# gadget_create VID PID MAKER PRODUCT: make the gadget (unbound).
gadget_create() {
	mkdir "$GADGET" || return
	echo "$1" >"$GADGET/idVendor"
	echo "$2" >"$GADGET/idProduct"
	mkdir "$GADGET/strings/0x409"
	echo "$3" >"$GADGET/strings/0x409/manufacturer"
	echo "$4" >"$GADGET/strings/0x409/product"
	echo "e2e-0001" >"$GADGET/strings/0x409/serialnumber"
	mkdir "$GADGET/configs/c.1"
	mkdir "$GADGET/functions/acm.GS0"
	ln -s "$GADGET/functions/acm.GS0" "$GADGET/configs/c.1/"
}

# gadget_plug: bind the gadget to the controller; the host enumerates it.
gadget_plug() {
	echo "$UDC" >"$GADGET/UDC"
}

# gadget_unplug: unbind it; for the host the device is gone.
gadget_unplug() {
	echo "" >"$GADGET/UDC"
}

# host_usb_dev: the host side's sysfs device of the gadget (1-1), or fails.
host_usb_dev() {
	local d
	for d in /sys/bus/usb/devices/*; do
		[ -f "$d/idVendor" ] || continue
		if [ "$(cat "$d/idVendor")" = "$(sed "s/^0x//" "$GADGET/idVendor")" ] &&
			[ "$(cat "$d/idProduct")" = "$(sed "s/^0x//" "$GADGET/idProduct")" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

# host_tty: the kernel name of the host side's tty (ttyACM0), or fails.
host_tty() {
	local d t
	d=$(host_usb_dev) || return 1
	for t in "$d"/*:*.0/tty/tty*; do
		[ -e "$t" ] || continue
		basename "$t"
		return 0
	done
	return 1
}
