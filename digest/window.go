package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"wzdaily/subscribers"
)

// Window is a platform's conversation window: the bot may send to a chat
// only within Span after the reader's last interaction (a message, a
// press, a follow), and at most Messages messages per interaction (0: no
// count). WeChat's Official Account has one (48 hours); so have WeCom's
// customer service and WhatsApp Business. Telegram, the personal WeChat
// account and the terminal have none.
//
// A part due for a chat whose window is closed, or whose count is used up,
// is held: not sent, not a failure, not a strike. When the reader next
// writes, the chat's held digests are merged into one and go out first.
type Window struct {
	Span     time.Duration
	Messages int
}

// declare records a platform's window for the digests composed for it.
func (e *Engine) declare(platform string, w Window) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.windows == nil {
		e.windows = map[string]Window{}
	}
	e.windows[platform] = w
}

// window is the platform's conversation window, if it has one.
func (e *Engine) window(platform string) (Window, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	w, ok := e.windows[platform]
	return w, ok
}

// WindowOf is the conversation window of a platform this deliverer sends
// to, or nil when it has none.
func (d *Deliverer) WindowOf(platform string) *Window {
	if l := d.limits[platform]; l != nil {
		return l.Window
	}
	return nil
}

// windowState is a chat's window as digest_state keeps it.
type windowState struct {
	heard  time.Time // the reader's last interaction; zero: none known
	sent   int       // parts sent since
	closed bool      // the platform said it is closed since
}

// open reports whether w lets the bot write to the chat at now.
func (s windowState) open(w Window, now time.Time) bool {
	return !s.closed && !s.heard.IsZero() && now.Before(s.heard.Add(w.Span)) && (w.Messages <= 0 || s.sent < w.Messages)
}

// until is when the window closes by time, whatever its count.
func (s windowState) until(w Window) time.Time {
	if s.heard.IsZero() || s.closed {
		return time.Time{}
	}
	return s.heard.Add(w.Span)
}

func readWindow(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, subscriber int64) (windowState, error) {
	var heard int64
	var s windowState
	err := q.QueryRowContext(ctx, `SELECT heard_ms, window_sent, window_closed FROM digest_state WHERE subscriber_id = ?`,
		subscriber).Scan(&heard, &s.sent, &s.closed)
	if errors.Is(err, sql.ErrNoRows) {
		return windowState{}, nil
	}
	if err != nil {
		return windowState{}, fmt.Errorf("digest: unable to read a chat's window: %w", err)
	}
	if heard > 0 {
		s.heard = time.UnixMilli(heard)
	}
	return s, nil
}

// mayWrite reports whether the part's chat has its window open. A part
// whose window is closed is held, with the chat's other pending parts,
// until the reader writes.
func (d *Deliverer) mayWrite(ctx context.Context, l *platformLimits, p part) bool {
	s, err := readWindow(ctx, d.opts.DB, p.subscriber)
	if err != nil {
		slog.Warn("Unable to read a chat's window; its part waits", slog.String("chat", p.chat.String()), slog.Any("error", err))
		return false
	}
	if s.open(*l.Window, d.opts.Now()) {
		return true
	}
	why := "window closed: the reader has not written within " + l.Window.Span.String()
	if !s.closed && !s.heard.IsZero() && d.opts.Now().Before(s.heard.Add(l.Window.Span)) {
		why = fmt.Sprintf("window closed: %d messages sent since the reader last wrote", s.sent)
	}
	d.record(context.WithoutCancel(ctx), p, func(ctx context.Context) error { return d.holdParts(ctx, p, why, false) })
	return false
}

// holdParts holds the chat's pending parts until the reader writes. closed:
// the platform said the window is closed, which digest_state keeps until
// the reader writes, so no other part tries meanwhile.
func (d *Deliverer) holdParts(ctx context.Context, p part, why string, closed bool) error {
	var n int64
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'held', last_error = ? WHERE subscriber_id = ? AND state = 'pending'`,
			clip(why, 500), p.subscriber)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if closed {
			_, err = tx.ExecContext(ctx, `UPDATE digest_state SET window_closed = 1 WHERE subscriber_id = ?`, p.subscriber)
		}
		return err
	})
	if err == nil {
		d.held.Add(n)
		slog.Debug("Digest parts held until the reader writes", slog.String("chat", p.chat.String()), slog.Int64("parts", n),
			slog.String("why", why))
	}
	return err
}

// Heard is called on every update the bot handles from a subscribed
// chat, before it answers: the reader wrote (or pressed, or followed), so
// the chat can hear the bot. It does what Wrote does, then sends the
// release now, before it returns, when this deliverer serves the
// platform: the reader gets the held digests first, then the answer.
func (d *Deliverer) Heard(ctx context.Context, sub *subscribers.Subscriber) error {
	parts, err := d.Wrote(ctx, sub)
	if err != nil || parts == 0 {
		return err
	}
	if d.limits[sub.Key.Platform] == nil {
		return nil // another process serves the platform
	}
	if err := d.Flush(ctx, sub.ID); err != nil && !errors.Is(err, ErrPaused) {
		return err
	}
	return nil
}

// Wrote records that sub's reader wrote, and returns how many parts of a
// release it queued. Strikes are forgiven, as Reachable does. On a
// platform with a conversation window the window opens again (a write);
// on one without, this costs one read. Either way, the chat's held
// digests are merged into one release, in one transaction, due now on
// the ordinary outbox path.
func (d *Deliverer) Wrote(ctx context.Context, sub *subscribers.Subscriber) (int, error) {
	d.noteReached(sub.ID)
	var strikes int
	var held bool
	var err error
	if d.WindowOf(sub.Key.Platform) != nil {
		err = d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE digest_state SET heard_ms = ?, window_sent = 0, window_closed = 0 WHERE subscriber_id = ?`,
				d.opts.Now().UnixMilli(), sub.ID); err != nil {
				return err
			}
			return readHeard(ctx, tx, sub.ID, &strikes, &held)
		})
	} else {
		err = readHeard(ctx, d.opts.DB, sub.ID, &strikes, &held)
	}
	if err != nil {
		return 0, fmt.Errorf("digest: unable to note that %s wrote: %w", sub.Key, err)
	}
	if strikes > 0 {
		if err := d.forgive(ctx, sub.ID); err != nil {
			return 0, err
		}
	}
	if !held {
		return 0, nil
	}
	parts, err := d.opts.Engine.release(ctx, sub)
	if err != nil || parts == 0 {
		return 0, err
	}
	d.released.Add(1)
	d.Wake()
	return parts, nil
}

// readHeard reads a chat's strikes and whether it has held parts: what
// Heard must act on. A chat without a schedule has neither.
func readHeard(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, subscriber int64, strikes *int, held *bool) error {
	err := q.QueryRowContext(ctx, `SELECT strikes, EXISTS (SELECT 1 FROM outbox WHERE subscriber_id = ?1 AND state = 'held')
		FROM digest_state WHERE subscriber_id = ?1`, subscriber).Scan(strikes, held)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// ReaderWindow is a chat's conversation window, as the reader is told of
// it (/list).
type ReaderWindow struct {
	Windowed bool      // the chat's platform has a window
	Open     bool      // the bot may write now
	Until    time.Time // when it closes by time; zero when closed
	Left     int       // messages left in it; 0 with no count
	// HeldDigests and HeldParts wait for the reader to write.
	HeldDigests, HeldParts int
}

// ReaderWindow reports sub's window and what waits for the reader.
func (d *Deliverer) ReaderWindow(ctx context.Context, sub *subscribers.Subscriber) (ReaderWindow, error) {
	var r ReaderWindow
	err := d.opts.DB.QueryRowContext(ctx, `SELECT count(DISTINCT digest_id), count(*) FROM outbox WHERE subscriber_id = ? AND state = 'held'`,
		sub.ID).Scan(&r.HeldDigests, &r.HeldParts)
	if err != nil {
		return r, fmt.Errorf("digest: unable to count held parts: %w", err)
	}
	w := d.WindowOf(sub.Key.Platform)
	if w == nil {
		return r, nil
	}
	s, err := readWindow(ctx, d.opts.DB, sub.ID)
	if err != nil {
		return r, err
	}
	r.Windowed, r.Open, r.Until = true, s.open(*w, d.opts.Now()), s.until(*w)
	if w.Messages > 0 {
		r.Left = max(w.Messages-s.sent, 0)
	}
	return r, nil
}

// WindowCounts are one platform's conversation windows, for admins.
type WindowCounts struct {
	Open   int `json:"open"`
	Closed int `json:"closed"` // of active and paused chats: a part for them would be held
	// HeldParts wait in Chats chats for their readers to write.
	HeldParts int `json:"held_parts"`
	HeldChats int `json:"held_chats"`
}

// Windows counts open and closed windows on each windowed platform this
// deliverer sends to, and held parts on any platform (a platform without
// a window may still have said one was closed).
func (d *Deliverer) Windows(ctx context.Context) (map[string]WindowCounts, error) {
	out := map[string]WindowCounts{}
	now := d.opts.Now()
	for _, name := range d.names {
		w := d.limits[name].Window
		if w == nil {
			continue
		}
		var c WindowCounts
		var total int
		err := d.opts.DB.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE ds.window_closed = 0 AND ds.heard_ms > ?
				AND (? <= 0 OR ds.window_sent < ?))
			FROM digest_state ds JOIN subscribers s ON s.id = ds.subscriber_id
			WHERE s.platform = ? AND s.state IN ('active', 'paused')`,
			now.Add(-w.Span).UnixMilli(), w.Messages, w.Messages, name).Scan(&total, &c.Open)
		if err != nil {
			return nil, fmt.Errorf("digest: unable to count windows: %w", err)
		}
		c.Closed = total - c.Open
		out[name] = c
	}
	rows, err := d.opts.DB.QueryContext(ctx, `SELECT platform, count(*), count(DISTINCT subscriber_id) FROM outbox WHERE state = 'held' GROUP BY platform`)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to count held parts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var parts, chats int
		if err := rows.Scan(&name, &parts, &chats); err != nil {
			return nil, fmt.Errorf("digest: unable to count held parts: %w", err)
		}
		c := out[name]
		c.HeldParts, c.HeldChats = parts, chats
		out[name] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to count held parts: %w", err)
	}
	return out, nil
}

// WindowCounts is the part of Windows that needs no database, for
// metrics: parts held and release digests written since start.
func (d *Deliverer) WindowCounts() (held, released int64) {
	return d.held.Load(), d.released.Load()
}
