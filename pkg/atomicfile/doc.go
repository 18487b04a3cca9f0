// Package atomicfile replaces files so that a reader, a crash or a power cut
// sees either the old content or the new one, never a mix: the new content
// goes to a temporary file in the same directory, is synced, given its mode
// and owner, and renamed over the old name.
//
// Routers write to flash, so WriteIfChanged skips the write altogether when
// the file already holds the wanted content and mode.
package atomicfile
