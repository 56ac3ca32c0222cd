package articles

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// pruneBatch is how many articles one write transaction deletes. Deletions
// make the search index merge its segments now and then, a tenth of a
// second or more each; small batches keep the bot's own writes from
// waiting behind several of them.
const pruneBatch = 50

// Prune deletes the articles published before the given time, with their
// tags and their entries in the search index, and returns how many it
// deleted. It works in batches, each its own transaction, so the bot keeps
// answering; an interrupted run leaves whole articles, never half of one.
// Outbox parts that name a deleted article leave it out. Source state
// (validators per URL, versions per file) is kept: it is what stops the
// next poll from storing a pruned post again as new. The file does not
// shrink: SQLite reuses the freed pages, and Optimize merges the index's
// deletions away.
func (s *Store) Prune(ctx context.Context, before time.Time) (int, error) {
	// published_at has no index, so the table is scanned once, outside
	// the write lock, rather than once a batch inside it.
	seqs, err := s.publishedBefore(ctx, before.Unix())
	if err != nil {
		return 0, err
	}
	deleted := 0
	for start := 0; start < len(seqs); start += pruneBatch {
		n, err := s.prune(ctx, seqs[start:min(start+pruneBatch, len(seqs))], before.Unix())
		deleted += n
		if err != nil {
			return deleted, fmt.Errorf("store: unable to prune articles published before %s: %w", before.Format(time.RFC3339), err)
		}
	}
	return deleted, nil
}

func (s *Store) publishedBefore(ctx context.Context, before int64) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq FROM articles WHERE published_at < ? ORDER BY seq`, before)
	if err != nil {
		return nil, fmt.Errorf("store: unable to find articles to prune: %w", err)
	}
	defer rows.Close()
	var seqs []int64
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return nil, fmt.Errorf("store: unable to find articles to prune: %w", err)
		}
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to find articles to prune: %w", err)
	}
	return seqs, nil
}

// prune deletes one batch. Each article is read again under the lock: an
// ingest since the scan may have moved it (a new publication time, and so
// a new index id) or deleted it.
func (s *Store) prune(ctx context.Context, seqs []int64, before int64) (int, error) {
	args := make([]any, 0, len(seqs)+1)
	for _, seq := range seqs {
		args = append(args, seq)
	}
	args = append(args, before)
	n := 0
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT seq, doc FROM articles WHERE seq IN (`+placeholders(len(seqs))+`) AND published_at < ?`, args...)
		if err != nil {
			return err
		}
		var found []any
		var docs []int64
		for rows.Next() {
			var seq, doc int64
			if err := rows.Scan(&seq, &doc); err != nil {
				rows.Close()
				return err
			}
			found, docs = append(found, seq), append(docs, doc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(found) == 0 {
			return nil
		}
		// The index is contentless: an entry is deleted by its id alone.
		unindex, err := tx.PrepareContext(ctx, `DELETE FROM articles_fts WHERE rowid = ?`)
		if err != nil {
			return err
		}
		defer unindex.Close()
		for _, doc := range docs {
			if _, err := unindex.ExecContext(ctx, doc); err != nil {
				return fmt.Errorf("unable to unindex %d: %w", doc, err)
			}
		}
		list := placeholders(len(found))
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO pruned (id, pruned_at) SELECT id, ? FROM articles WHERE seq IN (`+list+`)`,
			append([]any{s.now().Unix()}, found...)...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE seq IN (`+list+`)`, found...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE seq IN (`+list+`)`, found...); err != nil {
			return err
		}
		n = len(found)
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
