package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/config"
	"github.com/pppkeep/pppkeep/pkg/genpppconfig"
	"github.com/pppkeep/pppkeep/pkg/modemreset"
	"github.com/pppkeep/pppkeep/pkg/pppmonitor"
	"github.com/pppkeep/pppkeep/pkg/pppwrapper"
)

// tools are the programs with a page in section 8, with the Main whose
// --help lists their flags.
var tools = map[string]func(args []string, stdout, stderr io.Writer) int{
	"gen_pppconfig": genpppconfig.Main,
	"ppp_wrapper":   pppwrapper.Main,
	"ppp_monitor":   pppmonitor.Main,
	"modem_reset":   modemreset.Main,
}

// build generates every page into a fresh directory, as `make man` does.
func build(t *testing.T) string {
	t.Helper()
	out := t.TempDir()
	if err := generate("../../man", out); err != nil {
		t.Fatalf("generate: %v", err)
	}
	return out
}

func wantPages() []string {
	pages := []string{"pppkeep.5"}
	for name := range tools {
		pages = append(pages, name+".8")
	}
	slices.Sort(pages)
	return pages
}

func TestEveryPageIsWritten(t *testing.T) {
	out := build(t)
	got, err := filepath.Glob(filepath.Join(out, "*.[1-8]"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i] = filepath.Base(got[i])
	}
	if want := wantPages(); !slices.Equal(got, want) {
		t.Errorf("pages written: %q, want %q", got, want)
	}
}

func TestGroffFormatsEveryPageWithoutWarnings(t *testing.T) {
	groff, err := exec.LookPath("groff")
	if err != nil {
		t.Skip("groff is not installed (Debian package groff): cannot check the pages for warnings")
	}
	out := build(t)
	for _, page := range wantPages() {
		var stderr bytes.Buffer
		cmd := exec.Command(groff, "-ww", "-man", "-Tutf8", "-z", filepath.Join(out, page))
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("groff -ww -man -Tutf8 -z %s: %v\n%s", page, err, stderr.String())
		}
	}
}

func TestManShowsEveryPageWithItsName(t *testing.T) {
	out := build(t)
	for _, page := range wantPages() {
		text := manText(t, filepath.Join(out, page))
		name := strings.TrimSuffix(page, filepath.Ext(page))
		if !regexp.MustCompile(`(?m)^NAME\n\s+` + regexp.QuoteMeta(name) + ` +- +\S`).MatchString(text) {
			t.Errorf("man -l %s shows no NAME line \"%s - ...\":\n%s", page, name, text)
		}
	}
}

// TestWhatisReadsEveryName: mandb takes what whatis and apropos show from
// the NAME section, as lexgrog reads it.
func TestWhatisReadsEveryName(t *testing.T) {
	lexgrog, err := exec.LookPath("lexgrog")
	if err != nil {
		t.Skip("lexgrog is not installed (Debian package man-db): cannot check what whatis would show")
	}
	out := build(t)
	for _, page := range wantPages() {
		name := strings.TrimSuffix(page, filepath.Ext(page))
		got, err := exec.Command(lexgrog, filepath.Join(out, page)).CombinedOutput()
		if err != nil || !strings.Contains(string(got), `"`+name+" - ") {
			t.Errorf("lexgrog %s: %v: %s", page, err, got)
		}
	}
}

func TestKeysPageNamesEveryKeyWithItsDefault(t *testing.T) {
	text := manText(t, filepath.Join(build(t), "pppkeep.5"))
	entries := keyEntries(section(text, "KEYS"))
	for _, k := range config.Keys {
		e, ok := entries[k.Name]
		if !ok {
			t.Errorf("pppkeep(5) has no entry for %s", k.Name)
			continue
		}
		def := k.Default
		if def == "" {
			def = "(empty)"
		}
		if !strings.Contains(e, "Default: "+def) {
			t.Errorf("pppkeep(5) on %s does not say \"Default: %s\":\n%s", k.Name, def, e)
		}
	}
}

func TestToolPagesListEveryFlag(t *testing.T) {
	out := build(t)
	for name, mainFunc := range tools {
		flags := helpFlags(t, name, mainFunc)
		options := section(manText(t, filepath.Join(out, name+".8")), "OPTIONS")
		for _, f := range flags {
			short := `(-\w, )?`
			if f.short != "" {
				short = regexp.QuoteMeta("-" + f.short + ", ")
			}
			if !regexp.MustCompile(`(?m)^\s+` + short + regexp.QuoteMeta("--"+f.long) + `(\s|$)`).MatchString(options) {
				t.Errorf("%s(8) OPTIONS does not list %s (%s --help does):\n%s", name, f, name, options)
			}
		}
	}
}

// TestKeyListKeepsValuesLiteral: a value with Markdown's special
// characters reads on the page as it does in the table.
func TestKeyListKeepsValuesLiteral(t *testing.T) {
	keys := []config.Key{{Name: "ODD_KEY", Section: "other", Meaning: "- starts like a list item",
		Accepted: "*a* _b_ [c](d) <e> & f \\ g `h` …", Default: "x_y", Readers: []string{"ppp_wrapper"}, Secret: true}}
	md, err := fillKeys([]byte("% ODD 5\n\n# NAME\n\nodd - a test page\n\n# KEYS\n\n@KEYS@\n"), keys)
	if err != nil {
		t.Fatal(err)
	}
	roff, err := toRoff(md)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "odd.5")
	if err := os.WriteFile(page, roff, 0o644); err != nil {
		t.Fatal(err)
	}
	text := manText(t, page)
	e := keyEntries(section(text, "KEYS"))["ODD_KEY"]
	for _, want := range []string{"- starts like a list item", "Accepted: *a* _b_ [c](d) <e> & f \\ g `h` …",
		"Default: x_y", "Read by: ppp_wrapper", "never shown"} {
		if !strings.Contains(e, want) {
			t.Errorf("the entry of ODD_KEY does not say %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "other keys") {
		t.Errorf("no heading for the group \"other\":\n%s", text)
	}
}

func TestTemplateNeedsOnePlaceholder(t *testing.T) {
	for _, tmpl := range []string{"# KEYS\n", "@KEYS@\n@KEYS@\n"} {
		if _, err := fillKeys([]byte(tmpl), config.Keys); err == nil {
			t.Errorf("fillKeys(%q) gave no error", tmpl)
		}
	}
}

// TestPagesDoNotHyphenate: a key or a flag split across two lines, by
// hyphenation or after a hyphen of its own, cannot be found with the
// pager's search.
func TestPagesDoNotHyphenate(t *testing.T) {
	out := build(t)
	broken := regexp.MustCompile(`\S*[\pL\pN][-\x{2010}]\n\s*\S*`)
	for _, page := range wantPages() {
		if words := broken.FindAllString(manRaw(t, filepath.Join(out, page)), -1); words != nil {
			t.Errorf("man -l %s hyphenates words at the end of a line: %q", page, words)
		}
	}
}

// manText is the page as man shows it on an 80-column terminal, with
// groff's Unicode hyphen and minus as ASCII where no man.local maps them.
func manText(t *testing.T, page string) string {
	t.Helper()
	return strings.NewReplacer("\u2010", "-", "\u2212", "-").Replace(manRaw(t, page))
}

// manRaw is the page as man shows it, without bold or underline.
func manRaw(t *testing.T, page string) string {
	t.Helper()
	man, err := exec.LookPath("man")
	if err != nil {
		t.Skip("man is not installed (Debian package man-db): cannot render the pages")
	}
	cmd := exec.Command(man, "-l", page)
	cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80", "LC_ALL=C.UTF-8", "MAN_KEEP_FORMATTING=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("man -l %s: %v\n%s", page, err, stderr.String())
	}
	// Overstrike bold and underline, should a man keep them.
	return regexp.MustCompile(".\b").ReplaceAllString(string(out), "")
}

// section is the body of the page's section heading, up to the next one.
func section(text, heading string) string {
	_, body, ok := strings.Cut(text, "\n"+heading+"\n")
	if !ok {
		return ""
	}
	if i := regexp.MustCompile(`\n\S`).FindStringIndex(body); i != nil {
		body = body[:i[0]]
	}
	return body
}

// keyEntries splits a rendered key list into its entries: each starts with
// the key's name at the list's indent and runs until the next line that is
// not indented further. The text is joined into one line.
func keyEntries(text string) map[string]string {
	entries := map[string]string{}
	var name string
	var entry []string
	flush := func() {
		if name != "" {
			entries[name] = strings.Join(strings.Fields(strings.Join(entry, " ")), " ")
		}
		name, entry = "", nil
	}
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		switch {
		case trimmed == "":
		case indent == 7:
			flush()
			name = strings.Fields(trimmed)[0]
			entry = []string{strings.TrimPrefix(trimmed, name)}
		case indent < 7:
			flush()
		default:
			entry = append(entry, trimmed)
		}
	}
	flush()
	return entries
}

type flagName struct{ short, long string }

func (f flagName) String() string {
	if f.short != "" {
		return "-" + f.short + ", --" + f.long
	}
	return "--" + f.long
}

// helpFlags are the flags the tool's --help lists under "Options:", as an
// operator sees them.
func helpFlags(t *testing.T, name string, mainFunc func([]string, io.Writer, io.Writer) int) []flagName {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := mainFunc([]string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("%s --help: exit %d\n%s", name, code, stderr.String())
	}
	_, options, _ := strings.Cut(stdout.String(), "\nOptions:\n")
	options, _, _ = strings.Cut(options, "\nExit status:")
	var flags []flagName
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:-(\w), )?--([a-z][a-z0-9-]*)`).FindAllStringSubmatch(options, -1) {
		flags = append(flags, flagName{short: m[1], long: m[2]})
	}
	// The flags every tool has (pkg/cli): a --help these are missing from
	// was not read right.
	for _, common := range []string{"config", "root", "foreground", "version", "help"} {
		if !slices.ContainsFunc(flags, func(f flagName) bool { return f.long == common }) {
			t.Fatalf("%s --help: no --%s under Options:\n%s", name, common, stdout.String())
		}
	}
	return flags
}
