package digest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrNoDigest means the digest asked for is not stored (any more).
var ErrNoDigest = errors.New("digest: no such digest")

// Whole is a digest as the reader's web shows it: every article it
// picked, including what the subscriber's maximum left out, and nothing
// else of the subscriber.
type Whole struct {
	Composed time.Time // in the reader's zone
	Groups   []Group
	// Earlier counts, by an item's Seq, the earlier reports of its story
	// that the item stands for.
	Earlier map[int64]int
}

// Whole composes digest id again over the same articles, as More does,
// with no maximum.
func (e *Engine) Whole(ctx context.Context, id int64) (*Whole, error) {
	var subID, from, to, created int64
	err := e.opts.DB.QueryRowContext(ctx, `SELECT subscriber_id, from_seq, to_seq, created_at FROM digests WHERE id = ?`, id).
		Scan(&subID, &from, &to, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoDigest
	}
	if err != nil {
		return nil, fmt.Errorf("digest: unable to read digest %d: %w", id, err)
	}
	subs, err := e.opts.Subscribers.GetMany(ctx, []int64{subID})
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, ErrNoDigest
	}
	d, _, err := e.composeAll(ctx, subs[0], from, to)
	if err != nil {
		return nil, err
	}
	return &Whole{Composed: time.Unix(created, 0).In(ZoneOf(subs[0])), Groups: d.Groups, Earlier: d.Earlier}, nil
}
