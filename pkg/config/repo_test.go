package config

import (
	"os"
	"strings"
	"testing"
)

// The sample file that `make install` puts in place must load cleanly.
func TestSampleFileLoads(t *testing.T) {
	c, warns, err := Load("../../etc/default/ppp")
	if err != nil || len(warns) != 0 {
		t.Fatalf("Load(sample) = %v, warnings %v; want a clean load", err, warns)
	}
	for _, k := range Keys {
		if _, ok := c.Lines[k.Name]; !ok && k.Section != "state" {
			t.Errorf("sample file lacks %s", k.Name)
		}
	}
}

// Every key has a row in the README's key table with its default.
func TestREADMEDocumentsEveryKey(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, k := range Keys {
		def := "(empty)"
		if k.Default != "" {
			def = "`" + k.Default + "`"
		}
		row := "| `" + k.Name + "` |"
		i := strings.Index(readme, row)
		if i < 0 {
			t.Errorf("README has no row for %s", k.Name)
			continue
		}
		line := readme[i : i+strings.Index(readme[i:], "\n")]
		if !strings.Contains(line, "| "+def+" |") || !strings.Contains(line, k.Accepted) {
			t.Errorf("README row for %s = %q, want default %s and %q", k.Name, line, def, k.Accepted)
		}
	}
}
