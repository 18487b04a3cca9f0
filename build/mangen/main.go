package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cpuguy83/go-md2man/v2/md2man"

	"github.com/pppkeep/pppkeep/pkg/config"
)

const (
	// keysTemplate is pppkeep(5) without its key list; keysPlaceholder is
	// the line of it that the list replaces.
	keysTemplate    = "pppkeep.5.md.in"
	keysPlaceholder = "@KEYS@"
)

func main() {
	out := flag.String("out", "", "directory to write the pages into")
	src := flag.String("src", "man", "directory of the Markdown sources")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "usage: mangen -out DIR [-src DIR]\n")
		os.Exit(2)
	}
	if err := generate(*src, *out); err != nil {
		fmt.Fprintf(os.Stderr, "mangen: %v\n", err)
		os.Exit(1)
	}
}

// generate writes out/pppkeep.5.md and the roff of every page: the
// generated one and each src/<name>.<section>.md.
func generate(src, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmpl, err := os.ReadFile(filepath.Join(src, keysTemplate))
	if err != nil {
		return err
	}
	keysPage, err := fillKeys(tmpl, config.Keys)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(src, keysTemplate), err)
	}
	keysMD := filepath.Join(out, strings.TrimSuffix(keysTemplate, ".in"))
	if err := os.WriteFile(keysMD, keysPage, 0o644); err != nil {
		return err
	}
	sources, err := filepath.Glob(filepath.Join(src, "*.[1-8].md"))
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		return fmt.Errorf("%s: no pages (NAME.SECTION.md)", src)
	}
	for _, md := range append(sources, keysMD) {
		text, err := os.ReadFile(md)
		if err != nil {
			return err
		}
		roff, err := toRoff(text)
		if err != nil {
			return fmt.Errorf("%s: %w", md, err)
		}
		page := filepath.Join(out, strings.TrimSuffix(filepath.Base(md), ".md"))
		if err := os.WriteFile(page, roff, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fillKeys puts the key list in place of the template's placeholder line.
func fillKeys(tmpl []byte, keys []config.Key) ([]byte, error) {
	lines := strings.SplitAfter(string(tmpl), "\n")
	at := -1
	for i, l := range lines {
		if strings.TrimSpace(l) != keysPlaceholder {
			continue
		}
		if at >= 0 {
			return nil, fmt.Errorf("more than one %s line", keysPlaceholder)
		}
		at = i
	}
	if at < 0 {
		return nil, fmt.Errorf("no %s line where the key list goes", keysPlaceholder)
	}
	lines[at] = renderKeys(keys)
	return []byte(strings.Join(lines, "")), nil
}

// noHyphens follows .TH, which turns hyphenation back on (and so do the
// man macros after an example, from HY), and stops lines breaking after a
// word's own hyphen: a key or a flag split across two lines (CON-NECT_OK,
// --pppd- pid) could not be searched for in the pager.
const noHyphens = ".nr HY 0\n.nh\n.cflags 0 -\n"

// toRoff converts a page with go-md2man. Every character outside ASCII
// becomes a groff \[uXXXX] escape: groff reads its input as Latin-1
// unless preconv runs first, which `man` does but `groff -man` does not.
func toRoff(md []byte) ([]byte, error) {
	if !utf8.Valid(md) {
		return nil, errors.New("not UTF-8")
	}
	roff := md2man.Render(md)
	head, rest, ok := bytes.Cut(roff, []byte("\n.TH "))
	if !ok {
		return nil, errors.New("no title line (% NAME SECTION DATE SOURCE MANUAL) at the top")
	}
	title, body, _ := bytes.Cut(rest, []byte("\n"))
	roff = slices.Concat(head, []byte("\n.TH "), title, []byte("\n"+noHyphens), body)
	var b bytes.Buffer
	for _, r := range string(roff) {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, `\[u%04X]`, r)
		}
	}
	return b.Bytes(), nil
}
