package pppwrapper

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A child gets SIGTERM when the wrapper dies (Pdeathsig), and only then:
// the kernel sends it when the thread that forked the child ends, and Go
// ends a thread whenever a goroutine locked to it returns. A child started
// from such a goroutine must outlive its thread.
func TestChildOutlivesTheThreadThatStartedIt(t *testing.T) {
	exited := make(chan int, 1)
	started := make(chan *process, 1)
	var startOnAThread func()
	startOnAThread = func() {
		runtime.LockOSThread() // returning without unlocking ends the thread
		if syscall.Gettid() == os.Getpid() {
			// The main thread is never ended: while this goroutine holds
			// it, another one runs on a thread of its own.
			done := make(chan struct{})
			go func() { startOnAThread(); close(done) }()
			<-done
			runtime.UnlockOSThread()
			return
		}
		p, err := start("sleep", []string{"30"}, nil, func(code int) { exited <- code })
		if err != nil {
			t.Errorf("start(sleep 30) = %v", err)
		}
		started <- p
	}
	go startOnAThread()
	p := <-started
	if p == nil {
		return
	}
	defer p.Kill()
	// The thread is gone once the goroutine returned; give the kernel the
	// moment it takes to deliver a signal before looking.
	if p.Wait(500 * time.Millisecond) {
		t.Fatalf("sleep 30 ended (status %d) when the thread that started it ended, want it running", <-exited)
	}
	if st := procState(p.Pid()); st == "" || st == "Z" {
		t.Errorf("sleep 30 is in state %q, want it running", st)
	}
}

func procState(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	st, _, _ := strings.Cut(rest, " ")
	return st
}
