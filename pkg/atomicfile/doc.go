// Package atomicfile replaces files so that a reader, a crash or a power cut
// sees either the old content or the new one, never a mix: the new content
// goes to a temporary file in the same directory, is synced, given its mode
// and owner, and renamed over the old name.
//
// Routers keep /etc on a persistent partition, so a file may be a symbolic
// link: Replace follows the links as the kernel does (an absolute target
// from the real root, even under a tool's --root) and replaces the file at
// the end of them, with the temporary file beside it, so the link stays a
// link. A link to a missing file creates that file, as a shell's ">" does;
// a loop is an error. A rename gives the new content to one name only: a
// file with other hard links keeps the old content under those, and
// Result.Warning says so for the caller to log.
//
// Routers write to flash, so ReplaceIfChanged skips the write altogether when
// the file already holds the wanted content and mode.
//
// Every error is an *Error that names the file once and unwraps to the
// cause (errors.Is(err, syscall.ENOSPC)); the file is unchanged after it.
package atomicfile
