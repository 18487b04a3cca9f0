package probe

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"syscall"
	"time"

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

// Socket is an ICMP socket bound to one interface. It is a non-blocking
// descriptor in the Go netpoller, read and written with raw system calls
// (see rawsyscall_linux.go): a read with nothing to read waits in the
// netpoller.
type Socket struct {
	iface string
	kind  Kind
	note  string
	f     *os.File
	rc    syscall.RawConn
	ttl   int
	rt    *readTimer // the read deadline; nil: the runtime's

	// The callbacks of rc.Read and rc.Write and what they work on: made
	// once, so that a probe allocates nothing for them.
	out     []byte
	to      unix.RawSockaddrInet4
	sendErr error
	send    func(fd uintptr) bool
	in      []byte
	from    unix.RawSockaddrInet4
	n       int
	recvErr error
	recv    func(fd uintptr) bool
}

// Listen opens an ICMP socket of kind bound to the interface iface
// (SO_BINDTODEVICE): requests leave only through it, answers are taken
// only from it. With Auto it opens a raw socket when permitted and a
// datagram ping socket otherwise; Note says why.
func Listen(iface string, kind Kind) (*Socket, error) {
	switch kind {
	case Raw:
		return listen(iface, Raw)
	case Datagram:
		return listen(iface, Datagram)
	}
	s, rawErr := listen(iface, Raw)
	if rawErr == nil {
		s.note = "raw ICMP socket"
		return s, nil
	}
	if !errors.Is(rawErr, os.ErrPermission) {
		return nil, rawErr
	}
	s, err := listen(iface, Datagram)
	if err != nil {
		return nil, fmt.Errorf("%w; and %w", rawErr, err)
	}
	s.note = "datagram ICMP socket (a raw one is not permitted without CAP_NET_RAW)"
	return s, nil
}

func listen(iface string, kind Kind) (*Socket, error) {
	typ, what := unix.SOCK_RAW, "raw ICMP socket"
	if kind == Datagram {
		typ, what = unix.SOCK_DGRAM, "datagram ICMP socket"
	}
	fd, err := unix.Socket(unix.AF_INET, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, unix.IPPROTO_ICMP)
	if err != nil {
		err = os.NewSyscallError("socket", err)
		if kind == Datagram {
			err = fmt.Errorf("%w (is the group in net.ipv4.ping_group_range?)", err)
		}
		return nil, fmt.Errorf("probe: %s on %s: %w", what, iface, err)
	}
	if err := setUp(fd, iface, kind); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("probe: %s on %s: %w", what, iface, err)
	}
	s, err := newSocket(fd, iface, kind)
	if err != nil {
		return nil, fmt.Errorf("probe: %s on %s: %w", what, iface, err)
	}
	return s, nil
}

// setUp binds the socket fd to iface, lets through (raw socket) only the
// messages a Prober can use, and sets the time-to-live of plain echo
// requests.
func setUp(fd int, iface string, kind Kind) error {
	if err := unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, iface); err != nil {
		if errors.Is(err, unix.ENODEV) {
			return fmt.Errorf("no interface %s", iface)
		}
		return os.NewSyscallError("setsockopt SO_BINDTODEVICE "+iface, err)
	}
	if kind == Raw {
		// The filter's bits are the types to drop: fewer wake-ups on a
		// busy router.
		keep := uint32(1<<0 | 1<<3 | 1<<11) // echo reply, destination unreachable, time exceeded
		if err := unix.SetsockoptInt(fd, unix.SOL_RAW, unix.ICMP_FILTER, int(int32(^keep))); err != nil {
			return os.NewSyscallError("setsockopt ICMP_FILTER", err)
		}
	} else if err := unix.Bind(fd, &unix.SockaddrInet4{}); err != nil {
		// A ping socket gets its identifier (its "port") when bound.
		return os.NewSyscallError("bind", err)
	}
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_TTL, DefaultTTL); err != nil {
		return os.NewSyscallError("setsockopt IP_TTL", err)
	}
	return nil
}

// newSocket puts the non-blocking socket fd into the netpoller.
func newSocket(fd int, iface string, kind Kind) (*Socket, error) {
	s := &Socket{iface: iface, kind: kind, ttl: DefaultTTL, f: os.NewFile(uintptr(fd), "icmp-"+kind.String())}
	rc, err := s.f.SyscallConn()
	if err != nil {
		s.f.Close()
		return nil, err
	}
	s.rc = rc
	// EINTR: a non-blocking call should not be interrupted, but that is
	// for the kernel to keep; EAGAIN: the netpoller waits.
	s.send = func(fd uintptr) bool {
		for {
			if s.sendErr = rawSendto(int(fd), s.out, &s.to); s.sendErr != unix.EINTR {
				return s.sendErr != unix.EAGAIN
			}
		}
	}
	s.recv = func(fd uintptr) bool {
		for {
			if s.n, s.recvErr = rawRecvfrom(int(fd), s.in, &s.from); s.recvErr != unix.EINTR {
				return s.recvErr != unix.EAGAIN
			}
		}
	}
	if rt, err := newReadTimer(s.f.SetReadDeadline); err == nil {
		s.rt = rt
	}
	return s, nil
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

// WriteTo sends the ICMP message b to dst with time-to-live ttl. Calls
// must not overlap (a Prober takes turns).
func (s *Socket) WriteTo(b []byte, ttl int, dst netip.Addr) error {
	dst = dst.Unmap()
	if !dst.Is4() {
		return fmt.Errorf("probe: %s is not an IPv4 address", dst)
	}
	if ttl != s.ttl {
		var err error
		cerr := s.rc.Control(func(fd uintptr) { err = rawSetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_TTL, ttl) })
		if err = errors.Join(cerr, err); err != nil {
			return os.NewSyscallError("setsockopt IP_TTL", err)
		}
		s.ttl = ttl
	}
	s.out, s.to = b, unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: dst.As4()}
	err := s.rc.Write(s.send)
	s.out = nil
	if err != nil {
		return err
	}
	if s.sendErr != nil {
		return os.NewSyscallError("sendto", s.sendErr)
	}
	return nil
}

// ReadFrom reads one ICMP message, without the IP header, and its source.
// Calls must not overlap (a Prober takes turns).
func (s *Socket) ReadFrom(b []byte) (int, netip.Addr, error) {
	s.in = b
	err := s.rc.Read(s.recv)
	s.in = nil
	if err != nil {
		return 0, netip.Addr{}, err
	}
	if s.recvErr != nil {
		return 0, netip.Addr{}, os.NewSyscallError("recvfrom", s.recvErr)
	}
	n := s.n
	if s.kind == Raw {
		// A raw socket hands over the IP header too.
		n = stripIPv4Header(b[:n])
	}
	return n, netip.AddrFrom4(s.from.Addr), nil
}

// stripIPv4Header moves the payload of the IPv4 datagram b to its start
// and returns its length (0 when b is not one).
func stripIPv4Header(b []byte) int {
	if len(b) < 20 || b[0]>>4 != 4 {
		return 0
	}
	ihl := int(b[0]&0x0f) * 4
	if ihl < 20 || ihl > len(b) {
		return 0
	}
	return copy(b, b[ihl:])
}

// SetReadDeadline sets the deadline of the next reads (by a timerfd, see
// Timerfd).
func (s *Socket) SetReadDeadline(t time.Time) error {
	if s.rt == nil {
		return s.f.SetReadDeadline(t)
	}
	return s.rt.SetReadDeadline(t)
}

// Close closes the socket.
func (s *Socket) Close() error {
	if s.rt != nil {
		s.rt.Close()
	}
	return s.f.Close()
}
