package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/db"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// Options configure an Engine.
type Options struct {
	DB          *db.DB
	Articles    *articles.Store
	Subscribers *subscribers.Store
	// Schedule says when each subscriber is due, and is the clock of the
	// engine. The subscribers store must run its Changed hook (see
	// NewSchedule), or new subscribers never fall due.
	Schedule *Schedule
	// Limits per platform name; a platform without an entry gets
	// DefaultLimits.
	Limits map[string]Limits
	// Link, when set, is where digest items link to instead of the
	// article's page on the site (Limits.Link).
	Link func(*articles.Article) string
	// DigestLink, when set, is the signed address of a digest's page on
	// the reader's web: the last part of a digest ends with it.
	DigestLink func(digestID int64) string
	// MaxCandidates is how many of the newest articles one run considers
	// (default 2,000): a subscriber back after months gets the newest.
	MaxCandidates int
}

// DefaultLimits fit every platform: Telegram allows 4,096 UTF-16 units.
var DefaultLimits = Limits{MaxLength: 4096, Measure: PlainLength}

// Engine composes digests into the outbox. Delivery is the Deliverer's.
type Engine struct {
	opts     Options
	composed atomic.Int64

	// windows are the platforms' conversation windows, as the Deliverer
	// is told them (Deliverer.Add): a digest for such a platform invites
	// the reply that keeps the window open.
	mu      sync.Mutex
	windows map[string]Window
}

// New returns an Engine. Options.Schedule is required.
func New(opts Options) *Engine {
	if opts.Schedule == nil {
		panic("digest: New needs the Schedule the subscribers store reports to") // a wiring mistake, found at start-up
	}
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = 2000
	}
	return &Engine{opts: opts}
}

// Clock is the engine's present, its Schedule's clock: what item times
// are told against ("今天 08:15"), in digests and wherever else articles
// are listed.
func (e *Engine) Clock() time.Time { return e.opts.Schedule.now() }

// Composed is how many digests the engine has written since it started,
// scheduled or asked for.
func (e *Engine) Composed() int64 { return e.composed.Load() }

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
	now := e.opts.Schedule.now()
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
	// zones are loaded once a run: time.LoadLocation reads the zone
	// database each call, which was a tenth of a morning of 100,000.
	zones map[string]*time.Location
}

// zone is the subscriber's zone (ZoneOf), loaded once a run.
func (run *runCache) zone(sub *subscribers.Subscriber) *time.Location {
	if loc, ok := run.zones[sub.Zone]; ok {
		return loc
	}
	loc := ZoneOf(sub)
	if run.zones == nil {
		run.zones = map[string]*time.Location{}
	}
	run.zones[sub.Zone] = loc
	return loc
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

// itemsFor returns the item cache of subscribers of one platform,
// language and zone: their items read alike.
func (run *runCache) itemsFor(sub *subscribers.Subscriber) *itemCache {
	key := sub.Key.Platform + "\x00" + sub.Lang + "\x00" + sub.Zone
	c, ok := run.items[key]
	if !ok {
		c = newItemCache()
		run.items[key] = c
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
	err = e.compose(ctx, e.opts.Schedule.now(), []dueRow{{id: sub.ID, cursor: cursor, due: due}}, "on_demand", &rep, &runCache{})
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
			w.next = e.opts.Schedule.after(sub, nil, d, now, kind)
			writes = append(writes, w)
			continue
		}
		loc := run.zone(sub)
		var mine []*Candidate
		for _, c := range cands {
			if c.Article.Seq > d.cursor {
				mine = append(mine, c)
			}
		}
		dg := Compose(sub, mine)
		w.sub, w.items = sub, dg.Items
		items := run.itemsFor(sub)
		_, invite := e.window(sub.Key.Platform)
		w.parts = plan(dg, sub, now.In(loc), e.limits(sub.Key.Platform), items, invite)
		if kind == "on_demand" && len(w.parts) == 0 {
			// Asked for, so say so even when the chat chose silence.
			quiet := *sub
			quiet.EmptyNotice = true
			w.parts = plan(dg, &quiet, now.In(loc), e.limits(sub.Key.Platform), items, invite)
		}
		w.next = e.opts.Schedule.after(sub, loc, d, now, kind)
		writes = append(writes, w)
	}
	return e.write(ctx, now, writes, rep)
}

func (e *Engine) limits(platform string) Limits {
	l, ok := e.opts.Limits[platform]
	if !ok {
		l = DefaultLimits
	}
	l.Link = e.opts.Link
	return l
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
		e.composed.Add(int64(counts.Digests))
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
	if err := insertDigest(ctx, tx, now, w); err != nil {
		return err
	}
	counts.Digests++
	if len(w.parts) == 0 {
		counts.Empty++
	}
	counts.Parts += len(w.parts)
	return nil
}

// insertDigest writes a digest and its parts, due now.
func insertDigest(ctx context.Context, tx *sql.Tx, now time.Time, w pendingDigest) error {
	r, err := tx.ExecContext(ctx, `INSERT INTO digests (subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token)
		VALUES (?, ?, ?, ?, ?, ?, ?, lower(hex(randomblob(16))))`, w.row.id, w.kind, now.Unix(), w.row.cursor, w.top, w.items, len(w.parts))
	if err != nil {
		return err
	}
	digestID, err := r.LastInsertId()
	if err != nil {
		return err
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
	loc := ZoneOf(sub)
	quiet := *sub
	quiet.EmptyNotice = true
	return Render(Compose(sub, Prepare(list)), &quiet, e.opts.Schedule.now().In(loc), e.limits(sub.Key.Platform)), nil
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
	if u := e.digestLink(p, digestID); u != "" {
		// The parts were packed without the link: a last part it would
		// take over the platform's limit goes without it.
		lim := withDefaults(e.limits(platform))
		with := append(slices.Clone(m.Blocks), para(chat.Span{Text: i18n.Of(p.Lang).T("digest on the web"), Style: chat.Link, URL: u}))
		if lim.Measure(chat.Message{Blocks: with, Buttons: m.Buttons}) <= lim.MaxLength {
			m.Blocks = with
		}
	}
	return m, nil
}

// digestLink is the link to the digest's page that its last part ends
// with, or "".
func (e *Engine) digestLink(p Part, digestID int64) string {
	if !p.Footer || p.Empty || e.opts.DigestLink == nil {
		return ""
	}
	return e.opts.DigestLink(digestID)
}
