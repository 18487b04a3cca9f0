package probe

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// Kind is the kind of ICMP socket.
type Kind int

const (
	// Auto: raw when permitted, else datagram.
	Auto Kind = iota
	// Raw: "ip4:icmp", needs CAP_NET_RAW.
	Raw
	// Datagram: "udp4" ping socket, allowed by net.ipv4.ping_group_range.
	Datagram
)

func (k Kind) String() string {
	switch k {
	case Raw:
		return "raw"
	case Datagram:
		return "datagram"
	}
	return "auto"
}

// Socket is an ICMP socket bound to one interface.
type Socket struct {
	iface string
	kind  Kind
	note  string
	pc    net.PacketConn
	p4    *ipv4.PacketConn
	ttl   int
	rt    *readTimer // the read deadline; nil: the runtime's
}

// Listen opens an ICMP socket of kind bound to the interface iface
// (SO_BINDTODEVICE): requests leave only through it, answers are taken
// only from it. With Auto it opens a raw socket when permitted and a
// datagram ping socket otherwise; Note says why.
func Listen(iface string, kind Kind) (*Socket, error) {
	switch kind {
	case Raw:
		return listenRaw(iface)
	case Datagram:
		return listenDatagram(iface)
	}
	s, rawErr := listenRaw(iface)
	if rawErr == nil {
		s.note = "raw ICMP socket"
		return s, nil
	}
	if !errors.Is(rawErr, os.ErrPermission) {
		return nil, rawErr
	}
	s, err := listenDatagram(iface)
	if err != nil {
		return nil, fmt.Errorf("%w; and %w", rawErr, err)
	}
	s.note = "datagram ICMP socket (a raw one is not permitted without CAP_NET_RAW)"
	return s, nil
}

func listenRaw(iface string) (*Socket, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		cerr := c.Control(func(fd uintptr) {
			if err = bindToDevice(int(fd), iface); err != nil {
				return
			}
			// Only what a Prober can use: fewer wake-ups on a busy router.
			keep := uint32(1<<0 | 1<<3 | 1<<11) // echo reply, unreachable, time exceeded
			err = os.NewSyscallError("setsockopt ICMP_FILTER", unix.SetsockoptInt(int(fd), unix.SOL_RAW, unix.ICMP_FILTER, int(int32(^keep))))
		})
		return errors.Join(cerr, err)
	}}
	pc, err := lc.ListenPacket(context.Background(), "ip4:icmp", "0.0.0.0")
	if err != nil {
		return nil, fmt.Errorf("probe: raw ICMP socket on %s: %w", iface, unwrapOp(err))
	}
	return newSocket(iface, Raw, pc), nil
}

func listenDatagram(iface string) (*Socket, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.IPPROTO_ICMP)
	if err != nil {
		return nil, fmt.Errorf("probe: datagram ICMP socket on %s: %w (is the group in net.ipv4.ping_group_range?)", iface, os.NewSyscallError("socket", err))
	}
	if err := bindToDevice(fd, iface); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("probe: datagram ICMP socket on %s: %w", iface, err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("probe: datagram ICMP socket on %s: %w", iface, os.NewSyscallError("bind", err))
	}
	f := os.NewFile(uintptr(fd), "icmp-datagram")
	pc, err := net.FilePacketConn(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("probe: datagram ICMP socket on %s: %w", iface, err)
	}
	return newSocket(iface, Datagram, pc), nil
}

func bindToDevice(fd int, iface string) error {
	if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, iface); err != nil {
		if errors.Is(err, unix.ENODEV) {
			return fmt.Errorf("no interface %s", iface)
		}
		return os.NewSyscallError("setsockopt SO_BINDTODEVICE "+iface, err)
	}
	return nil
}

func newSocket(iface string, k Kind, pc net.PacketConn) *Socket {
	s := &Socket{iface: iface, kind: k, pc: pc, p4: ipv4.NewPacketConn(pc)}
	if rt, err := newReadTimer(pc.SetReadDeadline); err == nil {
		s.rt = rt
	}
	return s
}

// unwrapOp drops net.OpError's "listen ip4:icmp 0.0.0.0:" prefix, which
// says nothing here.
func unwrapOp(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}

// Kind is Raw or Datagram.
func (s *Socket) Kind() Kind { return s.kind }

// Note says which kind Auto chose and why ("" when the kind was asked for).
func (s *Socket) Note() string { return s.note }

// Interface is the interface the socket is bound to.
func (s *Socket) Interface() string { return s.iface }

// Options are the Prober options for this socket: a random identifier,
// matched on raw sockets only.
func (s *Socket) Options() Options {
	return Options{ID: int(rand.Uint32() & 0xffff), Datagram: s.kind == Datagram}
}

// WriteTo sends the ICMP message b to dst with time-to-live ttl.
func (s *Socket) WriteTo(b []byte, ttl int, dst netip.Addr) error {
	if ttl != s.ttl {
		if err := s.p4.SetTTL(ttl); err != nil {
			return err
		}
		s.ttl = ttl
	}
	var a net.Addr = &net.IPAddr{IP: dst.AsSlice()}
	if s.kind == Datagram {
		a = &net.UDPAddr{IP: dst.AsSlice()}
	}
	_, err := s.pc.WriteTo(b, a)
	return unwrapOp(err)
}

// ReadFrom reads one ICMP message, without the IP header, and its source.
func (s *Socket) ReadFrom(b []byte) (int, netip.Addr, error) {
	n, a, err := s.pc.ReadFrom(b)
	if err != nil {
		return 0, netip.Addr{}, err
	}
	var ip net.IP
	switch a := a.(type) {
	case *net.IPAddr:
		ip = a.IP
	case *net.UDPAddr:
		ip = a.IP
	}
	src, _ := netip.AddrFromSlice(ip)
	return n, src.Unmap(), nil
}

// SetReadDeadline sets the deadline of the next reads (by a timerfd, see
// Timerfd).
func (s *Socket) SetReadDeadline(t time.Time) error {
	if s.rt == nil {
		return s.pc.SetReadDeadline(t)
	}
	return s.rt.SetReadDeadline(t)
}

// Close closes the socket.
func (s *Socket) Close() error {
	if s.rt != nil {
		s.rt.Close()
	}
	return s.pc.Close()
}
