package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/db"
	"wzdaily/subscribers"
)

// Options configure an Engine.
type Options struct {
	DB          *db.DB
	Articles    *articles.Store
	Subscribers *subscribers.Store
	// Limits per platform name; a platform without an entry gets
	// DefaultLimits.
	Limits map[string]Limits
	Now    func() time.Time
	// MaxCandidates is how many of the newest articles one run considers
	// (default 2,000): a subscriber back after months gets the newest.
	MaxCandidates int
	// Spread per platform: each chat's digest comes at a fixed offset
	// within this window after its time (at most 12 hours), so a personal
	// WeChat account does not send a whole morning at once.
	Spread map[string]time.Duration
	// FirstDigestSpan is how far back a new subscriber's first digest
	// reaches (default 24 hours).
	FirstDigestSpan time.Duration
}

// DefaultLimits fit every platform: Telegram allows 4,096 UTF-16 units.
var DefaultLimits = Limits{MaxLength: 4096, Measure: PlainLength}

// Engine composes digests into the outbox. Delivery is the Deliverer's.
type Engine struct {
	opts Options
}

// New returns an Engine and hooks it to subscriber changes, so each
// subscriber's schedule follows its settings.
func New(opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = 2000
	}
	if opts.FirstDigestSpan <= 0 {
		opts.FirstDigestSpan = 24 * time.Hour
	}
	e := &Engine{opts: opts}
	opts.Subscribers.OnChange(e.subscriberChanged)
	return e
}

// subscriberChanged keeps digest_state in step: a new subscriber's first
// digest covers the last day; a new time, zone or a resume reschedules.
func (e *Engine) subscriberChanged(ctx context.Context, tx *sql.Tx, before, after *subscribers.Subscriber) error {
	now := e.opts.Now()
	if before != nil && before.DeliverAt == after.DeliverAt && before.Zone == after.Zone &&
		(before.State == after.State || after.State != subscribers.Active) {
		return nil
	}
	next := NextDue(after.DeliverAt, zoneOf(after), now).Add(e.spread(after)).Unix()
	if before == nil {
		cursor, err := e.opts.Articles.SeqBefore(ctx, now.Add(-e.opts.FirstDigestSpan))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO digest_state (subscriber_id, cursor_seq, next_due_at) VALUES (?, ?, ?)
			ON CONFLICT (subscriber_id) DO UPDATE SET next_due_at = excluded.next_due_at`, after.ID, cursor, next)
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

// Report counts what a run composed.
type Report struct {
	Due      int // subscribers whose time had come
	Digests  int // digests written to the outbox
	Parts    int
	Empty    int // digests with nothing in them
	Skipped  int // due but paused, blocked or gone: rescheduled only
	Articles int // candidate articles considered
}

// dueRow is one subscriber whose digest is due.
type dueRow struct {
	id     int64
	cursor int64
	due    int64
}

// RunDue composes the digest of every subscriber whose delivery time has
// come and writes it to the outbox, in the same transaction that moves the
// subscriber's cursor and schedule. A subscriber due several times while
// the bot was down gets one digest, and the next is scheduled after now.
func (e *Engine) RunDue(ctx context.Context) (Report, error) {
	var rep Report
	now := e.opts.Now()
	run := &runCache{}
	for {
		due, err := e.dueBatch(ctx, now, 2000)
		if err != nil || len(due) == 0 {
			return rep, err
		}
		if err := e.compose(ctx, now, due, "scheduled", &rep, run); err != nil {
			return rep, err
		}
	}
}

// runCache keeps what the batches of one run share: subscribers of one
// morning mostly have the same cursor, so the same candidate articles, and
// each article is rendered once per platform.
type runCache struct {
	cursor int64
	list   []*articles.Article
	cands  []*Candidate
	items  map[string]*itemCache
	loaded bool
}

// candidates returns the prepared articles after cursor, loading them
// only when the cursor differs from the last batch's.
func (e *Engine) candidates(ctx context.Context, run *runCache, cursor int64) ([]*articles.Article, []*Candidate, error) {
	if run.loaded && run.cursor == cursor {
		return run.list, run.cands, nil
	}
	list, err := e.opts.Articles.Since(ctx, cursor, e.opts.MaxCandidates)
	if err != nil {
		return nil, nil, err
	}
	*run = runCache{cursor: cursor, list: list, cands: Prepare(list), items: map[string]*itemCache{}, loaded: true}
	return run.list, run.cands, nil
}

func (run *runCache) itemsFor(platform string) *itemCache {
	c, ok := run.items[platform]
	if !ok {
		c = newItemCache()
		run.items[platform] = c
	}
	return c
}

func (e *Engine) dueBatch(ctx context.Context, now time.Time, n int) ([]dueRow, error) {
	rows, err := e.opts.DB.QueryContext(ctx, `SELECT subscriber_id, cursor_seq, next_due_at FROM digest_state
		WHERE next_due_at <= ? ORDER BY next_due_at LIMIT ?`, now.Unix(), n)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to find due subscribers: %w", err)
	}
	defer rows.Close()
	var out []dueRow
	for rows.Next() {
		var r dueRow
		if err := rows.Scan(&r.id, &r.cursor, &r.due); err != nil {
			return nil, fmt.Errorf("digest: unable to find due subscribers: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Now composes sub's digest at once, for /digest: everything since its
// last digest, which then moves the cursor, so the next morning repeats
// nothing. It returns how many parts went to the outbox.
func (e *Engine) Now(ctx context.Context, sub *subscribers.Subscriber) (int, error) {
	var cursor, due int64
	err := e.opts.DB.QueryRowContext(ctx, `SELECT cursor_seq, next_due_at FROM digest_state WHERE subscriber_id = ?`, sub.ID).Scan(&cursor, &due)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("digest: subscriber %s has no schedule", sub.Key)
	}
	if err != nil {
		return 0, fmt.Errorf("digest: unable to read the schedule of %s: %w", sub.Key, err)
	}
	var rep Report
	err = e.compose(ctx, e.opts.Now(), []dueRow{{id: sub.ID, cursor: cursor, due: due}}, "on_demand", &rep, &runCache{})
	return rep.Parts, err
}

// compose writes the digests of a batch of subscribers.
func (e *Engine) compose(ctx context.Context, now time.Time, due []dueRow, kind string, rep *Report, run *runCache) error {
	ids := make([]int64, len(due))
	minCursor := due[0].cursor
	for i, d := range due {
		ids[i] = d.id
		minCursor = min(minCursor, d.cursor)
	}
	subs, err := e.opts.Subscribers.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]*subscribers.Subscriber, len(subs))
	for _, s := range subs {
		byID[s.ID] = s
	}
	list, cands, err := e.candidates(ctx, run, minCursor)
	if err != nil {
		return err
	}
	top := minCursor
	if len(list) > 0 {
		top = list[len(list)-1].Seq
	}
	rep.Due += len(due)
	rep.Articles = max(rep.Articles, len(cands))

	var writes []pendingDigest
	for _, d := range due {
		sub := byID[d.id]
		w := pendingDigest{row: d, kind: kind, top: max(top, d.cursor)}
		if sub == nil || sub.State != subscribers.Active {
			rep.Skipped++
			w.next = e.next(sub, d, now, kind)
			writes = append(writes, w)
			continue
		}
		loc := zoneOf(sub)
		var mine []*Candidate
		for _, c := range cands {
			if c.Article.Seq > d.cursor {
				mine = append(mine, c)
			}
		}
		dg := Compose(sub, mine)
		w.sub, w.items = sub, dg.Items
		items := run.itemsFor(sub.Key.Platform)
		w.parts = plan(dg, sub, now.In(loc), e.limits(sub.Key.Platform), items)
		if kind == "on_demand" && len(w.parts) == 0 {
			// Asked for, so say so even when the chat chose silence.
			quiet := *sub
			quiet.EmptyNotice = true
			w.parts = plan(dg, &quiet, now.In(loc), e.limits(sub.Key.Platform), items)
		}
		w.next = e.next(sub, d, now, kind)
		writes = append(writes, w)
	}
	return e.write(ctx, now, writes, rep)
}

// next is the subscriber's next scheduled time after this digest.
func (e *Engine) next(sub *subscribers.Subscriber, d dueRow, now time.Time, kind string) int64 {
	if kind == "on_demand" {
		return d.due
	}
	if sub == nil {
		return now.Add(24 * time.Hour).Unix()
	}
	loc := zoneOf(sub)
	offset := e.spread(sub)
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
func (e *Engine) spread(sub *subscribers.Subscriber) time.Duration {
	window := min(e.opts.Spread[sub.Key.Platform], 12*time.Hour)
	if window <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(sub.Key.String()))
	return time.Duration(h.Sum64()%uint64(window/time.Second)) * time.Second
}

// zoneOf is the subscriber's time zone. Zones are checked when they are
// set, so one that fails to load was written by hand or has left the zone
// database: the digest then keeps the paper's zone rather than fail (or,
// as time.In(nil) would, panic) every morning.
func zoneOf(sub *subscribers.Subscriber) *time.Location {
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

func (e *Engine) limits(platform string) Limits {
	if l, ok := e.opts.Limits[platform]; ok {
		return l
	}
	return DefaultLimits
}

type pendingDigest struct {
	row   dueRow
	kind  string
	sub   *subscribers.Subscriber // nil: skipped, only rescheduled
	items int
	parts []Part
	top   int64 // the cursor after this digest
	next  int64
}

// write stores digests, their parts, and the moved cursors, a thousand
// subscribers a transaction. The schedule update is conditional, so a
// digest another run already wrote is not written twice.
func (e *Engine) write(ctx context.Context, now time.Time, writes []pendingDigest, rep *Report) error {
	for start := 0; start < len(writes); start += 1000 {
		batch := writes[start:min(start+1000, len(writes))]
		var counts Report
		err := e.opts.DB.Write(ctx, func(tx *sql.Tx) error {
			counts = Report{}
			for _, w := range batch {
				if err := writeOne(ctx, tx, now, w, &counts); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("digest: unable to write digests: %w", err)
		}
		rep.Digests += counts.Digests
		rep.Parts += counts.Parts
		rep.Empty += counts.Empty
	}
	return nil
}

func writeOne(ctx context.Context, tx *sql.Tx, now time.Time, w pendingDigest, counts *Report) error {
	if w.sub == nil {
		_, err := tx.ExecContext(ctx, `UPDATE digest_state SET next_due_at = ? WHERE subscriber_id = ?`, w.next, w.row.id)
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE digest_state SET cursor_seq = ?, next_due_at = ?, last_digest_at = ?
		WHERE subscriber_id = ? AND cursor_seq = ? AND next_due_at = ?`, w.top, w.next, now.Unix(), w.row.id, w.row.cursor, w.row.due)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		slog.Warn("Digest already written by another run", slog.Int64("subscriber", w.row.id))
		return nil
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO digests (subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token)
		VALUES (?, ?, ?, ?, ?, ?, ?, lower(hex(randomblob(16))))`, w.row.id, w.kind, now.Unix(), w.row.cursor, w.top, w.items, len(w.parts))
	if err != nil {
		return err
	}
	digestID, err := r.LastInsertId()
	if err != nil {
		return err
	}
	counts.Digests++
	if len(w.parts) == 0 {
		counts.Empty++
	}
	for i, p := range w.parts {
		body, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, next_attempt_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, digestID, w.row.id, w.sub.Key.Platform, w.sub.Key.ChatID, w.sub.Kind, i+1, body, now.UnixMilli()); err != nil {
			return err
		}
		counts.Parts++
	}
	return nil
}

// Preview composes what sub would get now, without writing anything.
func (e *Engine) Preview(ctx context.Context, sub *subscribers.Subscriber) ([]chat.Message, error) {
	var cursor int64
	err := e.opts.DB.QueryRowContext(ctx, `SELECT cursor_seq FROM digest_state WHERE subscriber_id = ?`, sub.ID).Scan(&cursor)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("digest: unable to read the schedule of %s: %w", sub.Key, err)
	}
	list, err := e.opts.Articles.Since(ctx, cursor, e.opts.MaxCandidates)
	if err != nil {
		return nil, err
	}
	loc := zoneOf(sub)
	quiet := *sub
	quiet.EmptyNotice = true
	return Render(Compose(sub, Prepare(list)), &quiet, e.opts.Now().In(loc), e.limits(sub.Key.Platform)), nil
}

// build writes the text of an outbox part for its platform, loading the
// articles it names.
func (e *Engine) build(ctx context.Context, digestID int64, p Part, platform string) (chat.Message, error) {
	seqs := make([]int64, len(p.Units))
	for i, u := range p.Units {
		seqs[i] = u.Seq
	}
	list, err := e.opts.Articles.BySeqs(ctx, seqs)
	if err != nil {
		return chat.Message{}, err
	}
	bySeq := make(map[int64]*articles.Article, len(list))
	for _, a := range list {
		bySeq[a.Seq] = a
	}
	m := Build(p, bySeq, e.limits(platform))
	if p.More > 0 && p.Footer {
		m.Buttons = [][]chat.Button{{moreButton(p.Lang, digestID, 0, p.More)}}
	}
	return m, nil
}
