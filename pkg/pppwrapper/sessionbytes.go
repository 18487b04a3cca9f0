package pppwrapper

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/runstate"
)

// sessionBytesName is the file in the run directory where the ip-down
// hook leaves what pppd gives it alone, BYTES_SENT and BYTES_RCVD, as
// "PPPD_PID SENT RECEIVED\n" (etc/ppp/ip-down.d/pppkeep).
const sessionBytesName = "session-bytes"

// takeSessionBytes reads the hook's file for pppd pid, and removes it: one
// file, replaced by each link's hook, so another pppd on the box (a VPN)
// leaves figures that are not ours, and those are not counted.
func takeSessionBytes(root string, pid int) (sent, received uint64, ok bool) {
	p := filepath.Join(root, runstate.Dir, sessionBytesName)
	f, err := os.Open(p)
	if err != nil {
		return 0, 0, false
	}
	b, _ := io.ReadAll(io.LimitReader(f, 128))
	f.Close()
	os.Remove(p)
	line, _, _ := strings.Cut(string(b), "\n")
	who, counts, _ := strings.Cut(line, " ")
	sentText, receivedText, _ := strings.Cut(counts, " ")
	if who != strconv.Itoa(pid) {
		return 0, 0, false
	}
	sent, err1 := strconv.ParseUint(sentText, 10, 64)
	received, err2 := strconv.ParseUint(receivedText, 10, 64)
	return sent, received, err1 == nil && err2 == nil
}
