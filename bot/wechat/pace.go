package wechat

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"
)

// SendsAtOnce is how many digest sends a scheduler may have in flight: the
// account sends one message at a time, and a second send would only wait
// for the first.
const SendsAtOnce = 1

// Pace spaces the sends of a personal account, which WeChat bans when it
// sends like a machine: one message at a time, several seconds apart with
// a random part, at most DailyCap a day. Replies to a person who just wrote
// go sooner than digests, as a person would answer.
type Pace struct {
	Gap      time.Duration // least time between two digest messages; default 5 s
	Jitter   time.Duration // up to this much more, at random; default 5 s
	ReplyGap time.Duration // least time before a reply; default 1 s
	DailyCap int           // messages a day (midnight to midnight, local time); default 500
}

func (p Pace) withDefaults() Pace {
	if p.Gap <= 0 {
		p.Gap = 5 * time.Second
	}
	if p.Jitter < 0 {
		p.Jitter = 0
	} else if p.Jitter == 0 {
		p.Jitter = 5 * time.Second
	}
	if p.ReplyGap <= 0 {
		p.ReplyGap = time.Second
	}
	if p.DailyCap <= 0 {
		p.DailyCap = 500
	}
	return p
}

// errCapped is the cause of a send refused by the daily cap.
var errCapped = errors.New("wechat: the daily message cap is reached")

type pacer struct {
	p   Pace
	now func() time.Time

	mu    sync.Mutex
	last  time.Time // when the last message went out
	next  time.Time // the earliest a digest message may go
	day   string
	count int
}

func newPacer(p Pace, now func() time.Time) *pacer { return &pacer{p: p.withDefaults(), now: now} }

// send runs fn when its turn comes: one send at a time, spaced. A reply
// waits ReplyGap after the last send; a digest message its jittered gap.
// When the day's cap is reached it returns errCapped and the time the
// next day starts.
func (p *pacer) send(ctx context.Context, reply bool, fn func() error) (retry time.Time, err error) {
	for {
		p.mu.Lock()
		now := p.now()
		if day := now.Format(time.DateOnly); day != p.day {
			p.day, p.count = day, 0
		}
		if p.count >= p.p.DailyCap {
			p.mu.Unlock()
			y, m, d := now.Date()
			return time.Date(y, m, d+1, 0, 0, 0, 0, now.Location()), errCapped
		}
		at := p.last.Add(p.p.ReplyGap)
		if !reply && p.next.After(at) {
			at = p.next
		}
		if !now.Before(at) {
			err := fn()
			p.last = p.now()
			p.next = p.last.Add(p.p.Gap + rand.N(p.p.Jitter+1))
			p.count++
			p.mu.Unlock()
			return time.Time{}, err
		}
		p.mu.Unlock()
		t := time.NewTimer(at.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return time.Time{}, ctx.Err()
		case <-t.C:
		}
	}
}
