package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
)

// Report counts what one ingest run did.
type Report struct {
	Source     string
	Expected   int // items the source announced, when it knows
	Read       int // posts read
	New        int
	Updated    int
	Unchanged  int
	Rejected   int
	Skipped    int     // outside the source's categories and tags
	Rejections []error // one per rejected post, each naming its file
}

// IngestOptions tune a run.
type IngestOptions struct {
	// BatchSize is how many items share a transaction. Default 2048:
	// bigger batches flush the search index less often.
	BatchSize int
	// Progress, when set, is called after every post read, with the number
	// read so far and the number the source announced (0 when unknown).
	Progress func(done, expected int)
}

// pending is an item on its way to the database.
type pending struct {
	Item
	p *prepared
}

// Ingest reads everything new from src and stores it. Items are committed
// in batches, each with the source state they carry, so an interrupted run
// resumes where it stopped and never records a post it did not store.
// Reading and preparing the next batch overlaps with writing this one.
func (s *Store) Ingest(ctx context.Context, src Source, opts IngestOptions) (Report, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2048
	}
	if err := s.retagIfTopicsChanged(ctx); err != nil {
		return Report{}, err
	}
	rep := Report{Source: src.Name()}
	state := &sourceState{store: s, source: src.Name()}

	batches := make(chan []pending, 1)
	written := make(chan struct{})
	var writeErr error
	go func() {
		defer close(written)
		for b := range batches {
			if writeErr = s.saveBatch(ctx, src.Name(), b, &rep); writeErr != nil {
				for range batches {
				}
				return
			}
		}
	}()
	send := func(b []pending) error {
		select {
		case batches <- b:
			return nil
		case <-written:
			return writeErr
		}
	}

	var batch []pending
	done, expected := 0, 0
	err := src.Fetch(ctx, state, func(it Item) error {
		if it.Expect > 0 {
			expected = it.Expect
		}
		if it.Article == nil && it.Err == nil && it.Key == "" && !it.Skipped {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		p := pending{Item: it}
		if it.Article != nil {
			p.p = s.prepare(it.Article)
		}
		batch = append(batch, p)
		if len(batch) >= opts.BatchSize {
			if err := send(batch); err != nil {
				return err
			}
			batch = nil
		}
		if it.Article != nil || it.Err != nil || it.Skipped {
			done++
			if opts.Progress != nil {
				opts.Progress(done, expected)
			}
		}
		return nil
	})
	// What the source read before it failed is still worth keeping.
	if len(batch) > 0 {
		if serr := send(batch); err == nil {
			err = serr
		}
	}
	close(batches)
	<-written
	if err == nil {
		err = writeErr
	}
	rep.Expected = expected
	s.recordRun(ctx, rep, err)
	if err != nil {
		return rep, fmt.Errorf("ingest %s: %w", src.Name(), err)
	}
	return rep, nil
}

func (s *Store) saveBatch(ctx context.Context, source string, batch []pending, rep *Report) error {
	var counts Report
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		if err := s.saveItems(ctx, tx, source, batch, &counts); err != nil {
			return err
		}
		if counts.New+counts.Updated == 0 {
			return nil
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("store: a batch of %d items: %w", len(batch), err)
	}
	rep.Read += counts.Read
	rep.New += counts.New
	rep.Updated += counts.Updated
	rep.Unchanged += counts.Unchanged
	rep.Rejected += counts.Rejected
	rep.Skipped += counts.Skipped
	rep.Rejections = append(rep.Rejections, counts.Rejections...)
	return nil
}

// saveItems stores a batch and the source state it carries, counting.
func (s *Store) saveItems(ctx context.Context, tx *sql.Tx, source string, batch []pending, counts *Report) error {
	for _, it := range batch {
		switch {
		case it.Skipped:
			counts.Read++
			counts.Skipped++
		case it.Err != nil:
			counts.Read++
			counts.Rejected++
			counts.Rejections = append(counts.Rejections, it.Err)
		case it.Article != nil:
			counts.Read++
			out, err := s.save(ctx, tx, it.p)
			if err != nil {
				return err
			}
			switch out {
			case New:
				counts.New++
			case Updated:
				counts.Updated++
			default:
				counts.Unchanged++
			}
		}
		if it.Key != "" {
			if err := putState(ctx, tx, source, it.Key, it.Value, s.now().Unix()); err != nil {
				return err
			}
		}
	}
	return nil
}

func putState(ctx context.Context, tx *sql.Tx, source, key, value string, now int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO source_state (source, key, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		source, key, value, now)
	if err != nil {
		return fmt.Errorf("store: unable to save state %s of source %s: %w", key, source, err)
	}
	return nil
}

// recordRun keeps each source's last success and last error for health
// views. A failure to record is logged, not returned: the run's own
// outcome matters more.
func (s *Store) recordRun(ctx context.Context, rep Report, runErr error) {
	now := s.now().Unix()
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	ok := runErr == nil
	err := s.db.Write(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sources (name, last_run_at, last_success_at, last_new_at, last_error, errors, articles_new)
		VALUES (?1, ?2, CASE WHEN ?3 THEN ?2 ELSE 0 END, CASE WHEN ?4 > 0 THEN ?2 ELSE 0 END, ?5, CASE WHEN ?3 THEN 0 ELSE 1 END, ?4)
		ON CONFLICT (name) DO UPDATE SET
			last_run_at = ?2,
			last_success_at = CASE WHEN ?3 THEN ?2 ELSE last_success_at END,
			last_new_at = CASE WHEN ?4 > 0 THEN ?2 ELSE last_new_at END,
			last_error = ?5,
			errors = CASE WHEN ?3 THEN 0 ELSE errors + 1 END,
			articles_new = articles_new + ?4`,
			rep.Source, now, ok, rep.New, msg)
		return err
	})
	if err != nil {
		slog.Warn("Unable to record the source run", slog.String("source", rep.Source), slog.Any("error", err))
	}
}

// sourceState reads a source's committed state.
type sourceState struct {
	store  *Store
	source string
}

func (st *sourceState) Get(ctx context.Context, key string) (string, error) {
	var v string
	err := st.store.db.QueryRowContext(ctx, `SELECT value FROM source_state WHERE source = ? AND key = ?`, st.source, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to read state %s of source %s: %w", key, st.source, err)
	}
	return v, nil
}

func (st *sourceState) Has(ctx context.Context, id string) (bool, error) {
	return st.store.Has(ctx, id)
}
