package main

import (
	"fmt"
	"strings"

	"github.com/pppkeep/pppkeep/pkg/config"
)

// sectionTitles name the groups of keys as the sample file has them; a
// group missing here is still listed, under its own name.
var sectionTitles = map[string]string{
	"service": "Service keys",
	"ppp":     "PPP keys (below # PPP config)",
	"monitor": "Monitor keys (below # monitor)",
	"state":   "State (written by ppp_wrapper)",
}

// renderKeys is the Markdown of pppkeep(5)'s key list: every key, in the
// table's order, a subsection for each group.
func renderKeys(keys []config.Key) string {
	var b strings.Builder
	section := ""
	for i, k := range keys {
		if i == 0 || k.Section != section {
			section = k.Section
			title, ok := sectionTitles[section]
			if !ok {
				title = section + " keys"
			}
			fmt.Fprintf(&b, "### %s\n\n", mdEscape(title))
		}
		def := k.Default
		if def == "" {
			def = "(empty)"
		}
		readers := strings.Join(k.Readers, ", ")
		if readers == "" {
			readers = "(no tool)"
		}
		// Two spaces end a line with a break: each fact on its own line.
		lines := []string{
			mdEscape(k.Meaning),
			"Accepted: " + mdEscape(k.Accepted),
			"Default: " + mdEscape(def),
			"Read by: " + mdEscape(readers),
		}
		if k.Secret {
			lines = append(lines, "Secret: the value is never shown in errors or logs")
		}
		fmt.Fprintf(&b, "**%s**\n:   %s\n\n", mdEscape(k.Name), strings.Join(lines, "  \n    "))
	}
	return b.String()
}

// mdEscape keeps s literal in Markdown: a backslash before each character
// that could start emphasis, code, a link or HTML, and before a first
// character that could start a block (a list, a heading, a quote).
func mdEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune("\\`*_[]<>&", r) || i == 0 && strings.ContainsRune("#+-:|>~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
