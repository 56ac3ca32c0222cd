package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// futureSlack is how far after its fetch a post may be dated and keep its
// date: a day covers a wrong zone and a post scheduled for the morning.
// A date beyond it (a typo in the year) would rank the post as the newest
// for as long as it lives, and a search ranks the newest first and stops
// early by age (see search.go), so many of them make every search slow.
const futureSlack = 24 * 3600

// claimedDate is the date a post gives itself.
func claimedDate(a *Article) time.Time {
	if !a.Claimed.IsZero() {
		return a.Claimed
	}
	return a.Published
}

// storedDate returns the published_at and claimed_at to store for a post
// that claims the date claim and is saved at now, over its row's old
// values (zeros for a new row). A post dated too far ahead is stored with
// the time it was first fetched, which an edit does not move.
func storedDate(claim, now, oldPublished, oldClaimed int64) (published, claimed int64) {
	switch {
	case claim <= now+futureSlack:
		return claim, 0
	case oldClaimed != 0:
		return oldPublished, claim
	}
	return now, claim
}

// setDates fills Published and Claimed from their stored forms.
func (a *Article) setDates(published, claimed int64) {
	a.Published = time.Unix(published, 0).In(shanghai)
	a.Claimed = time.Time{}
	if claimed != 0 {
		a.Claimed = time.Unix(claimed, 0).In(shanghai)
	}
}

// logClamped tells, once an article is committed, that its date was
// replaced: once per article, as a post seen again is unchanged or keeps
// the claimed date it had.
func logClamped(p *prepared) {
	if !p.clamped {
		return
	}
	p.clamped = false
	slog.Warn("Post dated in the future, stored with the time it was fetched",
		slog.String("article_id", p.a.ID), slog.String("url", p.a.URL),
		slog.Time("claimed", p.a.Claimed), slog.Time("stored", p.a.Published))
}

// clampFutureDates gives the articles stored before claimed_at existed
// the date the rule gives them: those dated more than a day after they
// were ingested take their ingest time, and a new index id with it. It
// runs once per database.
func (s *Store) clampFutureDates(ctx context.Context) error {
	var done string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM article_meta WHERE key = 'future_dates_clamped'`).Scan(&done)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: unable to read whether future dates were clamped: %w", err)
	}
	var n int
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = clampRows(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_meta (key, value) VALUES ('future_dates_clamped', '1')
			ON CONFLICT (key) DO NOTHING`); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: unable to clamp future dates: %w", err)
	}
	if n > 0 {
		slog.Warn("Stored posts dated in the future now have the time they were fetched", slog.Int("articles", n))
	}
	return nil
}

func clampRows(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, doc, published_at, ingested_at, title, body, lead FROM articles
		WHERE claimed_at = 0 AND published_at > ingested_at + ?`, futureSlack)
	if err != nil {
		return 0, err
	}
	type row struct {
		seq, doc, published, ingested int64
		a                             Article
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.doc, &r.published, &r.ingested, &r.a.Title, &r.a.Body, &r.a.Lead); err != nil {
			rows.Close()
			return 0, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range all {
		doc, err := freeDoc(ctx, tx, r.ingested)
		if err != nil {
			return 0, err
		}
		// The index is contentless: the entry is written again from the
		// text, under its new id.
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`, r.doc); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)`,
			doc, bigrams(r.a.Title), bigrams(searchedText(&r.a))); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE article_tags SET doc = ? WHERE seq = ?`, doc, r.seq); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET doc = ?, published_at = ?, claimed_at = ? WHERE seq = ?`,
			doc, r.ingested, r.published, r.seq); err != nil {
			return 0, err
		}
	}
	return len(all), nil
}
