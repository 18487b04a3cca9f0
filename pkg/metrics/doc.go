// Package metrics writes Prometheus's text exposition format (version
// 0.0.4) for node_exporter's textfile collector. It does not use the
// Prometheus client library, which would add megabytes to a router's
// binary for a file of a few dozen lines.
//
// A Set holds metric families, each a Gauge or a Counter with its samples
// (Family.Add). Bytes renders the set: the families sorted by name, each
// with its # HELP and # TYPE lines, label values escaped (backslash,
// double quote, newline) and made valid UTF-8. Names, label names and
// label sets are checked as samples are added; the first mistake is kept
// and Bytes returns it, so a caller builds a whole set and checks once.
// A mistake is refused rather than written, since node_exporter drops a
// file it cannot take (a duplicate series, say) whole.
//
// WriteFile replaces DIR/NAME through pkg/atomicfile: the collector, which
// reads every *.prom file at each scrape, sees the old file or the new
// one, never half of one, and the temporary file's name does not end in
// .prom, so the collector never reads that either.
package metrics
