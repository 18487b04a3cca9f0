# The peers file and chat script that gen_pppconfig writes for every example
# of docs/vendor-behaviour.md §R8 and the §R2 example (testscripts/testdata/gen_pppconfig_r8_*.txtar
# and gen_pppconfig_r2_example.txtar, their etc/default/ppp) are accepted by
# the real pppd (`pppd call ppp0 dryrun`) and the real chat, which runs the
# script against the simulated module of that model up to CONNECT.
# timeout: 300
. "$E2E_VM/lib.sh"

# usb_model VID:PID: the model the table gives that USB id.
usb_model() {
	case $1 in
	1546:1102 | 1546:1104) echo LISA-U200 ;;
	1ecb:0202) echo AMP520 ;;
	1ecb:0205 | 1ecb:0208 | 1ecb:0209 | 1ecb:020b) echo AMM570 ;;
	1bc7:1900 | 1bc7:1901) echo LN940A ;;
	esac
}

# alias MODEL: the vendor's udev name of the model's AT port.
alias_of() {
	case $1 in
	LISA-U200) echo ttyLISA0 ;;
	KYM11) echo ttyKYM11 ;;
	UM03-KO) echo ttyUM03KO0 ;;
	AMP520) echo ttyAMP0 ;;
	esac
}

# section TXTAR NAME: the file NAME of a txtar archive.
section() {
	awk -v n="-- $2 --" '$0 == n { f = 1; next } /^-- .* --$/ { f = 0 } f' "$1"
}

net_setup
suite_install
out=$E2E_RESULTS/r8
mkdir -p "$out"
first=yes
for txtar in "$E2E_VM"/../../testdata/gen_pppconfig_r8_*.txtar "$E2E_VM"/../../testdata/gen_pppconfig_r2_example.txtar; do
	name=$(basename "$txtar" .txtar)
	name=${name#gen_pppconfig_}
	section "$txtar" etc/default/ppp >/etc/default/ppp
	step "$name: has an etc/default/ppp" test -s /etc/default/ppp
	device=$(config_get DEVICE)
	if [ "$device" = AUTO ]; then
		id=$(sed -n 's/^fakeusb [^ ]* [^ ]* \([0-9a-f]*:[0-9a-f]*\) .*/\1/p' "$txtar")
		model=$(usb_model "$id")
		vid=0x${id%:*} pid=0x${id#*:}
	else
		model=$device
		read -r vid pid _ < <(usb_id "$model")
	fi
	step "$name: a model to play ($device -> ${model:-?})" test -n "$model"
	# The module: this model's USB id on the gadget, served as this model.
	if [ "$first" = yes ]; then
		gadget_create "$vid" "$pid" e2e "$model"
		first=no
	else
		kill "$MODEM_PID"
		wait "$MODEM_PID" 2>/dev/null
		gadget_unplug
		wait_for 10 sh -c '! ls /dev/ttyACM* >/dev/null 2>&1'
		echo "$vid" >"$GADGET/idVendor"
		echo "$pid" >"$GADGET/idProduct"
	fi
	rm -f /dev/ttyLISA0 /dev/ttyKYM11 /dev/ttyUM03KO0 /dev/ttyAMP0
	gadget_plug
	step "$name: $model enumerates" wait_for 10 host_tty
	tty=$(host_tty)
	a=$(alias_of "$model")
	# The vendor's udev rule for a model named by DEVICE.
	[ "$device" != AUTO ] && [ -n "$a" ] && ln -s "$tty" "/dev/$a"
	modem_start "$model"
	step "$name: gen_pppconfig writes the files" gen_pppconfig
	cp /etc/ppp/peers/ppp0 "$out/$name.peers"
	cp /etc/chatscripts/ppp0 "$out/$name.chat"
	check "$name: pppd accepts the peers file (pppd call ppp0 dryrun)" \
		sh -c "pppd call ppp0 dryrun >'$out/$name.dryrun' 2>&1"
	if ! pppd call ppp0 dryrun >/dev/null 2>&1 && pppd call ppp0 noipv6 dryrun >/dev/null 2>&1; then
		echo "note $name: pppd accepts it with noipv6 added: $(head -n1 "$out/$name.dryrun")" | tee -a "$CHECKS"
	fi
	stty -F "/dev/$tty" raw -echo 115200
	check "$name: chat runs the script against the $model to CONNECT" \
		sh -c "timeout 90 chat -v -f /etc/chatscripts/ppp0 <'/dev/$tty' >'/dev/$tty'"
	check "$name: the module saw the dial" sh -c "modemsim ctl $MODEM_SOCK stats | grep -q '\"calls\":1'"
	modem hangup >/dev/null
done
finish
