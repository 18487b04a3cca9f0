package modemreset

import (
	"context"
	"fmt"
	"time"

	"github.com/pppkeep/pppkeep/pkg/modem"
)

// state is how far back the module is.
type state int

const (
	absent       state = iota // no tty
	silent                    // tty there, AT not answered
	unregistered              // answers AT, not registered
	ready                     // answers and registered
)

func (s state) String() string {
	return [...]string{"its tty is absent", "it does not answer AT", "it answers AT but is not registered", "ready"}[s]
}

// pollEvery is how often the tty is looked for while waiting. Device nodes
// come and go without a notification that works the same for every way a
// tty can be named, and a module takes seconds to return: 100 ms costs
// nothing and keeps the wait close to the module's own time.
const pollEvery = 100 * time.Millisecond

// atTimeout bounds one AT exchange while probing.
const atTimeout = time.Second

// probe looks once at the module.
func (r *resetter) probe(ctx context.Context) (state, string) {
	path, ok := r.target.tty()
	if !ok {
		return absent, ""
	}
	s, err := modem.Open(path, r.target.at.Model.Speed, modem.WithTimeout(atTimeout))
	if err != nil {
		return absent, ""
	}
	defer s.Close()
	if err := answersAT(ctx, s); err != nil {
		return silent, path
	}
	reg, err := s.Registration(ctx)
	if err != nil || !reg.Registered() {
		return unregistered, path
	}
	return ready, path
}

// waitGone waits until the module's tty has gone (it is restarting), for at
// most d. It reports whether it went.
func (r *resetter) waitGone(ctx context.Context, d time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		if _, ok := r.target.tty(); !ok {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

// waitBack waits until the module is ready, for at most d, and returns how
// far it got.
func (r *resetter) waitBack(ctx context.Context, d time.Duration) (state, string) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	best, where := absent, ""
	for {
		s, path := r.probe(ctx)
		if s >= best {
			best, where = s, path
		}
		if s == ready {
			return s, path
		}
		select {
		case <-ctx.Done():
			return best, where
		case <-t.C:
		}
	}
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}
