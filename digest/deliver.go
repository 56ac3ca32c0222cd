package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"wzdaily/chat"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// Platform is one transport as delivery sees it: how to send, and how fast.
// A transport that keeps its platform's limits itself (Telegram, WeChat)
// needs none here; they are for a webhook, whose receiver has limits the
// bot cannot see, and for spacing a chat's parts so that no worker waits on
// a transport for one chat while others have parts due.
type Platform struct {
	Sender chat.Sender
	// Rate is how many messages a second the whole platform takes; 0 means
	// no limit.
	Rate float64
	// ChatInterval is the least time between two parts to one chat;
	// GroupInterval the same for groups and channels.
	ChatInterval, GroupInterval time.Duration
	// Workers is how many sends may be in flight at once; default 8.
	Workers int
	// Window is the platform's conversation window; nil: none (Telegram,
	// the personal WeChat account, the terminal, a webhook by default).
	Window *Window
}

// DelivererOptions configure a Deliverer.
type DelivererOptions struct {
	DB          *db.DB
	Engine      *Engine // builds each part's text when it is sent
	Subscribers *subscribers.Store
	// Platforms are the only ones this deliverer sends to: parts of any
	// other platform are left alone, for the process that serves it.
	Platforms map[string]*Platform
	Now       func() time.Time
	// MaxStrikes permanent failures in a row block a subscriber; default 3.
	MaxStrikes int
	// Backoff is the first wait after a transient failure; it doubles each
	// attempt up to MaxBackoff, with jitter. Defaults 5 s and 30 min.
	Backoff, MaxBackoff time.Duration
	// StrikeWait is the wait after a permanent failure before the next
	// strike is tried, and how long a misconfigured endpoint holds its
	// platform; default 1 hour.
	StrikeWait time.Duration
	// MaxBuildFailures is how many times in a row a part's text may fail to
	// build before it becomes a dead letter; default 3.
	MaxBuildFailures int
	// PauseWait is the first wait before delivery asks the database again
	// after it refused a write; it doubles up to MaxPauseWait. Defaults
	// 1 s and 1 min.
	PauseWait, MaxPauseWait time.Duration
	// Poll is how often the outbox is read when nothing wakes the
	// deliverer; default 1 s.
	Poll time.Duration
}

// Deliverer sends the outbox: every part at least once, each only after
// the one before it in its chat is confirmed, within every rate limit.
type Deliverer struct {
	opts   DelivererOptions
	wake   chan struct{}
	limits map[string]*platformLimits
	names  []string // the platforms served, sorted

	// busy holds the subscribers with a part being sent, by Run or by
	// Flush, so one part is never sent twice at once; a subscriber whose
	// outcome could not be recorded stays busy until it is (see pause).
	mu      sync.Mutex
	busy    map[int64]bool
	reached map[int64]bool // busy subscribers whose chat wrote meanwhile
	pause   pause

	builds   atomic.Int64 // build failures since start
	held     atomic.Int64 // parts held for a closed window since start
	released atomic.Int64 // release digests since start
	readErr  string       // the outbox read error last logged, so it is logged once
}

// start marks a subscriber busy, or reports that it already is.
func (d *Deliverer) start(subscriber int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[subscriber] {
		return false
	}
	d.busy[subscriber] = true
	return true
}

// finish ends a send. A subscriber with an outcome still to record stays
// busy: its part must not be handed out again.
func (d *Deliverer) finish(subscriber int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, held := d.pause.held[subscriber]; held {
		return
	}
	delete(d.busy, subscriber)
	delete(d.reached, subscriber)
}

// noteReached remembers that a busy subscriber's chat can hear the bot:
// the send in flight may fail, and its strike be written, after Reachable
// has forgiven the strikes it saw.
func (d *Deliverer) noteReached(subscriber int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[subscriber] {
		d.reached[subscriber] = true
	}
}

// takeReached reports and forgets whether the chat wrote during its send.
func (d *Deliverer) takeReached(subscriber int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.reached[subscriber]
	delete(d.reached, subscriber)
	return r
}

func (d *Deliverer) busyNow() map[int64]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.busy)
}

// NewDeliverer returns a Deliverer. Options.Engine is required.
func NewDeliverer(opts DelivererOptions) *Deliverer {
	if opts.Engine == nil {
		panic("digest: NewDeliverer needs an Engine to build parts") // a wiring mistake, found at start-up
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxStrikes <= 0 {
		opts.MaxStrikes = 3
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 5 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 30 * time.Minute
	}
	if opts.StrikeWait <= 0 {
		opts.StrikeWait = time.Hour
	}
	if opts.MaxBuildFailures <= 0 {
		opts.MaxBuildFailures = 3
	}
	if opts.PauseWait <= 0 {
		opts.PauseWait = time.Second
	}
	if opts.MaxPauseWait <= 0 {
		opts.MaxPauseWait = time.Minute
	}
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	d := &Deliverer{opts: opts, wake: make(chan struct{}, 1), limits: map[string]*platformLimits{}, busy: map[int64]bool{}, reached: map[int64]bool{}}
	for name, p := range opts.Platforms {
		d.Add(name, p)
	}
	return d
}

// Add makes the deliverer send to one more platform. Call it before Run
// and Flush: transports are made after the bot, which needs the deliverer.
func (d *Deliverer) Add(name string, p *Platform) {
	l := &platformLimits{Platform: p, global: rate.NewLimiter(rate.Inf, 1), chats: map[string]time.Time{}, now: d.opts.Now}
	if p.Rate > 0 {
		// A burst of one spaces sends evenly: a platform that counts
		// per second never sees two seconds' worth in one.
		l.global = rate.NewLimiter(rate.Limit(p.Rate), 1)
	}
	if l.Workers <= 0 {
		l.Workers = 8
	}
	if p.Window != nil {
		d.opts.Engine.declare(name, *p.Window)
	}
	d.limits[name] = l
	d.names = append(d.names, name)
	slices.Sort(d.names)
}

// Wake makes a running Deliverer read the outbox now, after a digest was
// composed, instead of at its next poll.
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends. Parts being sent when it ends are finished
// and recorded; no new send starts.
func (d *Deliverer) Run(ctx context.Context) error {
	work := map[string]chan part{}
	done := make(chan struct{}, 64) // a worker finished a part
	var wg sync.WaitGroup
	for name, l := range d.limits {
		ch := make(chan part)
		work[name] = ch
		for range l.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range ch {
					d.deliver(ctx, l, p)
					d.finish(p.subscriber)
					done <- struct{}{}
				}
			}()
		}
	}
	defer func() {
		for _, ch := range work {
			close(ch)
		}
		go func() { wg.Wait(); close(done) }()
		for range done {
		}
		d.recordHeld()
	}()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		// Hand out what is due, as far as workers are free. When a worker
		// frees up mid-way, or a full batch went out, read again at once
		// rather than at the next poll.
		again := false
		if ctx.Err() == nil && d.resume(ctx) {
			parts := d.claim(ctx)
			handed := 0
		hand:
			for _, p := range parts {
				if !d.start(p.subscriber) {
					continue // Flush is sending this chat's part
				}
				select {
				case work[p.chat.Platform] <- p:
					handed++
				case <-done:
					d.finish(p.subscriber)
					again = true
					break hand
				case <-ctx.Done():
					d.finish(p.subscriber)
					return nil
				}
			}
			again = again || (len(parts) == claimBatch && handed > 0)
		}
		if again {
			continue
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(d.untilNextLook())
		select {
		case <-ctx.Done():
			return nil
		case <-done:
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// claimBatch is how many parts one read of the outbox hands out at most.
const claimBatch = 64

// claim reads the due parts of the platforms that are not held, logging a
// failing read once until it succeeds again.
func (d *Deliverer) claim(ctx context.Context) []part {
	parts, err := claimable(ctx, d.opts.DB.DB, claim{now: d.opts.Now(), platforms: d.open(), busy: d.busyNow(), limit: claimBatch})
	switch {
	case err != nil && ctx.Err() == nil:
		if msg := err.Error(); msg != d.readErr {
			slog.Error("Unable to read the outbox", slog.Any("error", err))
			d.readErr = msg
		}
	case err == nil && d.readErr != "":
		slog.Info("The outbox can be read again")
		d.readErr = ""
	}
	return parts
}

// open lists the platforms whose parts may be handed out now: not those
// a Retry-After or a misconfigured endpoint holds.
func (d *Deliverer) open() []string {
	now := d.opts.Now()
	var out []string
	for _, name := range d.names {
		if !d.limits[name].heldAt(now) {
			out = append(out, name)
		}
	}
	return out
}

// untilNextLook is how long Run waits before it reads the outbox again
// when nothing wakes it: the poll, or less when a pause or a hold ends
// sooner.
func (d *Deliverer) untilNextLook() time.Duration {
	wait := d.opts.Poll
	if at, paused := d.pausedUntil(); paused {
		wait = min(wait, max(time.Until(at), time.Millisecond))
	}
	now := d.opts.Now()
	for _, l := range d.limits {
		if until := l.until(); until.After(now) {
			wait = min(wait, until.Sub(now))
		}
	}
	return wait
}

// ErrPaused means delivery waits for the database to take writes again.
var ErrPaused = errors.New("digest: delivery is paused: the database refuses writes")

// Flush sends a subscriber's pending parts now, one after the other, and
// returns once they are sent or have failed: for an on-demand digest in a
// conversation, where the answer should come before the next command.
func (d *Deliverer) Flush(ctx context.Context, subscriber int64) error {
	for {
		if err := d.pausedErr(); err != nil {
			return err
		}
		parts, err := claimable(ctx, d.opts.DB.DB, claim{now: d.opts.Now(), platforms: d.open(), limit: 1, only: subscriber})
		if err != nil || len(parts) == 0 {
			return err
		}
		mine := parts[0]
		if !d.start(subscriber) {
			// Run is sending this part: wait for it rather than send twice.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		sent := d.deliver(ctx, d.limits[mine.chat.Platform], mine)
		d.finish(subscriber)
		if !sent {
			return d.pausedErr() // failed: the outbox retries it later
		}
	}
}

// deliver waits for the limits, sends one part and records the outcome. It
// reports whether the part was sent.
func (d *Deliverer) deliver(ctx context.Context, l *platformLimits, p part) bool {
	// A part held for a closed window takes no turn of the rate limits.
	if l.Window != nil && !d.mayWrite(ctx, l, p) {
		return false
	}
	if err := l.wait(ctx, p); err != nil {
		return false
	}
	if d.pausedErr() != nil {
		return false
	}
	// The part was read before this chat was marked busy: another sender
	// may have delivered it since.
	var state string
	if err := d.opts.DB.QueryRowContext(ctx, `SELECT state FROM outbox WHERE id = ?`, p.id).Scan(&state); err != nil || state != "pending" {
		return err == nil
	}
	recCtx := context.WithoutCancel(ctx)
	m, err := d.build(ctx, p)
	if err != nil {
		if ctx.Err() == nil { // stopping is not a failure: the part waits
			d.builds.Add(1)
			d.record(recCtx, p, func(ctx context.Context) error { return d.recordBuildFailure(ctx, p, err) })
		}
		return false
	}
	// Once started, a send finishes even if ctx ends, so shutdown never
	// leaves a part half-way: it is either confirmed and recorded, or not.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	id, err := l.Sender.Send(chat.WithIdempotencyKey(sendCtx, p.key()), p.chat, m)
	if err == nil {
		d.record(recCtx, p, func(ctx context.Context) error { return d.recordSent(ctx, p, id) })
		return true
	}
	se := chat.Classify(err)
	if se.RetryAfter > 0 {
		l.hold(se.RetryAfter)
	} else if se.Misconfigured {
		l.hold(d.opts.StrikeWait)
	}
	d.record(recCtx, p, func(ctx context.Context) error { return d.recordFailure(ctx, p, se) })
	if d.takeReached(p.subscriber) {
		// The chat wrote while this send failed, and Heard could not
		// forgive a strike, or release a hold, not yet written: do it now.
		if err := d.forgive(recCtx, p.subscriber); err != nil {
			slog.Warn("Unable to release a chat's waiting digest parts", slog.String("chat", p.chat.String()), slog.Any("error", err))
		}
		if se.Closed {
			d.reopen(recCtx, p)
		}
	}
	return false
}

// reopen releases the parts a send held when the platform said the window
// was closed while the reader was writing: the platform's answer is older
// than the reader's message.
func (d *Deliverer) reopen(ctx context.Context, p part) {
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE digest_state SET window_closed = 0 WHERE subscriber_id = ?`, p.subscriber)
		return err
	})
	var sub *subscribers.Subscriber
	if err == nil {
		sub, err = d.opts.Subscribers.Get(ctx, p.chat)
	}
	if err == nil {
		_, err = d.opts.Engine.release(ctx, sub)
	}
	if err != nil && !errors.Is(err, subscribers.ErrNotFound) {
		slog.Warn("Unable to release a chat's held digest parts", slog.String("chat", p.chat.String()), slog.Any("error", err))
		return
	}
	d.Wake()
}

// build writes the part's text, or says why it cannot.
func (d *Deliverer) build(ctx context.Context, p part) (chat.Message, error) {
	if p.unreadable != nil {
		return chat.Message{}, p.unreadable
	}
	m, err := d.opts.Engine.build(ctx, p.digestID, p.spec, p.chat.Platform)
	m.Thread = p.thread
	return m, err
}

// record writes an outcome. When the database refuses, the outcome is kept
// and delivery pauses until it can be written: a part that was sent must
// never be handed out again because its record failed.
func (d *Deliverer) record(ctx context.Context, p part, write func(context.Context) error) {
	if err := write(ctx); err != nil {
		d.hold(p.subscriber, write, err)
	}
}

// Pending counts a subscriber's parts still to be delivered, held ones
// not included.
func (d *Deliverer) Pending(ctx context.Context, subscriber int64) (int, error) {
	var n int
	err := d.opts.DB.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE subscriber_id = ? AND state = 'pending'`, subscriber).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("digest: unable to count pending parts: %w", err)
	}
	return n, nil
}
