package digest

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// Each record function writes one outcome and logs it once written: when
// the database refuses, the Deliverer holds the function and calls it
// again later, and the log should not repeat with every try.

func (d *Deliverer) recordSent(ctx context.Context, p part, messageID string) error {
	return d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		now := d.opts.Now().Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', message_id = ?, sent_at = ?, attempts = attempts + 1, last_error = ''
			WHERE id = ?`, clip(messageID, 200), now, p.id); err != nil {
			return err
		}
		if d.WindowOf(p.chat.Platform) != nil {
			// Counted against the window's messages, with the send.
			_, err := tx.ExecContext(ctx, `UPDATE digest_state SET strikes = 0, window_sent = window_sent + 1 WHERE subscriber_id = ?`, p.subscriber)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE digest_state SET strikes = 0 WHERE subscriber_id = ? AND strikes > 0`, p.subscriber)
		return err
	})
}

func (d *Deliverer) recordFailure(ctx context.Context, p part, se *chat.SendError) error {
	now := d.opts.Now()
	msg := clip(se.Error(), 500)
	switch {
	case se.MigratedTo != "":
		err := d.opts.Subscribers.MoveWith(ctx, p.chat, se.MigratedTo, func(tx *sql.Tx, id int64) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET chat_id = ?, last_error = ? WHERE subscriber_id = ? AND state = 'pending'`,
				se.MigratedTo, msg, id)
			return err
		})
		if err == nil {
			slog.Info("Chat moved", slog.String("from", p.chat.String()), slog.String("to", se.MigratedTo))
			return nil
		}
		// Moved already (the platform's notice came first) or the new id is
		// taken: the part is retried later with whatever chat is on record.
		if !errors.Is(err, subscribers.ErrNotFound) && !isTaken(err) {
			return err
		}
	case se.Closed:
		err := d.holdParts(ctx, p, msg, true)
		if err == nil {
			slog.Info("The platform can reach the chat only after the reader writes (a closed window); its parts are held until then",
				slog.String("chat", p.chat.String()), slog.String("error", msg))
		}
		return err
	case se.Refused:
		err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`, msg, p.id)
			return err
		})
		if err == nil {
			slog.Error("A part was refused by the platform; it is a dead letter", slog.String("chat", p.chat.String()),
				slog.Int64("part", p.id), slog.String("error", msg))
		}
		return err
	case se.Misconfigured:
		return d.retryAt(ctx, p, now, d.opts.StrikeWait, msg, func(wait time.Duration) {
			slog.Error("The platform's endpoint is misconfigured; its parts wait until it is fixed", slog.String("platform", p.chat.Platform),
				slog.Int64("part", p.id), slog.Duration("wait", wait), slog.String("error", msg))
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
		wait = d.backoff(p.attempts)
	}
	return d.retryAt(ctx, p, now, wait, msg, func(wait time.Duration) {
		slog.Warn("Delivery failed, will retry", slog.String("chat", p.chat.String()), slog.Int64("part", p.id),
			slog.Duration("wait", wait), slog.String("error", msg))
	})
}

// retryAt counts an attempt and sets the part's next one wait after now,
// never earlier (attemptMillis), so a Retry-After is never cut short.
func (d *Deliverer) retryAt(ctx context.Context, p part, now time.Time, wait time.Duration, msg string, logged func(time.Duration)) error {
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?`,
			attemptMillis(now.Add(wait)), msg, p.id)
		return err
	})
	if err == nil {
		logged(wait)
	}
	return err
}

// attemptMillis is when a part may be tried again, as the outbox keeps it:
// in milliseconds, rounded up, so that no wait is cut short.
func attemptMillis(at time.Time) int64 {
	ms := at.UnixMilli()
	if time.UnixMilli(ms).Before(at) {
		ms++
	}
	return ms
}

// backoff is the wait after the n-th failure in a row: doubling from
// Backoff up to MaxBackoff, half of it at random.
func (d *Deliverer) backoff(n int) time.Duration {
	wait := min(d.opts.MaxBackoff, d.opts.Backoff<<min(n, 20))
	return wait/2 + rand.N(wait/2+1)
}

// recordBuildFailure backs a part off that could not be built, and makes
// it a dead letter after MaxBuildFailures in a row: a corrupted part must
// cost a few tries, not a hot loop.
func (d *Deliverer) recordBuildFailure(ctx context.Context, p part, cause error) error {
	failures := p.buildFailures + 1
	msg := clip("unable to build the part: "+cause.Error(), 500)
	if failures >= d.opts.MaxBuildFailures {
		err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', build_failures = ?, last_error = ? WHERE id = ?`, failures, msg, p.id)
			return err
		})
		if err == nil {
			slog.Error("A part could not be built; it is a dead letter", slog.String("chat", p.chat.String()), slog.Int64("part", p.id),
				slog.Int("tries", failures), slog.Any("error", cause))
		}
		return err
	}
	wait := d.backoff(failures - 1)
	next := d.opts.Now().Add(wait)
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET build_failures = ?, next_attempt_ms = ?, last_error = ? WHERE id = ?`,
			failures, attemptMillis(next), msg, p.id)
		return err
	})
	if err == nil {
		slog.Warn("Unable to build a part, will retry", slog.String("chat", p.chat.String()), slog.Int64("part", p.id),
			slog.Int("tries", failures), slog.Duration("wait", wait), slog.Any("error", cause))
	}
	return err
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
				WHERE subscriber_id = ? AND state IN ('pending', 'held')`, p.id, msg, p.subscriber)
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?`,
			attemptMillis(now.Add(d.opts.StrikeWait)), msg, p.id)
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

// Reachable is called when a chat shows it can hear the bot again (it
// wrote, or the platform said the bot is back): strikes are forgiven and
// the parts that waited on them are due now. A send to the chat that is
// failing at that moment is forgiven too, when its failure comes. A chat
// with no strikes costs one read. For a chat that wrote, the bot calls
// Heard, which does this and more.
func (d *Deliverer) Reachable(ctx context.Context, subscriber int64) error {
	d.noteReached(subscriber)
	var strikes int
	err := d.opts.DB.QueryRowContext(ctx, `SELECT strikes FROM digest_state WHERE subscriber_id = ?`, subscriber).Scan(&strikes)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && strikes == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	return d.forgive(ctx, subscriber)
}

// forgive forgives a subscriber's strikes and makes its waiting parts due.
func (d *Deliverer) forgive(ctx context.Context, subscriber int64) error {
	now := d.opts.Now().UnixMilli()
	err := d.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE digest_state SET strikes = 0 WHERE subscriber_id = ?`, subscriber); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_ms = min(next_attempt_ms, ?) WHERE subscriber_id = ? AND state = 'pending'`,
			now, subscriber)
		return err
	})
	if err != nil {
		return err
	}
	d.Wake()
	return nil
}

// isTaken says a write failed because the row it would make exists: the
// chat's new id has a subscriber already.
func isTaken(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}
