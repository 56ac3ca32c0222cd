package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"

	"wzdaily/articles"
	"wzdaily/subscribers"
)

// heldPart is an outbox part held for a closed window.
type heldPart struct {
	id       int64
	from, to int64 // its digest's articles, by seq
	spec     Part
	bad      error // the stored part does not decode
}

// errRaced means the held parts changed while a release was composed:
// another release took them.
var errRaced = errors.New("digest: the held parts changed meanwhile")

// release merges sub's held parts into one release digest, and returns
// how many parts it has. The merge is one transaction: the release's parts
// are written and the held parts marked merged together, so a crash
// leaves either the held parts or the release, never both and never
// neither; delivery then takes the ordinary outbox path.
func (e *Engine) release(ctx context.Context, sub *subscribers.Subscriber) (int, error) {
	for range 3 {
		held, err := e.held(ctx, sub.ID)
		if err != nil || len(held) == 0 {
			return 0, err
		}
		d, err := e.merge(ctx, sub, held)
		if err != nil {
			return 0, err
		}
		n, err := e.writeRelease(ctx, sub, held, d)
		if errors.Is(err, errRaced) {
			continue
		}
		return n, err
	}
	return 0, nil
}

func (e *Engine) held(ctx context.Context, subscriber int64) ([]heldPart, error) {
	rows, err := e.opts.DB.QueryContext(ctx, `SELECT o.id, d.from_seq, d.to_seq, o.message FROM outbox o JOIN digests d ON d.id = o.digest_id
		WHERE o.subscriber_id = ? AND o.state = 'held' ORDER BY o.id`, subscriber)
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read held parts: %w", err)
	}
	defer rows.Close()
	var out []heldPart
	for rows.Next() {
		var h heldPart
		var body string
		if err := rows.Scan(&h.id, &h.from, &h.to, &body); err != nil {
			return nil, fmt.Errorf("digest: unable to read held parts: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &h.spec); err != nil {
			h.bad = fmt.Errorf("digest: held part %d is unreadable: %w", h.id, err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("digest: unable to read held parts: %w", err)
	}
	return out, nil
}

// merge composes the release of held parts: every article they list, once,
// under the subscriber's tags in the subscriber's order (a tag unfollowed
// since comes after them), newest first, with the days they came from. A
// day with nothing (an empty notice) says nothing late; the "more" hint is
// left out, as the release lists all.
func (e *Engine) merge(ctx context.Context, sub *subscribers.Subscriber, held []heldPart) (Digest, error) {
	type unit struct {
		tag  string
		seq  int64
		also int
	}
	var units []unit
	var seqs []int64
	seen := map[int64]bool{}
	days := map[string]bool{}
	for _, h := range held {
		if h.bad != nil || h.spec.Empty || len(h.spec.Units) == 0 {
			continue
		}
		if len(h.spec.Dates) > 0 {
			for _, d := range h.spec.Dates {
				days[d] = true
			}
		} else {
			days[h.spec.day()] = true
		}
		tag := ""
		for _, u := range h.spec.Units {
			if u.Tag != "" {
				tag = u.Tag
			}
			if !seen[u.Seq] {
				seen[u.Seq] = true
				units = append(units, unit{tag: tag, seq: u.Seq, also: u.Also})
				seqs = append(seqs, u.Seq)
			}
		}
	}
	list, err := e.opts.Articles.BySeqs(ctx, seqs)
	if err != nil {
		return Digest{}, err
	}
	bySeq := make(map[int64]*articles.Article, len(list))
	for _, a := range list {
		bySeq[a.Seq] = a
	}
	order := slices.Clone(sub.Tags)
	byTag := map[string][]*articles.Article{}
	d := Digest{}
	for _, u := range units {
		a := bySeq[u.seq]
		if a == nil {
			continue // pruned since
		}
		if !slices.Contains(order, u.tag) {
			order = append(order, u.tag)
		}
		byTag[u.tag] = append(byTag[u.tag], a)
		if u.also > 0 {
			if d.Earlier == nil {
				d.Earlier = map[int64]int{}
			}
			d.Earlier[a.Seq] = u.also
		}
	}
	for _, t := range order {
		items := byTag[t]
		if len(items) == 0 {
			continue
		}
		sort.SliceStable(items, func(i, j int) bool { return newer(items[i], items[j]) })
		d.Groups = append(d.Groups, Group{Tag: t, Items: items})
		d.Items += len(items)
	}
	for day := range days {
		d.Dates = append(d.Dates, day)
	}
	slices.Sort(d.Dates)
	return d, nil
}

// day is the date the part's digest was composed on, in its reader's
// zone: what a release counts as one day.
func (p Part) day() string {
	if t := p.now(); !t.IsZero() {
		return t.Format("2006-01-02")
	}
	return p.Date
}

// writeRelease writes the release digest d of held, in one transaction
// with marking held merged (and an unreadable one dead). A release with
// nothing left to list (every article pruned, or only empty notices)
// writes no digest.
func (e *Engine) writeRelease(ctx context.Context, sub *subscribers.Subscriber, held []heldPart, d Digest) (int, error) {
	now := e.opts.Schedule.now()
	loc := ZoneOf(sub)
	_, invite := e.window(sub.Key.Platform)
	var parts []Part
	if d.Items > 0 {
		parts = plan(d, sub, now.In(loc), e.limits(sub.Key.Platform), nil, invite)
	}
	from, to := held[0].from, held[0].to
	var merged, bad []any
	for _, h := range held {
		from, to = min(from, h.from), max(to, h.to)
		if h.bad != nil {
			bad = append(bad, h.id)
		} else {
			merged = append(merged, h.id)
		}
	}
	err := e.opts.DB.Write(ctx, func(tx *sql.Tx) error {
		n, err := markHeld(ctx, tx, "merged", "", merged)
		if err != nil {
			return err
		}
		m, err := markHeld(ctx, tx, "dead", "unreadable when its window opened", bad)
		if err != nil {
			return err
		}
		if n+m != int64(len(held)) {
			return errRaced
		}
		if len(parts) == 0 {
			return nil
		}
		w := pendingDigest{row: dueRow{id: sub.ID, cursor: from}, kind: "release", sub: sub, items: d.Items, parts: parts, top: to}
		return insertDigest(ctx, tx, now, w)
	})
	if err != nil {
		if !errors.Is(err, errRaced) {
			err = fmt.Errorf("digest: unable to release the held parts of %s: %w", sub.Key, err)
		}
		return 0, err
	}
	slog.Info("Released held digests", slog.String("chat", sub.Key.String()), slog.Int("held_parts", len(held)),
		slog.Int("days", len(d.Dates)), slog.Int("items", d.Items), slog.Int("parts", len(parts)))
	return len(parts), nil
}

// markHeld moves the held parts named by ids to state, and counts them.
func markHeld(ctx context.Context, tx *sql.Tx, state, why string, ids []any) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, last_error = CASE ? WHEN '' THEN last_error ELSE ? END
		WHERE state = 'held' AND id IN (`+in+`)`, append([]any{state, why, why}, ids...)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
