// Package icmp encodes and decodes the ICMP for IPv4 messages (RFC 792)
// that a prober sends and reads: echo request and echo reply, and the
// error messages that quote a request, Time Exceeded and Destination
// Unreachable.
//
// Every message starts with an 8-byte header: type, code, the Internet
// checksum (RFC 1071) over the whole message, and a 4-byte word that echo
// messages fill with an identifier and a sequence number. An error message
// then quotes the IP header and at least the first 8 bytes of the datagram
// it answers: for an echo request, its type, identifier and sequence
// number, which tell whose request it was.
//
// The functions are pure: Append builds a message with its checksum,
// Parse and ParseQuote read one without copying and fail on what is too
// short, never panic.
package icmp
