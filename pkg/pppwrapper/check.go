package pppwrapper

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pppkeep/pppkeep/pkg/modem"
	"github.com/pppkeep/pppkeep/pkg/supervise"
)

// The pre-dial check's limits: one AT exchange, and the whole check. A
// module that does not answer AT is found within atWait, not after chat's
// 45 s.
const (
	atWait    = 2 * time.Second
	checkWait = 8 * time.Second
)

// Check asks the module on tty how it is, holding pppd's UUCP lock on the
// tty meanwhile so that pppd and others see the port busy, and reports in
// the background.
// The module is the one LookUpTTY found for this dial (the check follows
// it), so it is not looked up again.
func (s *system) Check(tty string, done func(supervise.Check)) {
	m := s.model
	go func() { done(s.check(tty, m)) }()
}

func (s *system) check(tty string, m modem.Model) supervise.Check {
	unlock, err := modem.LockTTY(s.root, tty)
	if err != nil {
		return supervise.Check{Verdict: supervise.CheckSkipped, Text: err.Error()}
	}
	defer unlock()
	path := filepath.Join(s.root, tty)
	opts := []modem.Option{modem.WithTimeout(atWait)}
	if s.foreground {
		// By hand, the check's dialogue is worth seeing.
		opts = append(opts, modem.WithLog(func(dir, line string) { s.log.Infof("pre-dial check: %s %s", dir, line) }))
	}
	sess, err := modem.Open(path, m.Speed, opts...)
	switch {
	case errors.Is(err, unix.ENOTTY):
		// Not a terminal at all: nothing to ask; pppd says what it
		// makes of it.
		return supervise.Check{Verdict: supervise.CheckSkipped, Text: fmt.Sprintf("%s is not a terminal", tty)}
	case err != nil:
		return supervise.Check{Verdict: supervise.CheckSilent, Text: fmt.Sprintf("cannot open %s: %v", tty, err)}
	}
	defer sess.Close()
	ctx, cancel := context.WithTimeout(context.Background(), checkWait)
	defer cancel()
	h := modem.CheckHealth(ctx, sess, m)
	c := supervise.CheckFromHealth(h)
	if h.Answered && h.Err == nil {
		c.Module.Model, c.Module.Firmware, c.Module.IMEI = s.identify(ctx, sess)
	}
	return c
}

// identify asks the module who it is once per wrapper (it does not change
// while the wrapper runs; a replugged module of another kind is a restart's
// business): its model, firmware and IMEI for state.json.
func (s *system) identify(ctx context.Context, sess *modem.Session) (model, firmware, imei string) {
	s.idMu.Lock()
	defer s.idMu.Unlock()
	if !s.identified {
		if id, err := sess.Identify(ctx); err == nil {
			s.identity, s.identified = id, true
		}
	}
	model = strings.TrimSpace(s.identity.Manufacturer + " " + s.identity.Model)
	return model, s.identity.Revision, s.identity.IMEI
}
