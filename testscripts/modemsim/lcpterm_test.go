package modemsim

import (
	"bytes"
	"testing"
)

func TestFCS16CheckValue(t *testing.T) {
	// The check value of CRC-16/X.25, PPP's FCS, over "123456789".
	if got, want := ^fcs16(fcsInitValue, []byte("123456789")), uint16(0x906e); got != want {
		t.Errorf("FCS of 123456789 = %#04x, want %#04x", got, want)
	}
}

// A Terminate-Request as the host's pppd sends it: "Failed to authenticate
// ourselves to peer", id 2, framed with every control character escaped.
func hostTermReq(id byte) []byte {
	msg := "Failed to authenticate ourselves to peer"
	pkt := []byte{0xff, 0x03, 0xc0, 0x21, lcpTermReq, id, 0, byte(4 + len(msg))}
	return encodeFrame(append(pkt, msg...))
}

func TestFrameReaderSplitsEscapesAndChecks(t *testing.T) {
	ack := termAckFrame(0x7d) // an id that must be escaped
	if !bytes.Contains(ack, []byte{hdlcEscape, 0x7d ^ hdlcXor}) {
		t.Fatalf("termAckFrame(0x7d) = % x, want the id escaped", ack)
	}
	bad := termAckFrame(3)
	bad[len(bad)-2] ^= 0x01 // a broken FCS
	stream := append(append(append([]byte("noise"), hostTermReq(2)...), bad...), ack...)
	for _, chunk := range []int{1, 3, 7, len(stream)} {
		var r frameReader
		var got [][2]byte
		for i := 0; i < len(stream); i += chunk {
			r.feed(stream[i:min(i+chunk, len(stream))], func(f []byte) {
				if code, id, ok := lcpTerminate(f); ok {
					got = append(got, [2]byte{code, id})
				}
			})
		}
		want := [][2]byte{{lcpTermReq, 2}, {lcpTermAck, 0x7d}}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("fed in chunks of %d: frames %v, want %v (the one with a bad FCS dropped)", chunk, got, want)
		}
	}
}

func TestLCPTerminateIgnoresOtherPackets(t *testing.T) {
	for _, f := range [][]byte{
		{0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4},          // Configure-Request
		{0xff, 0x03, 0x80, 0x21, lcpTermReq, 1, 0, 4}, // IPCP, not LCP
		{0xff, 0x03, 0xc0, 0x21, lcpTermReq},          // short
	} {
		if code, id, ok := lcpTerminate(f); ok {
			t.Errorf("lcpTerminate(% x) = %d, %d, true; want not a terminate packet", f, code, id)
		}
	}
	if code, id, ok := lcpTerminate([]byte{0xc0, 0x21, lcpTermAck, 9, 0, 4}); !ok || code != lcpTermAck || id != 9 {
		t.Errorf("lcpTerminate without address and control = %d, %d, %v; want Terminate-Ack 9", code, id, ok)
	}
}

func TestTermTracker(t *testing.T) {
	var tr termTracker
	if _, ok := tr.unanswered(); ok {
		t.Fatal("a new call has an unanswered Terminate-Request")
	}
	tr.host(hostTermReq(2))
	if id, ok := tr.unanswered(); !ok || id != 2 {
		t.Fatalf("after the host's Terminate-Request 2: unanswered = %d, %v; want 2, true", id, ok)
	}
	ack1 := termAckFrame(1) // an acknowledgement of another request
	if pass, lost := tr.remote(ack1, false); !bytes.Equal(pass, ack1) || lost != 0 {
		t.Errorf("remote(Terminate-Ack 1) = % x, %d; want it passed, 0 lost", pass, lost)
	}
	if _, ok := tr.unanswered(); !ok {
		t.Error("a Terminate-Ack with another id answered the host's request")
	}
	pass, lost := tr.remote(termAckFrame(2), false)
	if _, ok := tr.unanswered(); ok || lost != 0 || len(pass) == 0 {
		t.Errorf("after the remote's Terminate-Ack 2 passed on: unanswered, %d lost, % x passed; want answered, 0 lost, the frame", lost, pass)
	}
}

// With lose, only the remote's Terminate-Acks are cut out of the stream:
// the frames around them pass whole, however the stream is split.
func TestTermTrackerLosesOnlyTerminateAcks(t *testing.T) {
	req := encodeFrame([]byte{0xff, 0x03, 0xc0, 0x21, lcpTermReq, 2, 0, 4})
	other := encodeFrame([]byte{0xff, 0x03, 0x80, 0x21, 1, 1, 0, 4}) // IPCP
	stream := append(append(append([]byte(nil), req...), termAckFrame(2)...), other...)
	want := append(append(append([]byte(nil), req...), hdlcFlag, hdlcFlag), other...)
	for _, chunk := range []int{1, 2, 5, len(stream)} {
		var tr termTracker
		tr.host(hostTermReq(2))
		var got []byte
		lost := 0
		for i := 0; i < len(stream); i += chunk {
			p, l := tr.remote(stream[i:min(i+chunk, len(stream))], true)
			got, lost = append(got, p...), lost+l
		}
		if !bytes.Equal(got, want) || lost != 1 {
			t.Errorf("chunks of %d: passed % x, %d lost; want % x, 1 lost", chunk, got, lost, want)
		}
		if id, ok := tr.unanswered(); !ok || id != 2 {
			t.Errorf("chunks of %d: the lost Terminate-Ack answered the host's request", chunk)
		}
	}

	var tr termTracker
	half := len(other) / 2
	if p, _ := tr.remote(other[:half], true); !bytes.Equal(p, other[:1]) {
		t.Errorf("half a frame with lose passed % x; want only its opening flag", p)
	}
	if p, _ := tr.remote(other[half:], false); !bytes.Equal(p, other[1:]) {
		t.Errorf("after lose is switched off, passed % x; want the held bytes and the rest % x", p, other[1:])
	}
}
