package telegram

import (
	"context"
	"sync"
	"time"
)

// Telegram's flood limits, kept by every send of this transport (replies
// and digests alike), so a busy morning does not turn replies into 429s.
const (
	// DefaultRate is the bot's messages in any second, all chats together.
	DefaultRate = 30
	// One message a second to a chat; twenty a minute to a group or channel.
	chatEvery    = time.Second
	groupPerSpan = 20
	groupSpan    = time.Minute
	// margin covers clocks and rounding at the window's edges.
	margin = 10 * time.Millisecond
	// Windows idle this long are empty and can be forgotten.
	idleWindow = 2 * time.Minute
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
	used     time.Time
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
		w.used = now
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

func (w *window) idle(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.inFlight == 0 && now.Sub(w.used) > idleWindow
}

// pacer holds the bot's window and one per chat.
type pacer struct {
	global *window // nil: no global limit

	mu    sync.Mutex
	chats map[int64][]*window
	swept time.Time
}

func newPacer(perSecond int) *pacer {
	p := &pacer{chats: map[int64][]*window{}}
	if perSecond > 0 {
		p.global = newWindow(perSecond, time.Second)
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
	if now.Sub(p.swept) > idleWindow {
		for id, ws := range p.chats {
			if ws[0].idle(now) {
				delete(p.chats, id)
			}
		}
		p.swept = now
	}
	ws, ok := p.chats[chatID]
	if !ok {
		ws = []*window{newWindow(1, chatEvery)}
		if chatID < 0 {
			ws = append(ws, newWindow(groupPerSpan, groupSpan))
		}
		p.chats[chatID] = ws
	}
	return append([]*window(nil), ws...)
}
