package digest

import (
	"context"
	"database/sql"
	"hash/fnv"
	"log/slog"
	"time"

	"wzdaily/articles"
	"wzdaily/subscribers"
)

// ScheduleOptions configure a Schedule.
type ScheduleOptions struct {
	Articles *articles.Store
	Now      func() time.Time
	// Spread per platform: each chat's digest comes at a fixed offset
	// within this window after its time (at most 12 hours), so a personal
	// WeChat account does not send a whole morning at once.
	Spread map[string]time.Duration
	// FirstDigestSpan is how far back a new subscriber's first digest
	// reaches (default 24 hours).
	FirstDigestSpan time.Duration
}

// Schedule keeps each subscriber's next digest time (digest_state) in step
// with its settings. It is built before the subscribers store, which is
// given Changed as its hook, and before the Engine, which reads it.
type Schedule struct {
	opts ScheduleOptions
}

// NewSchedule returns a Schedule. Pass its Changed method to
// subscribers.NewStore.
func NewSchedule(opts ScheduleOptions) *Schedule {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.FirstDigestSpan <= 0 {
		opts.FirstDigestSpan = 24 * time.Hour
	}
	return &Schedule{opts: opts}
}

func (s *Schedule) now() time.Time { return s.opts.Now() }

// Changed is the subscribers store's hook: a new subscriber's first digest
// covers the last day; a new time, zone or a resume reschedules. A chat
// that blocked the bot or left drops the parts held for its window, as
// its pending parts are dropped after its strikes: it would otherwise get
// them, days old, whenever it came back.
func (s *Schedule) Changed(ctx context.Context, tx *sql.Tx, before, after *subscribers.Subscriber) error {
	now := s.now()
	if before != nil && before.State != after.State && (after.State == subscribers.Blocked || after.State == subscribers.Left) {
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'dead', last_error = ? WHERE subscriber_id = ? AND state = 'held'`,
			"held for the reader, who "+string(after.State)+" meanwhile", after.ID); err != nil {
			return err
		}
	}
	if before != nil && before.DeliverAt == after.DeliverAt && before.Zone == after.Zone &&
		(before.State == after.State || after.State != subscribers.Active) {
		return nil
	}
	next := NextDue(after.DeliverAt, ZoneOf(after), now).Add(s.spread(after)).Unix()
	if before == nil {
		cursor, err := s.opts.Articles.SeqBefore(ctx, now.Add(-s.opts.FirstDigestSpan))
		if err != nil {
			return err
		}
		// Subscribing is the reader writing: a conversation window opens.
		_, err = tx.ExecContext(ctx, `INSERT INTO digest_state (subscriber_id, cursor_seq, next_due_at, heard_ms) VALUES (?, ?, ?, ?)
			ON CONFLICT (subscriber_id) DO UPDATE SET next_due_at = excluded.next_due_at, heard_ms = excluded.heard_ms`,
			after.ID, cursor, next, now.UnixMilli())
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE digest_state SET next_due_at = ?, strikes = 0 WHERE subscriber_id = ?`, next, after.ID); err != nil {
		return err
	}
	if before.State != after.State && after.State == subscribers.Active {
		// Back (unblocked, resumed): what waited on a strike is due now.
		_, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt_ms = min(next_attempt_ms, ?) WHERE subscriber_id = ? AND state = 'pending'`,
			now.UnixMilli(), after.ID)
		return err
	}
	return nil
}

// after is the subscriber's next scheduled time after the digest due at
// d.due; a digest asked for keeps the schedule as it was. loc is the
// subscriber's zone when the caller has it loaded (nil: ZoneOf).
func (s *Schedule) after(sub *subscribers.Subscriber, loc *time.Location, d dueRow, now time.Time, kind string) int64 {
	if kind == "on_demand" {
		return d.due
	}
	if sub == nil {
		return now.Add(24 * time.Hour).Unix()
	}
	if loc == nil {
		loc = ZoneOf(sub)
	}
	offset := s.spread(sub)
	next := DueAfter(sub.DeliverAt, loc, time.Unix(d.due, 0).Add(-offset)).Add(offset)
	if !next.After(now) {
		next = NextDue(sub.DeliverAt, loc, now).Add(offset) // one catch-up, not several
	}
	return next.Unix()
}

// spread is how long after its time a subscriber's digest is composed on a
// platform that spreads its mornings (Options.Spread): a fixed offset per
// chat, so a morning's sends trickle out over the window instead of
// queueing at 07:30, and each chat gets its digest at the same time daily.
func (s *Schedule) spread(sub *subscribers.Subscriber) time.Duration {
	window := min(s.opts.Spread[sub.Key.Platform], 12*time.Hour)
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(sub.Key.String()))
	return time.Duration(h.Sum64()%uint64(window/time.Second)) * time.Second
}

// ZoneOf is the subscriber's time zone. Zones are checked when they are
// set, so one that fails to load was written by hand or has left the zone
// database: the digest then keeps the paper's zone rather than fail (or,
// as time.In(nil) would, panic) every morning.
func ZoneOf(sub *subscribers.Subscriber) *time.Location {
	loc, err := subscribers.LoadZone(sub.Zone)
	if err == nil {
		return loc
	}
	slog.Warn("A subscriber's time zone does not load; using the paper's", slog.String("chat", sub.Key.String()),
		slog.String("zone", sub.Zone), slog.String("instead", subscribers.DefaultZone))
	if loc, err = subscribers.LoadZone(subscribers.DefaultZone); err == nil {
		return loc
	}
	return time.UTC
}

// NextDue returns the first delivery time strictly after t: minute
// minutes after local midnight in loc. A time that does not exist on a day
// (skipped when clocks go forward) comes as late as the clock allows;
// time.Date normalises it.
func NextDue(minute int, loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	for d := 0; ; d++ {
		c := time.Date(l.Year(), l.Month(), l.Day()+d, minute/60, minute%60, 0, 0, loc)
		if c.After(t) {
			return c
		}
	}
}

// DueAfter returns the delivery time on the local day after the one due
// fell on. Scheduling from the day, not the instant, sends one digest on a
// day when clocks go back and the delivery time happens twice.
func DueAfter(minute int, loc *time.Location, due time.Time) time.Time {
	l := due.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, minute/60, minute%60, 0, 0, loc)
}
