package modemsim

import "sync"

// A real module is the host's PPP peer: when the network ends a call, the
// module's own PPP endpoint completes the LCP terminate handshake before it
// reports NO CARRIER. The simulator relays the call to a data command (in
// the VM tests a server-side pppd), which acknowledges the host's
// Terminate-Request itself but may lose that last frame as it exits (pppd
// flushes its tty's output when it lets go of the line). The host's pppd
// would then wait for the acknowledgement, time out, see the hangup and
// report it as one (exit 16) instead of the reason the call ended (say, 19
// for a refused password). So the simulator follows LCP terminate requests
// and acknowledgements in both directions, and when the data command exits
// with a request of the host's left unacknowledged, it answers it the way
// the module would.

// HDLC-like framing of PPP on an asynchronous line (RFC 1662).
const (
	hdlcFlag   = 0x7e
	hdlcEscape = 0x7d
	hdlcXor    = 0x20
	maxFrame   = 1600 // longer frames are not LCP terminate packets: dropped

	protoLCP     = 0xc021
	lcpTermReq   = 5
	lcpTermAck   = 6
	fcsGood      = 0xf0b8 // the FCS-16 residue of a frame with a valid FCS
	fcsInitValue = 0xffff
)

// fcs16 updates the PPP frame check sequence (CRC-16/X.25, reflected
// polynomial 0x8408) with b.
func fcs16(fcs uint16, b []byte) uint16 {
	for _, c := range b {
		fcs ^= uint16(c)
		for range 8 {
			if fcs&1 != 0 {
				fcs = fcs>>1 ^ 0x8408
			} else {
				fcs >>= 1
			}
		}
	}
	return fcs
}

// frameReader splits an asynchronous PPP byte stream into frames, undoing
// the escapes and checking the FCS.
type frameReader struct {
	buf     []byte
	escaped bool
	tooLong bool
}

// feed takes the next bytes of the stream and calls frame with the content
// of each complete frame whose FCS is valid (FCS removed).
func (r *frameReader) feed(data []byte, frame func([]byte)) {
	for _, c := range data {
		switch {
		case c == hdlcFlag:
			if !r.tooLong && !r.escaped && len(r.buf) > 2 && fcs16(fcsInitValue, r.buf) == fcsGood {
				frame(r.buf[:len(r.buf)-2])
			}
			r.buf, r.escaped, r.tooLong = r.buf[:0], false, false
		case c == hdlcEscape:
			r.escaped = true
		case r.tooLong:
		case len(r.buf) >= maxFrame:
			r.tooLong = true
		default:
			if r.escaped {
				c ^= hdlcXor
				r.escaped = false
			}
			r.buf = append(r.buf, c)
		}
	}
}

// lcpTerminate returns the LCP code and identifier of a frame's content
// when it is an LCP Terminate-Request or Terminate-Ack.
func lcpTerminate(f []byte) (code, id byte, ok bool) {
	// Address and control may be compressed away on other packets, never
	// on LCP's (RFC 1661 6.6); accept them absent all the same.
	if len(f) >= 2 && f[0] == 0xff && f[1] == 0x03 {
		f = f[2:]
	}
	if len(f) < 6 || uint16(f[0])<<8|uint16(f[1]) != protoLCP {
		return 0, 0, false
	}
	code, id = f[2], f[3]
	if code != lcpTermReq && code != lcpTermAck {
		return 0, 0, false
	}
	return code, id, true
}

// encodeFrame frames content (address, control, protocol, packet) for an
// asynchronous line, escaping every control character as LCP requires.
func encodeFrame(content []byte) []byte {
	fcs := ^fcs16(fcsInitValue, content)
	raw := append(append([]byte(nil), content...), byte(fcs), byte(fcs>>8))
	out := []byte{hdlcFlag}
	for _, c := range raw {
		if c < 0x20 || c == hdlcFlag || c == hdlcEscape {
			out = append(out, hdlcEscape, c^hdlcXor)
			continue
		}
		out = append(out, c)
	}
	return append(out, hdlcFlag)
}

// termAckFrame is an LCP Terminate-Ack with identifier id, framed.
func termAckFrame(id byte) []byte {
	return encodeFrame([]byte{0xff, 0x03, byte(protoLCP >> 8), byte(protoLCP & 0xff), lcpTermAck, id, 0, 4})
}

// termTracker follows the LCP terminate handshake of a call: the host's
// last Terminate-Request and whether the other side acknowledged it.
type termTracker struct {
	mu         sync.Mutex
	fromHost   frameReader
	fromRemote frameReader
	held       []byte // a frame from the remote not yet complete (lose only)
	pending    bool   // the host asked to terminate; no acknowledgement seen
	id         byte   // the identifier of that request
}

// host takes bytes the host sent in the call.
func (t *termTracker) host(data []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fromHost.feed(data, func(f []byte) {
		if code, id, ok := lcpTerminate(f); ok && code == lcpTermReq {
			t.pending, t.id = true, id
		}
	})
}

// remote takes bytes the data command sent toward the host and returns
// those to pass on, and how many Terminate-Acks it cut out. With lose, the
// network's Terminate-Acks are cut out of the stream, and so answer
// nothing; everything else passes, a frame at a time (the bytes of a frame
// not yet complete are held back until its closing flag).
func (t *termTracker) remote(data []byte, lose bool) (pass []byte, lost int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !lose {
		t.fromRemote.feed(data, func(f []byte) {
			if code, id, ok := lcpTerminate(f); ok && code == lcpTermAck && t.pending && id == t.id {
				t.pending = false
			}
		})
		if len(t.held) == 0 {
			return data, 0
		}
		pass = append(t.held, data...)
		t.held = nil
		return pass, 0
	}
	ack := false
	isAck := func(f []byte) {
		code, _, ok := lcpTerminate(f)
		ack = ok && code == lcpTermAck
	}
	for i, c := range data {
		ack = false
		t.fromRemote.feed(data[i:i+1], isAck)
		t.held = append(t.held, c)
		if c != hdlcFlag {
			continue
		}
		if ack {
			lost++
			t.held = t.held[len(t.held)-1:] // the flag still ends what came before
		}
		pass = append(pass, t.held...)
		t.held = t.held[:0]
	}
	return pass, lost
}

// unanswered returns the identifier of the host's Terminate-Request that
// nobody acknowledged, if there is one.
func (t *termTracker) unanswered() (byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.id, t.pending
}
