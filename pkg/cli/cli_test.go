package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pppkeep/pppkeep/pkg/exitcode"
)

func TestLoadConfigExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		name, path string
		want       int
		warning    string
	}{
		{"good, with an unknown key", write("good", "AUTH=NOAUTH\nNO_SUCH_KEY=1\n"), exitcode.OK, "NO_SUCH_KEY"},
		{"refused value", write("bad", "RETRY=0\n"), exitcode.Config, ""},
		{"missing file", filepath.Join(dir, "missing"), exitcode.Config, ""},
		{"a directory", dir, exitcode.Config, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var warned []string
			c := &Common{ConfigFlag: tt.path}
			cfg, code, err := c.LoadConfig(func(format string, args ...any) {
				warned = append(warned, fmt.Sprintf(format, args...))
			})
			if code != tt.want || (err == nil) != (tt.want == exitcode.OK) || (cfg != nil) != (tt.want == exitcode.OK) {
				t.Errorf("LoadConfig(%s) = config %v, %d, %v; want exit code %d", tt.path, cfg != nil, code, err, tt.want)
			}
			if tt.warning != "" && !strings.Contains(strings.Join(warned, "\n"), tt.warning) {
				t.Errorf("warnings %q, want one naming %s", warned, tt.warning)
			}
		})
	}
}
