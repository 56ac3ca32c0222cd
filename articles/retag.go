package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// RetagIfChanged takes up the table in force in the database, which
// another process may have set, and gives every stored article its topics
// again when they were tagged with another table: one set since, or the
// built-in table of an older version of the program. It returns how many
// articles it tagged again, 0 when they were up to date.
func (s *Store) RetagIfChanged(ctx context.Context) (int, error) {
	tagged, err := s.loadAndCompare(ctx)
	if err != nil || tagged == s.topics.Fingerprint() {
		return 0, err
	}
	n, err := s.Retag(ctx)
	if err != nil {
		return 0, err
	}
	// With no table recorded, the articles were saved one by one, not
	// tagged with another table.
	if tagged != "" {
		slog.Info("Tagged articles again with a changed topic table", slog.Int("articles", n))
	}
	return n, nil
}

// TopicsCurrent takes up the table in force and reports whether the
// stored articles were tagged with it.
func (s *Store) TopicsCurrent(ctx context.Context) (bool, error) {
	tagged, err := s.loadAndCompare(ctx)
	return err == nil && tagged == s.topics.Fingerprint(), err
}

// loadAndCompare takes up the table in force and returns the fingerprint
// of the table the stored articles were tagged with.
func (s *Store) loadAndCompare(ctx context.Context) (string, error) {
	if _, err := s.LoadTopics(ctx); err != nil {
		return "", err
	}
	return taggedWith(ctx, s.db)
}

// taggedWith is the fingerprint of the table the stored articles were
// tagged with.
func taggedWith(ctx context.Context, q querier) (string, error) {
	var fp string
	err := q.QueryRowContext(ctx, `SELECT value FROM article_meta WHERE key = 'topics'`).Scan(&fp)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: unable to read the topic table fingerprint: %w", err)
	}
	return fp, nil
}

// Retag recomputes the topic tags of every stored article, with the table
// in force, and returns how many articles it read.
func (s *Store) Retag(ctx context.Context) (int, error) {
	var n int
	var in *topicTable
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		// Read under the write lock: a table set meanwhile is not undone.
		tbl, _, err := storedTopics(ctx, tx)
		if err != nil {
			return err
		}
		if in = tbl; in == nil {
			in = s.topics.own
		}
		if n, err = s.retag(ctx, tx, in); err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if err == nil {
		s.topics.use(in)
	}
	return n, err
}

// retagWith tags every article with tbl unless they already are.
func (s *Store) retagWith(ctx context.Context, tx *sql.Tx, tbl *topicTable) (int, error) {
	tagged, err := taggedWith(ctx, tx)
	if err != nil || tagged == tbl.fingerprint {
		return 0, err
	}
	n, err := s.retag(ctx, tx, tbl)
	if err != nil {
		return 0, err
	}
	return n, bumpGeneration(ctx, tx)
}

func (s *Store) retag(ctx context.Context, tx *sql.Tx, tbl *topicTable) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, doc, title, body, categories FROM articles`)
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
		var title, body, categories string
		if err := rows.Scan(&t.seq, &t.doc, &title, &body, &categories); err != nil {
			rows.Close()
			return 0, fmt.Errorf("store: unable to read articles to tag: %w", err)
		}
		t.topics = tbl.match(strings.Fields(categories), title, body)
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
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, tbl.fingerprint); err != nil {
		return 0, fmt.Errorf("store: unable to save the topic table fingerprint: %w", err)
	}
	return len(all), nil
}
