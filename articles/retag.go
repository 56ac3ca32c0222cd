package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
)

// retagIfTopicsChanged gives every stored article its topics again when
// the rule table differs from the one they were tagged with.
func (s *Store) retagIfTopicsChanged(ctx context.Context) error {
	var stored string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM article_meta WHERE key = 'topics'`).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: unable to read the topic table fingerprint: %w", err)
	}
	if stored == s.topics.Fingerprint() {
		return nil
	}
	n, err := s.Retag(ctx)
	if err != nil {
		return err
	}
	if stored != "" {
		slog.Info("Tagged articles again with a changed topic table", slog.Int("articles", n))
	}
	return nil
}

// Retag recomputes the topic tags of every stored article and returns how
// many articles it read.
func (s *Store) Retag(ctx context.Context) (int, error) {
	var n int
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = s.retag(ctx, tx); err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	return n, err
}

func (s *Store) retag(ctx context.Context, tx *sql.Tx) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, doc, title, body FROM articles`)
	if err != nil {
		return 0, fmt.Errorf("store: unable to read articles to tag: %w", err)
	}
	type tagged struct {
		seq, doc int64
		topics   []string
	}
	var all []tagged
	for rows.Next() {
		var t tagged
		var title, body string
		if err := rows.Scan(&t.seq, &t.doc, &title, &body); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: unable to read articles to tag: %w", err)
		}
		t.topics = s.topics.Match(title, body)
		all = append(all, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("store: unable to read articles to tag: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE kind = 'topic'`); err != nil {
		return 0, fmt.Errorf("store: unable to clear topic tags: %w", err)
	}
	for _, t := range all {
		if err := insertTags(ctx, tx, t.seq, t.doc, nil, t.topics); err != nil {
			return 0, fmt.Errorf("store: unable to tag article %d: %w", t.seq, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_meta (key, value) VALUES ('topics', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, s.topics.Fingerprint()); err != nil {
		return 0, fmt.Errorf("store: unable to save the topic table fingerprint: %w", err)
	}
	return len(all), nil
}
