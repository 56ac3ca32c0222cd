package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// genSource emits n new articles; after the one numbered cancelAt (from
// 1; 0 never) it cancels the run, and goes on until emit says to stop, as
// a source whose fetches are already in flight does.
type genSource struct {
	n, cancelAt int
	cancel      context.CancelFunc
	emitted     int
}

func (g *genSource) Name() string { return "gen" }

func (g *genSource) Fetch(ctx context.Context, _ State, emit func(Item) error) error {
	for i := 1; i <= g.n; i++ {
		a := &Article{ID: fmt.Sprintf("NW%06d", i), Title: fmt.Sprintf("梧州新闻第%d条", i),
			Published: testNow.Add(-time.Duration(i) * time.Minute), Body: "正文。"}
		g.emitted++
		err := emit(Item{Name: a.ID, Article: a, Key: "seen:" + a.ID, Value: "1"})
		if i == g.cancelAt {
			g.cancel()
		}
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
	}
	return ctx.Err()
}

func sourceStatus(t *testing.T, s *Store, name string) SourceStatus {
	t.Helper()
	list, err := s.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range list {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no run recorded for %s: %+v", name, list)
	return SourceStatus{}
}

func TestInterruptedIngestKeepsWhatItRead(t *testing.T) {
	cases := map[string]struct {
		n, cancelAt, batch int
		wantStored         int
	}{
		// The run: 1,266 pages read, all in the last batch, when
		// SIGTERM came.
		"everything in the last batch": {n: 1266, cancelAt: 1266, batch: 0, wantStored: 1266},
		// Stopped half way: the item in hand is kept, then the source stops.
		"half way, in several batches": {n: 1000, cancelAt: 500, batch: 64, wantStored: 501},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := newTestStore(t, nil)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := &genSource{n: c.n, cancelAt: c.cancelAt, cancel: cancel}
			rep, err := s.Ingest(ctx, src, IngestOptions{BatchSize: c.batch})
			if !errors.Is(err, context.Canceled) || !rep.Interrupted || !strings.Contains(err.Error(), "interrupted") {
				t.Fatalf("err = %v, report %+v; want an interrupted run", err, rep)
			}
			st, err := s.Stats(context.Background())
			if err != nil || st.Articles != c.wantStored || rep.New != c.wantStored {
				t.Fatalf("%d articles stored, report %+v (%v); want %d", st.Articles, rep, err, c.wantStored)
			}
			if src.emitted != c.wantStored {
				t.Errorf("the source emitted %d items: it was not told to stop", src.emitted)
			}
			// The state each item carried is saved with it.
			state := &sourceState{store: s, source: "gen"}
			if v, err := state.Get(context.Background(), fmt.Sprintf("seen:NW%06d", c.wantStored)); v != "1" || err != nil {
				t.Errorf("the last item's state was not saved: %q %v", v, err)
			}
			run := sourceStatus(t, s, "gen")
			if run.LastOutcome != RunInterrupted || !run.LastSuccess.IsZero() || run.LastRun.IsZero() ||
				!strings.Contains(run.LastError, "interrupted") || run.Errors != 0 || run.ArticlesNew != c.wantStored {
				t.Errorf("run recorded as %+v; want interrupted, not a success nor a failure", run)
			}
		})
	}
}

func TestInterruptedRunKeepsTheLastSuccess(t *testing.T) {
	now := testNow
	s := NewStore(newTestStore(t, nil).db, StoreOptions{Now: func() time.Time { return now }})
	if _, err := s.Ingest(context.Background(), &genSource{n: 3}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	first := sourceStatus(t, s, "gen")
	if first.LastOutcome != RunOK || !first.LastSuccess.Equal(now) {
		t.Fatalf("first run recorded as %+v", first)
	}
	now = now.Add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Ingest(ctx, &genSource{n: 10, cancelAt: 5, cancel: cancel}, IngestOptions{})
	run := sourceStatus(t, s, "gen")
	if !run.LastSuccess.Equal(first.LastSuccess) || !run.LastRun.Equal(now) || run.LastOutcome != RunInterrupted {
		t.Errorf("after an interrupted run: %+v; want the last run moved and the last success kept", run)
	}
}

func TestInterruptedIngestGivesUpAfterTheGrace(t *testing.T) {
	s := newTestStore(t, nil)
	if _, err := s.Ingest(context.Background(), &genSource{n: 1}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// Another writer holds the database and does not let go.
	held, release := make(chan struct{}), make(chan struct{})
	go s.db.Write(context.Background(), func(*sql.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Ingest(ctx, &genSource{n: 10, cancelAt: 10, cancel: cancel}, IngestOptions{Grace: 50 * time.Millisecond})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("an ingest that could not save returned no error")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("deadlocked: an interrupted ingest waits for ever to save")
	}
}
