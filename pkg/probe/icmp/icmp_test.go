package icmp

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChecksum(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		want uint16
	}{
		{"RFC 1071's example", "0001f203f4f5f6f7", 0x220d},
		{"an IPv4 header", "450000730000400040110000c0a80001c0a800c7", 0xb861},
		{"odd length: the last byte is padded", "01", 0xfeff},
		{"nothing", "", 0xffff},
		{"carries folded twice", "ffffffff0001", 0xfffe},
	} {
		if got := Checksum(unhex(t, c.in)); got != c.want {
			t.Errorf("Checksum(%s) (%s) = %#04x, want %#04x", c.in, c.name, got, c.want)
		}
	}
}

func TestAppendEcho(t *testing.T) {
	for _, c := range []struct {
		m    Message
		want string
	}{
		// What Windows' ping sends first.
		{Message{Type: Echo, ID: 1, Seq: 1, Data: []byte("abcdefghijklmnopqrstuvwabcdefghi")},
			"08004d5a00010001" + hex.EncodeToString([]byte("abcdefghijklmnopqrstuvwabcdefghi"))},
		{Message{Type: EchoReply, ID: 0x1234, Seq: 7, Data: []byte("pppkeep-test-tok")},
			"0000b29c123400077070706b6565702d746573742d746f6b"},
		{Message{Type: Echo, ID: 0xffff, Seq: 0xffff}, "0800f7ffffffffff"},
	} {
		got := c.m.Append([]byte("kept"))
		if want := append([]byte("kept"), unhex(t, c.want)...); !bytes.Equal(got, want) {
			t.Errorf("%+v.Append(kept) = %x, want %x", c.m, got, want)
		}
		if Checksum(got[4:]) != 0 {
			t.Errorf("%+v.Append: checksum over the message is %#04x, want 0", c.m, Checksum(got[4:]))
		}
	}
}

func TestAppendErrorMessage(t *testing.T) {
	quoted := unhex(t, "4500003c00000000010100000a0001010a0009090800b29c12340007")
	m := Message{Type: TimeExceeded, Code: 0, Data: quoted}
	got := m.Append(nil)
	if !bytes.Equal(got[:2], []byte{11, 0}) || !bytes.Equal(got[4:8], []byte{0, 0, 0, 0}) || !bytes.Equal(got[8:], quoted) {
		t.Errorf("%+v.Append(nil) = %x, want type 11, code 0, 4 unused zero bytes and the quote", m, got)
	}
	if Checksum(got) != 0 {
		t.Errorf("%+v.Append(nil): checksum over the message is %#04x, want 0", m, Checksum(got))
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Message
	}{
		{"0000b29c123400077070706b6565702d746573742d746f6b",
			Message{Type: EchoReply, ID: 0x1234, Seq: 7, Data: []byte("pppkeep-test-tok")}},
		{"0800f7ffffffffff", Message{Type: Echo, ID: 0xffff, Seq: 0xffff, Data: []byte{}}},
		// Destination Unreachable, fragmentation needed (next-hop MTU 1400
		// in the second word), quoting 28 bytes.
		{"0304000000000578" + "4500003c00000000010100000a0001010a0009090800b29c12340007",
			Message{Type: DestinationUnreachable, Code: 4, Data: unhex(t, "4500003c00000000010100000a0001010a0009090800b29c12340007")}},
		// A type we do not know: its data after the 8-byte header.
		{"0d00000000000000aabb", Message{Type: 13, Data: []byte{0xaa, 0xbb}}},
		// A wrong checksum is not checked: the kernel checks what it
		// delivers, and a reply is a reply.
		{"000000001234000701", Message{Type: EchoReply, ID: 0x1234, Seq: 7, Data: []byte{1}}},
	} {
		got, err := Parse(unhex(t, c.in))
		if err != nil || !equal(got, c.want) {
			t.Errorf("Parse(%s) = %+v, %v, want %+v, nil", c.in, got, err, c.want)
		}
	}
}

func equal(a, b Message) bool {
	return a.Type == b.Type && a.Code == b.Code && a.ID == b.ID && a.Seq == b.Seq && bytes.Equal(a.Data, b.Data)
}

func TestParseTooShort(t *testing.T) {
	for _, in := range []string{"", "00", "0000b29c", "0000b29c123400"} {
		if m, err := Parse(unhex(t, in)); err == nil {
			t.Errorf("Parse(%s) = %+v, nil, want an error (an ICMP header is 8 bytes)", in, m)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, m := range []Message{
		{Type: Echo, ID: 0x8001, Seq: 65535, Data: []byte("token")},
		{Type: EchoReply, ID: 0, Seq: 0, Data: bytes.Repeat([]byte{0xff}, 1473)},
		{Type: TimeExceeded, Code: 1, Data: []byte("quoted datagram")},
		{Type: DestinationUnreachable, Code: 13, Data: []byte{}},
	} {
		got, err := Parse(m.Append(nil))
		if err != nil || !equal(got, m) {
			t.Errorf("Parse(%+v.Append(nil)) = %+v, %v, want it back", m, got, err)
		}
	}
}

func TestParseQuote(t *testing.T) {
	echo := "0800b29c12340007"
	for _, c := range []struct {
		name, in string
		want     Quote
	}{
		{"a 20-byte header and 8 bytes", "4500003c00000000010100000a0001010a000909" + echo,
			Quote{Src: netip.MustParseAddr("10.0.1.1"), Dst: netip.MustParseAddr("10.0.9.9"), Protocol: 1, Payload: unhex(t, echo)}},
		{"a header with options", "4600004000000000010100000a0001010a00090901010101" + echo + "aa",
			Quote{Src: netip.MustParseAddr("10.0.1.1"), Dst: netip.MustParseAddr("10.0.9.9"), Protocol: 1, Payload: unhex(t, echo+"aa")}},
		{"UDP", "4500003c00000000011100000a0001010a0009090035003500080000",
			Quote{Src: netip.MustParseAddr("10.0.1.1"), Dst: netip.MustParseAddr("10.0.9.9"), Protocol: 17, Payload: unhex(t, "0035003500080000")}},
	} {
		got, err := ParseQuote(unhex(t, c.in))
		if err != nil || got.Src != c.want.Src || got.Dst != c.want.Dst || got.Protocol != c.want.Protocol || !bytes.Equal(got.Payload, c.want.Payload) {
			t.Errorf("ParseQuote(%s) (%s) = %+v, %v, want %+v, nil", c.in, c.name, got, err, c.want)
		}
	}
	for _, c := range []struct{ name, in string }{
		{"nothing", ""},
		{"a short header", "4500003c000000000101"},
		{"IPv6", "6000000000080140" + echo},
		{"a header length under 20", "4400003c00000000010100000a0001010a000909" + echo},
		{"fewer than 8 bytes after the header", "4500003c00000000010100000a0001010a0009090800b29c123400"},
		{"options longer than the quote", "4f00003c00000000010100000a0001010a000909" + echo},
	} {
		if q, err := ParseQuote(unhex(t, c.in)); err == nil {
			t.Errorf("ParseQuote(%s) (%s) = %+v, nil, want an error", c.in, c.name, q)
		}
	}
}

// FuzzParseICMP: no input makes Parse or ParseQuote panic, and what
// Parse accepts comes back the same from Append.
func FuzzParseICMP(f *testing.F) {
	f.Add(unhex(f, "0000b29c123400077070706b6565702d746573742d746f6b"))
	f.Add(unhex(f, "0b00000000000000"+"4500003c00000000010100000a0001010a0009090800b29c12340007"))
	f.Add(unhex(f, "0301000000000000"+"4f00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		again, err := Parse(m.Append(nil))
		if err != nil || !equal(again, m) {
			t.Errorf("Parse(Parse(%x).Append(nil)) = %+v, %v, want %+v", b, again, err, m)
		}
		if q, err := ParseQuote(m.Data); err == nil {
			Parse(q.Payload)
		}
	})
}
