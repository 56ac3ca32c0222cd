package telegram

import (
	"context"
	"sync"
	"time"
)

// The pacer keeps Limits with one window per limit.
const (
	// margin covers clocks and rounding at the window's edges.
	margin = 10 * time.Millisecond
	// sweepEvery is how often the pacer forgets the windows of chats that
	// sent nothing lately.
	sweepEvery = 2 * time.Minute
)

// window admits at most max messages in any span. It counts a message from
// when it is sent until span after Telegram answered it, so that whatever
// the delay on the way, Telegram, which counts when a message arrives
// (somewhere between the two), never sees more than max in a span: a rate
// limiter that spaces the starts cannot promise that, as one slow request
// followed by a fast one arrive closer together than they left.
type window struct {
	max  int
	span time.Duration

	mu       sync.Mutex
	inFlight int
	done     []time.Time // answer times within the last span, oldest first
	changed  chan struct{}
}

func newWindow(max int, span time.Duration) *window {
	return &window{max: max, span: span + margin, changed: make(chan struct{})}
}

// acquire waits for room and returns the function to call once Telegram
// has answered (or the request failed: it may have arrived all the same).
func (w *window) acquire(ctx context.Context) (release func(), err error) {
	for {
		w.mu.Lock()
		now := time.Now()
		for len(w.done) > 0 && now.Sub(w.done[0]) >= w.span {
			w.done = w.done[1:]
		}
		if w.inFlight+len(w.done) < w.max {
			w.inFlight++
			w.mu.Unlock()
			return w.release, nil
		}
		var wait <-chan time.Time
		if len(w.done) > 0 {
			t := time.NewTimer(w.span - now.Sub(w.done[0]))
			defer t.Stop()
			wait = t.C
		}
		changed := w.changed
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-wait:
		case <-changed:
		}
	}
}

func (w *window) release() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inFlight--
	w.done = append(w.done, time.Now())
	close(w.changed)
	w.changed = make(chan struct{})
}

// idle reports whether the window is as good as new at now: nothing in
// flight and every answer older than its span, so forgetting it lets
// nothing through that it would have held back.
func (w *window) idle(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inFlight == 0 && (len(w.done) == 0 || now.Sub(w.done[len(w.done)-1]) >= w.span)
}

// pacer holds the bot's window and those of each chat.
type pacer struct {
	limits Limits  // with defaults; a zero field is no limit
	global *window // nil: no global limit

	mu    sync.Mutex
	chats map[int64][]*window
	swept time.Time
}

func newPacer(l Limits) *pacer {
	p := &pacer{limits: l.withDefaults(), chats: map[int64][]*window{}}
	if p.limits.Rate > 0 {
		p.global = newWindow(p.limits.Rate, time.Second)
	}
	return p
}

// acquire waits until a message to chatID may go out. Telegram's ids say
// the kind: private chats are positive, groups and channels negative.
func (p *pacer) acquire(ctx context.Context, chatID int64) (release func(), err error) {
	ws := p.windows(chatID)
	if p.global != nil {
		ws = append(ws, p.global)
	}
	var releases []func()
	releaseAll := func() {
		for _, r := range releases {
			r()
		}
	}
	for _, w := range ws {
		r, err := w.acquire(ctx)
		if err != nil {
			releaseAll()
			return nil, err
		}
		releases = append(releases, r)
	}
	return releaseAll, nil
}

func (p *pacer) windows(chatID int64) []*window {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.swept) > sweepEvery {
		for id, ws := range p.chats {
			if allIdle(ws, now) {
				delete(p.chats, id)
			}
		}
		p.swept = now
	}
	ws, ok := p.chats[chatID]
	if !ok {
		ws = []*window{}
		if p.limits.ChatEvery > 0 {
			ws = append(ws, newWindow(1, p.limits.ChatEvery))
		}
		if chatID < 0 && p.limits.GroupPerSpan > 0 {
			ws = append(ws, newWindow(p.limits.GroupPerSpan, p.limits.GroupSpan))
		}
		p.chats[chatID] = ws
	}
	return append([]*window(nil), ws...)
}

func allIdle(ws []*window, now time.Time) bool {
	for _, w := range ws {
		if !w.idle(now) {
			return false
		}
	}
	return true
}
