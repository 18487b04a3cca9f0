package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// tools are the suite's programs, as cmd/<name>.
var tools = []string{"ppp_monitor", "ppp_wrapper", "gen_pppconfig", "modem_reset"}

// buildFlags are the same for the tools and the hello-world they are
// compared with.
var buildFlags = []string{"-trimpath", "-ldflags=-s -w"}

// moduleRoot is the directory of the suite's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the pppkeep module (go env GOMOD is empty): run from the repository")
	}
	return filepath.Dir(mod), nil
}

// buildTools builds every tool into dir with env added to the
// environment (GOOS, GOARCH, …), in one go build.
func buildTools(root, dir string, env ...string) error {
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", dir+"/")
	for _, t := range tools {
		args = append(args, "./cmd/"+t)
	}
	return goCommand(root, env, args...)
}

// buildHello writes and builds a Go hello-world into dir/hello. With
// the argument "idle" it stays, for its memory to be read.
func buildHello(dir string) (string, error) {
	src := filepath.Join(dir, "hello-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.26\n",
		"main.go": helloSource,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	out := filepath.Join(dir, "hello")
	args := append([]string{"build"}, buildFlags...)
	return out, goCommand(src, []string{"GOWORK=off", "CGO_ENABLED=0"}, append(args, "-o", out, ".")...)
}

func goCommand(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// helloSource imports nothing fmt does not link already (os, time).
const helloSource = `package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	fmt.Println("hello, world")
	if len(os.Args) > 1 && os.Args[1] == "idle" {
		time.Sleep(time.Hour)
	}
}
`
