package digest

import (
	"context"
	"errors"
	"sync"
	"time"
	"wzdaily/chat"

	"golang.org/x/time/rate"
)

// platformLimits holds one platform's token buckets, and the time until
// which the whole platform waits.
type platformLimits struct {
	*Platform
	global *rate.Limiter
	mu     sync.Mutex
	chats  map[string]time.Time // when each chat may get its next message
	// heldUntil: a Retry-After (a 429, a 503 with a hint) or an endpoint
	// that is misconfigured stops every send to the platform until then,
	// not just the part that met it: the receiver is saying it is full.
	// It is on the Deliverer's clock, like the outbox's retry times.
	heldUntil time.Time
	now       func() time.Time
}

// errHeld means the platform is held: the part waits in the outbox.
var errHeld = errors.New("digest: the platform asked to wait")

// hold stops sends to the platform for d from now, or longer if already so.
func (l *platformLimits) hold(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := l.now().Add(d); until.After(l.heldUntil) {
		l.heldUntil = until
	}
}

func (l *platformLimits) until() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.heldUntil
}

func (l *platformLimits) heldAt(now time.Time) bool { return l.until().After(now) }

// wait blocks until the platform, the chat and the pacing allow a send. A
// held platform is not waited for: the part goes back to the outbox, and
// Run hands it out again once the hold is over.
func (l *platformLimits) wait(ctx context.Context, p part) error {
	interval := l.ChatInterval
	if p.kind != chat.Private && l.GroupInterval > interval {
		interval = l.GroupInterval
	}
	l.mu.Lock()
	now := time.Now()
	at := l.chats[p.chat.ChatID]
	if at.Before(now) {
		at = now
	}
	l.chats[p.chat.ChatID] = at.Add(interval)
	if len(l.chats) > 100000 {
		for k, t := range l.chats {
			if t.Before(now) {
				delete(l.chats, k)
			}
		}
	}
	l.mu.Unlock()
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	if err := l.global.Wait(ctx); err != nil {
		return err
	}
	if l.heldAt(l.now()) {
		return errHeld
	}
	return nil
}
