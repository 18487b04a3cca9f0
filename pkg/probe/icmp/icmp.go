package icmp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Type is an ICMP message type.
type Type uint8

// The types a prober sends or reads.
const (
	EchoReply              Type = 0
	DestinationUnreachable Type = 3
	Echo                   Type = 8 // echo request
	TimeExceeded           Type = 11
)

// HeaderLen is the size of every message's header.
const HeaderLen = 8

// Message is one ICMP message.
type Message struct {
	Type Type
	Code uint8
	// ID and Seq are an echo request's or reply's identifier and sequence
	// number; other types have none (their second word is sent as zeros).
	ID, Seq uint16
	// Data is what follows the header: an echo message's payload, the
	// datagram an error message quotes.
	Data []byte
}

func (m Message) isEcho() bool { return m.Type == Echo || m.Type == EchoReply }

// Append appends m, with its checksum, to b.
func (m Message) Append(b []byte) []byte {
	start := len(b)
	b = append(b, byte(m.Type), m.Code, 0, 0, 0, 0, 0, 0)
	if m.isEcho() {
		binary.BigEndian.PutUint16(b[start+4:], m.ID)
		binary.BigEndian.PutUint16(b[start+6:], m.Seq)
	}
	b = append(b, m.Data...)
	binary.BigEndian.PutUint16(b[start+2:], Checksum(b[start:]))
	return b
}

// Parse reads the message b; Data is part of b. The checksum is not
// checked: the kernel checks what it delivers to ping sockets, and even a
// damaged echo reply proves that the link carried it.
func Parse(b []byte) (Message, error) {
	if len(b) < HeaderLen {
		return Message{}, fmt.Errorf("icmp: a message of %d bytes, want at least %d", len(b), HeaderLen)
	}
	m := Message{Type: Type(b[0]), Code: b[1], Data: b[HeaderLen:]}
	if m.isEcho() {
		m.ID, m.Seq = binary.BigEndian.Uint16(b[4:]), binary.BigEndian.Uint16(b[6:])
	}
	return m, nil
}

// Checksum is the Internet checksum of b (RFC 1071): the ones' complement
// of the ones' complement sum of its 16-bit big-endian words, an odd last
// byte taken as the high half of a word. A message with its checksum in
// place sums to 0.
func Checksum(b []byte) uint16 {
	var sum uint32
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// Quote is the start of the datagram that an error message quotes.
type Quote struct {
	Src, Dst netip.Addr
	Protocol uint8 // 1 is ICMP
	// Payload is what followed the IP header, at least 8 bytes (routers
	// may quote no more).
	Payload []byte
}

// ParseQuote reads the quoted datagram b (an error message's Data): an
// IPv4 header, with its options, and at least 8 bytes after it. Payload
// is part of b.
func ParseQuote(b []byte) (Quote, error) {
	if len(b) < 20 {
		return Quote{}, fmt.Errorf("icmp: a quote of %d bytes, want an IPv4 header of 20 and 8 bytes more", len(b))
	}
	if v := b[0] >> 4; v != 4 {
		return Quote{}, fmt.Errorf("icmp: the quoted datagram is IP version %d, want 4", v)
	}
	ihl := int(b[0]&0x0f) * 4
	switch {
	case ihl < 20:
		return Quote{}, errors.New("icmp: the quoted IPv4 header says it is shorter than 20 bytes")
	case len(b) < ihl+8:
		return Quote{}, fmt.Errorf("icmp: a quote of %d bytes, want the %d-byte IPv4 header and 8 bytes more", len(b), ihl)
	}
	return Quote{
		Src:      netip.AddrFrom4([4]byte(b[12:16])),
		Dst:      netip.AddrFrom4([4]byte(b[16:20])),
		Protocol: b[9],
		Payload:  b[ihl:],
	}, nil
}
