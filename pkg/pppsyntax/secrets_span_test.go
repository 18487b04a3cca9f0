package pppsyntax_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/pppsyntax"
)

// Each entry's span is the whole lines it takes, however pppd's word rules
// carry it over lines; between spans lie only blank lines and comments.
func TestSplitSecretsSpans(t *testing.T) {
	long := strings.Repeat("y", 1500)
	entries := []string{
		"a b c\n",
		"  d \\\n e \"f\ng\" # comment\n",
		"h i j\\\nk\n",
		"l m " + long + "\n",
		"n o 'p",
	}
	between := []string{"# head\n", "\n# between\n", "", "\t\n", ""}
	var text strings.Builder
	for i, e := range entries {
		text.WriteString(between[i])
		text.WriteString(e)
	}
	spans, _ := pppsyntax.SplitSecrets(text.String())
	var got []string
	for _, sp := range spans {
		got = append(got, text.String()[sp.Start:sp.End])
	}
	if !slices.Equal(got, entries) {
		t.Errorf("SplitSecrets spans = %q, want %q", got, entries)
	}
	if len(spans) == 5 {
		if w := spans[1].Words; len(w) != 3 || w[1].Text != "e" || w[2].Text != "f\ng" {
			t.Errorf("SplitSecrets: second entry's words = %+v, want d, e, \"f\\ng\"", w)
		}
		if w := spans[3].Words; len(w) != 3 || len(w[2].Text) != pppsyntax.MaxWordLen {
			t.Errorf("SplitSecrets: the long word is %d bytes, want %d as pppd cuts it", len(w[2].Text), pppsyntax.MaxWordLen)
		}
	}
}
