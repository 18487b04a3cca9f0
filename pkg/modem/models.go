package modem

import "strings"

// USBID is a USB vendor:product pair as the kernel shows it in sysfs
// (idVendor, idProduct).
type USBID struct {
	Vendor, Product uint16
}

// Model is what the suite knows of one 3G/4G module. A zero value in a
// field means "not known": callers must treat it as such (refuse, or ask the
// configuration) rather than guess.
type Model struct {
	// Name is the DEVICE value that selects the model ("LISA-U200").
	Name  string
	Maker string
	// Alias is the tty name the vendor's udev rules give the AT port
	// ("ttyLISA0"); empty when the vendor has none.
	Alias string
	// USB lists the known vendor:product pairs of the module.
	USB []USBID
	// Driver is the kernel driver of the AT port ("cdc_acm", "option").
	Driver string
	// ATInterface is the USB interface number of the AT/PPP port; -1 when
	// unknown (detection then takes the lowest-numbered tty of the device).
	ATInterface int
	// Speed is the serial speed written to the peers file.
	Speed int
	// APNAuthPrefix: the module selects its authentication from a "CHAP:",
	// "PAP:" or "NOAUTH:" prefix of the APN in AT+CGDCONT (u-blox).
	APNAuthPrefix bool
	// StoresInFlash: the module writes APN, account and carrier settings to
	// internal flash every time they are set (AMTelecom, docs/vendor-behaviour.md §R3).
	StoresInFlash bool
	// RadioModes maps a NETMODE value to the AT commands that select it; a
	// NETMODE missing from the map cannot be selected on this model.
	RadioModes map[string][]string
	// CarrierSelect: the model accepts CARRIERID (operator selection).
	CarrierSelect bool
	// ResetCommand is the AT command that restarts the module; empty when
	// not known (RESET_COMMAND in the config can supply one).
	ResetCommand string
	// ICCIDCommand is the AT command that reads the SIM's ICCID on this
	// model ("AT+CCID"); empty when not known, and Session.ICCID then tries
	// the usual ones.
	ICCIDCommand string
	// ResetLines are the names of the LEDs (oneshot trigger) that pulse the
	// module's reset or power line on the vendor's boards, tried in order
	// when RESET_LINE does not name one.
	ResetLines []string
}

// boardResetLines are the module lines the vendor's boards export as LEDs.
var boardResetLines = []string{"Mobile_RESETN", "Mobile_Power", "Mobile_PWR_ON", "Mobile_PWRKEY"}

// DefaultSpeed is the serial speed for models whose speed is not known; USB
// ttys ignore it, but pppd wants one.
const DefaultSpeed = 115200

// models is the table of docs/vendor-behaviour.md §R1.4; facts shown there as not known are
// left at their zero value.
var models = []Model{
	{
		Name: "LISA-U200", Maker: "u-blox", Alias: "ttyLISA0",
		USB:    []USBID{{0x1546, 0x1102}, {0x1546, 0x1104}},
		Driver: "cdc_acm", ATInterface: 0, Speed: 460800,
		APNAuthPrefix: true,
		ResetCommand:  "AT+CFUN=16", ResetLines: boardResetLines,
		ICCIDCommand: "AT+CCID",
		// The radio access technology may only change while deregistered.
		RadioModes: map[string][]string{
			"AUTO":  {"AT+COPS=2", "AT+URAT=1,2", "AT+COPS=0"},
			"WCDMA": {"AT+COPS=2", "AT+URAT=2", "AT+COPS=0"},
		},
	},
	{Name: "KYM11", Maker: "Kyocera", Alias: "ttyKYM11", ATInterface: -1, Speed: DefaultSpeed,
		ResetLines: []string{"KYM1x_Power"}},
	{Name: "UM03-KO", Maker: "docomo", Alias: "ttyUM03KO0", ATInterface: -1, Speed: DefaultSpeed,
		ResetLines: boardResetLines},
	{
		Name: "AMP520", Maker: "AMTelecom", Alias: "ttyAMP0",
		USB:    []USBID{{0x1ecb, 0x0202}},
		Driver: "option", ATInterface: -1, Speed: DefaultSpeed,
		StoresInFlash: true, ResetLines: boardResetLines,
	},
	{
		Name: "AMM5220", Maker: "AMTelecom", Driver: "option", ATInterface: -1, Speed: DefaultSpeed,
		StoresInFlash: true, ResetLines: boardResetLines,
	},
	{
		Name: "AMM570", Maker: "AMTelecom",
		USB:    []USBID{{0x1ecb, 0x0205}, {0x1ecb, 0x0208}, {0x1ecb, 0x0209}, {0x1ecb, 0x020b}},
		Driver: "option", ATInterface: -1, Speed: DefaultSpeed,
		StoresInFlash: true, CarrierSelect: true, ResetLines: boardResetLines,
	},
	{
		Name: "LN940A", Maker: "Telit",
		USB:    []USBID{{0x1bc7, 0x1900}, {0x1bc7, 0x1901}},
		Driver: "option", ATInterface: -1, Speed: DefaultSpeed,
		CarrierSelect: true,
		// The Fibocom family's restart; Telit documents AT#REBOOT.
		ResetCommand: "AT+CFUN=15", ResetLines: boardResetLines,
	},
}

// Models returns the known models, in the order of docs/vendor-behaviour.md §R1.4.
func Models() []Model {
	return append([]Model(nil), models...)
}

// ByName finds a model by its DEVICE name, ignoring case.
func ByName(name string) (Model, bool) {
	for _, m := range models {
		if strings.EqualFold(m.Name, name) {
			return m, true
		}
	}
	return Model{}, false
}

// ByAlias finds the model whose vendor tty name is tty ("ttyLISA0").
func ByAlias(tty string) (Model, bool) {
	for _, m := range models {
		if m.Alias != "" && m.Alias == tty {
			return m, true
		}
	}
	return Model{}, false
}

// ByUSB finds the model with the given vendor:product pair.
func ByUSB(id USBID) (Model, bool) {
	for _, m := range models {
		for _, u := range m.USB {
			if u == id {
				return m, true
			}
		}
	}
	return Model{}, false
}
