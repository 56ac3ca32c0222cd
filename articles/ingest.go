package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
	Gone       int     // listed posts whose page had left the site
	Left       int     // posts left for the next run by a cap
	Empty      bool    // the source had no current posts
	Rejections []error // one per rejected post, each naming its file
	// Interrupted says the run was cancelled before it finished; what it
	// had read is stored all the same.
	Interrupted bool
}

// IngestOptions tune a run.
type IngestOptions struct {
	// BatchSize is how many items share a transaction. Default 2048:
	// bigger batches flush the search index less often.
	BatchSize int
	// Progress, when set, is called after every post read, with the number
	// read so far and the number the source announced (0 when unknown).
	Progress func(done, expected int)
	// Grace bounds the writes an interrupted run still makes: the posts
	// already read and the record of the run. Default 15 s, under the 30 s
	// that container runtimes and systemd leave between SIGTERM and SIGKILL
	// at their most impatient settings.
	Grace time.Duration
}

// DefaultGrace is IngestOptions.Grace when none is given.
const DefaultGrace = 15 * time.Second

// pending is an item on its way to the database.
type pending struct {
	Item
	p *prepared
}

// Ingest reads everything new from src and stores it. Items are committed
// in batches, each with the source state they carry, so an interrupted run
// resumes where it stopped and never records a post it did not store.
// Reading and preparing the next batch overlaps with writing this one.
//
// When ctx ends, the source stops, and what it had read is still saved,
// and the run recorded as interrupted, under a context of their own that
// ctx's end bounds by opts.Grace.
func (s *Store) Ingest(ctx context.Context, src Source, opts IngestOptions) (Report, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2048
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if _, err := s.RetagIfChanged(ctx); err != nil {
		return Report{}, err
	}
	if err := s.clampFutureDates(ctx); err != nil {
		return Report{}, err
	}
	rep := Report{Source: src.Name()}
	state := &sourceState{store: s, source: src.Name()}
	wctx, stop := detach(ctx, opts.Grace)
	defer stop()

	batches := make(chan []pending, 1)
	written := make(chan struct{})
	var writeErr error
	go func() {
		defer close(written)
		for b := range batches {
			if writeErr = s.saveBatch(wctx, src.Name(), b, &rep); writeErr != nil {
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
	done, expected, left, empty := 0, 0, 0, false
	err := src.Fetch(ctx, state, func(it Item) error {
		if it.Expect > 0 {
			expected = it.Expect
		}
		if it.Left > 0 {
			left = it.Left
		}
		empty = empty || it.Empty
		if it.Article == nil && it.Err == nil && it.Key == "" && !it.Skipped && !it.Gone {
			return ctx.Err()
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
		if it.Article != nil || it.Err != nil || it.Skipped || it.Gone {
			done++
			if opts.Progress != nil {
				opts.Progress(done, expected)
			}
		}
		// The item is kept even when ctx has ended: it was read. The
		// error only stops the source.
		return ctx.Err()
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
	rep.Expected, rep.Left, rep.Empty = expected, left, empty
	rep.Interrupted = err != nil && ctx.Err() != nil
	s.recordRun(wctx, rep, err)
	if rep.Interrupted {
		return rep, fmt.Errorf("ingest %s: interrupted after %d posts: %w", src.Name(), rep.Read, err)
	}
	if err != nil {
		return rep, fmt.Errorf("ingest %s: %w", src.Name(), err)
	}
	return rep, nil
}

// detach returns a context that ctx does not cancel, so that what a
// cancelled run has read can still be written, but that ends grace after
// ctx does, so that shutting down is never held up for long.
func detach(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	d, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(d, func() { t.Stop() })
	})
	return d, func() {
		stop()
		cancel()
	}
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
	for _, it := range batch {
		if it.p != nil {
			logClamped(it.p)
		}
	}
	rep.Read += counts.Read
	rep.New += counts.New
	rep.Updated += counts.Updated
	rep.Unchanged += counts.Unchanged
	rep.Rejected += counts.Rejected
	rep.Skipped += counts.Skipped
	rep.Gone += counts.Gone
	rep.Rejections = append(rep.Rejections, counts.Rejections...)
	return nil
}

// saveItems stores a batch and the source state it carries, counting.
func (s *Store) saveItems(ctx context.Context, tx *sql.Tx, source string, batch []pending, counts *Report) error {
	for _, it := range batch {
		switch {
		case it.Gone:
			counts.Gone++
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
