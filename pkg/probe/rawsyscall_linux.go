package probe

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The system calls of a probe, made with RawSyscall: without the
// runtime's entersyscall, which wakes its monitor thread (sysmon) when it
// sleeps, two wake-ups for each burst of calls (it naps 20 µs before it
// sleeps again), most of a probe's cost. A raw call keeps its thread from
// the scheduler until it returns, so these are only for calls that never
// block: on non-blocking descriptors, inside a syscall.RawConn's Read or
// Write, where EAGAIN hands the wait to the netpoller, which sleeps in
// epoll_wait without waking anyone.

func errnoErr(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

// rawSendto sends b to to.
func rawSendto(fd int, b []byte, to *unix.RawSockaddrInet4) error {
	_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)),
		0, uintptr(unsafe.Pointer(to)), unix.SizeofSockaddrInet4)
	return errnoErr(e)
}

// rawRecvfrom reads one datagram into b and its source into from.
func rawRecvfrom(fd int, b []byte, from *unix.RawSockaddrInet4) (int, error) {
	fromLen := uint32(unix.SizeofSockaddrInet4)
	n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)),
		0, uintptr(unsafe.Pointer(from)), uintptr(unsafe.Pointer(&fromLen)))
	return int(n), errnoErr(e)
}

// rawSetsockoptInt sets the integer socket option level/opt to v.
func rawSetsockoptInt(fd, level, opt, v int) error {
	i := int32(v)
	_, _, e := unix.RawSyscall6(unix.SYS_SETSOCKOPT, uintptr(fd), uintptr(level), uintptr(opt),
		uintptr(unsafe.Pointer(&i)), 4, 0)
	return errnoErr(e)
}

// rawTimerfdSettime arms (or, all zero, disarms) the timerfd fd, relative
// to now.
func rawTimerfdSettime(fd int, spec *unix.ItimerSpec) error {
	_, _, e := unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, uintptr(fd), 0, uintptr(unsafe.Pointer(spec)), 0, 0, 0)
	return errnoErr(e)
}

// rawRead reads into b.
func rawRead(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	return int(n), errnoErr(e)
}
