package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"wzdaily/bot"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// Platform is one transport as delivery sees it: how to send, and how fast.
type Platform struct {
	Sender bot.Sender
	// Rate is how many messages a second the whole platform takes (Telegram:
	// 30); 0 means no limit.
	Rate float64
	// ChatInterval is the least time between two messages to one chat
	// (Telegram: 1 s); GroupInterval the same for groups and channels
	// (Telegram: 3 s, so at most 20 a minute).
	ChatInterval, GroupInterval time.Duration
	// Jitter adds up to this much random pause before each send, so a
	// personal WeChat account does not send like a machine.
	Jitter time.Duration
	// Workers is how many sends may be in flight at once; default 8.
	Workers int
}

// DelivererOptions configure a Deliverer.
type DelivererOptions struct {
	DB          *db.DB
	Engine      *Engine // builds each part's text when it is sent
	Subscribers *subscribers.Store
	Platforms   map[string]*Platform
	Now         func() time.Time
	// MaxStrikes permanent failures in a row block a subscriber; default 3.
	MaxStrikes int
	// Backoff is the first wait after a transient failure; it doubles each
	// attempt up to MaxBackoff, with jitter. Defaults 5 s and 30 min.
	Backoff, MaxBackoff time.Duration
	// StrikeWait is the wait after a permanent failure before the next
	// strike is tried; default 1 hour.
	StrikeWait time.Duration
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

	// busy holds the subscribers with a part being sent, by Run or by
	// Flush, so one part is never sent twice at once.
	mu   sync.Mutex
	busy map[int64]bool
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

func (d *Deliverer) finish(subscriber int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, subscriber)
}

func (d *Deliverer) busyNow() map[int64]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.busy)
}

// platformLimits holds one platform's token buckets.
type platformLimits struct {
	*Platform
	global *rate.Limiter
	mu     sync.Mutex
	chats  map[string]time.Time // when each chat may get its next message
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
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	d := &Deliverer{opts: opts, wake: make(chan struct{}, 1), limits: map[string]*platformLimits{}, busy: map[int64]bool{}}
	for name, p := range opts.Platforms {
		l := &platformLimits{Platform: p, global: rate.NewLimiter(rate.Inf, 1), chats: map[string]time.Time{}}
		if p.Rate > 0 {
			// A burst of one spaces sends evenly: a platform that counts
			// per second never sees two seconds' worth in one.
			l.global = rate.NewLimiter(rate.Limit(p.Rate), 1)
		}
		if l.Workers <= 0 {
			l.Workers = 8
		}
		d.limits[name] = l
	}
	return d
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
	}()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		// Hand out what is due, as far as workers are free. When a worker
		// frees up mid-way, or a full batch went out, read again at once
		// rather than at the next poll.
		again := false
		if ctx.Err() == nil {
			parts, err := claimable(ctx, d.opts.DB.DB, d.opts.Now(), d.busyNow(), 64, 0)
			again = len(parts) == 64
			if err != nil && ctx.Err() == nil {
				slog.Error("Unable to read the outbox", slog.Any("error", err))
			}
		hand:
			for _, p := range parts {
				ch, ok := work[p.chat.Platform]
				if !ok {
					d.recordNoPlatform(ctx, p)
					continue
				}
				if !d.start(p.subscriber) {
					continue // Flush is sending this chat's part
				}
				select {
				case ch <- p:
				case <-done:
					d.finish(p.subscriber)
					again = true
					break hand
				case <-ctx.Done():
					d.finish(p.subscriber)
					return nil
				}
			}
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
		timer.Reset(d.opts.Poll)
		select {
		case <-ctx.Done():
			return nil
		case <-done:
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// Flush sends a subscriber's pending parts now, one after the other, and
// returns once they are sent or have failed: for an on-demand digest in a
// conversation, where the answer should come before the next command.
func (d *Deliverer) Flush(ctx context.Context, subscriber int64) error {
	for {
		parts, err := claimable(ctx, d.opts.DB.DB, d.opts.Now(), nil, 1, subscriber)
		if err != nil || len(parts) == 0 {
			return err
		}
		mine := &parts[0]
		l, ok := d.limits[mine.chat.Platform]
		if !ok {
			d.recordNoPlatform(ctx, *mine)
			return nil
		}
		if !d.start(subscriber) {
			// Run is sending this part: wait for it rather than send twice.
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		sent := d.deliver(ctx, l, *mine)
		d.finish(subscriber)
		if !sent {
			return nil // failed: the outbox retries it later
		}
	}
}

// deliver waits for the limits, sends one part and records the outcome. It
// reports whether the part was sent.
func (d *Deliverer) deliver(ctx context.Context, l *platformLimits, p part) bool {
	if err := l.wait(ctx, p); err != nil {
		return false
	}
	// The part was read before this chat was marked busy: another sender
	// may have delivered it since.
	var state string
	if err := d.opts.DB.QueryRowContext(ctx, `SELECT state FROM outbox WHERE id = ?`, p.id).Scan(&state); err != nil || state != "pending" {
		return err == nil
	}
	// Once started, a send finishes even if ctx ends, so shutdown never
	// leaves a part half-way: it is either confirmed and recorded, or not.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	m, err := d.opts.Engine.build(ctx, p.digestID, p.spec, p.chat.Platform)
	if err != nil {
		if ctx.Err() == nil { // stopping is not a failure: the part waits
			slog.Error("Unable to build a part", slog.Int64("part", p.id), slog.Any("error", err))
		}
		return false
	}
	id, err := l.Sender.Send(withPartKey(sendCtx, p), p.chat, m)
	recCtx := context.WithoutCancel(ctx)
	if err == nil {
		if rerr := d.recordSent(recCtx, p, id); rerr != nil {
			slog.Error("Unable to record a sent part", slog.Int64("part", p.id), slog.Any("error", rerr))
		}
		return true
	}
	if rerr := d.recordFailure(recCtx, p, bot.Classify(err)); rerr != nil {
		slog.Error("Unable to record a failed part", slog.Int64("part", p.id), slog.Any("error", rerr))
	}
	return false
}

// wait blocks until the platform, the chat and the pacing allow a send.
func (l *platformLimits) wait(ctx context.Context, p part) error {
	interval := l.ChatInterval
	if p.kind != subscribers.Private && l.GroupInterval > interval {
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
	if l.Jitter > 0 {
		at = at.Add(rand.N(l.Jitter))
	}
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return l.global.Wait(ctx)
}

// withPartKey names the part for transports that pass an idempotency key
// on, so a receiver can recognise a part sent again after a crash.
func withPartKey(ctx context.Context, p part) context.Context {
	return bot.WithIdempotencyKey(ctx, fmt.Sprintf("digest-%d-part-%d", p.digestID, p.part))
}

func (d *Deliverer) recordSent(ctx context.Context, p part, messageID string) error {
	return d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		now := d.opts.Now().Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, attempts = attempts + 1, last_error = ''
			WHERE id = ?`, clip(messageID, 200), now, p.id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE digest_state SET strikes = 0 WHERE subscriber_id = ? AND strikes > 0`, p.subscriber)
		return err
	})
}

func (d *Deliverer) recordFailure(ctx context.Context, p part, se *bot.SendError) error {
	now := d.opts.Now()
	msg := clip(se.Error(), 500)
	switch {
	case se.MigratedTo != "":
		slog.Info("Chat moved", slog.String("from", p.chat.String()), slog.String("to", se.MigratedTo))
		if err := d.opts.Subscribers.Move(ctx, p.chat, se.MigratedTo); err != nil {
			return err
		}
		return d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET chat_id = ?, last_error = ? WHERE subscriber_id = ? AND state = 'pending'`,
				se.MigratedTo, msg, p.subscriber)
			return err
		})
	case se.Refused:
		slog.Error("A part was refused by the platform; it is a dead letter", slog.String("chat", p.chat.String()),
			slog.Int64("part", p.id), slog.String("error", msg))
		return d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`, msg, p.id)
			return err
		})
	case se.Permanent:
		state := subscribers.Blocked
		if se.Left {
			state = subscribers.Left
		}
		return d.strike(ctx, p, msg, now, state)
	}
	wait := se.RetryAfter
	if wait <= 0 {
		wait = min(d.opts.MaxBackoff, d.opts.Backoff<<min(p.attempts, 20))
		wait = wait/2 + rand.N(wait/2+1)
	}
	slog.Warn("Delivery failed, will retry", slog.String("chat", p.chat.String()), slog.Int64("part", p.id),
		slog.Duration("wait", wait), slog.String("error", msg))
	return d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`,
			now.Add(wait).Unix(), msg, p.id)
		return err
	})
}

// strike counts a permanent failure. After MaxStrikes in a row the
// subscriber is blocked and its pending parts become dead letters, so a
// blocked chat costs a few requests, not a retry storm.
func (d *Deliverer) strike(ctx context.Context, p part, msg string, now time.Time, state subscribers.State) error {
	var strikes int
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `UPDATE digest_state SET strikes = strikes + 1 WHERE subscriber_id = ? RETURNING strikes`,
			p.subscriber).Scan(&strikes); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if strikes >= d.opts.MaxStrikes {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', attempts = attempts + (id = ?), last_error = ?
				WHERE subscriber_id = ? AND state = 'pending'`, p.id, msg, p.subscriber)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`,
			now.Add(d.opts.StrikeWait).Unix(), msg, p.id)
		return err
	})
	if err != nil || strikes < d.opts.MaxStrikes {
		return err
	}
	slog.Warn("Subscriber stopped after repeated permanent failures", slog.String("chat", p.chat.String()),
		slog.String("state", string(state)), slog.Int("strikes", strikes), slog.String("error", msg))
	_, err = d.opts.Subscribers.Update(ctx, p.chat, func(s *subscribers.Subscriber) error {
		s.State = state
		return nil
	})
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil
	}
	return err
}

// recordNoPlatform parks a part whose platform is not configured in this
// run; it stays pending for a run that has it.
func (d *Deliverer) recordNoPlatform(ctx context.Context, p part) {
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?`,
			d.opts.Now().Add(time.Hour).Unix(), "platform "+p.chat.Platform+" is not configured", p.id)
		return err
	})
	if err != nil {
		slog.Error("Unable to park a part", slog.Int64("part", p.id), slog.Any("error", err))
	}
}
