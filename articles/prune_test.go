package articles

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// articleSource emits the given articles, as a source would.
type articleSource []*Article

func (articleSource) Name() string { return "articles" }

func (s articleSource) Fetch(ctx context.Context, _ State, emit func(Item) error) error {
	for _, a := range s {
		if err := emit(Item{Name: a.ID, Article: a}); err != nil {
			return err
		}
	}
	return nil
}

func newsAt(id, title string, published time.Time) *Article {
	return &Article{ID: id, Title: title, Published: published, Body: title + "。", Lead: title + "。", Tags: []string{"梧州日报新闻"}}
}

// indexed returns the index ids that match text in the index itself. A
// search joins the index to the articles and so would hide a stale entry;
// this does not.
func indexed(t *testing.T, s *Store, text string) []int64 {
	t.Helper()
	rows, err := s.db.Query(`SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?`, matchExpr(splitTerms(text)))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var doc int64
		rows.Scan(&doc)
		out = append(out, doc)
	}
	return out
}

func TestPruneDeletesOldArticlesWithTagsAndIndex(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	cutoff := testNow.AddDate(-1, 0, 0)
	old := newsAt("NW1", "西江大桥通车 工业园区", cutoff.Add(-time.Hour))
	edge := newsAt("NW2", "龙母庙会开幕", cutoff) // published at the cutoff: kept
	kept := newsAt("NW3", "西江码头扩建 工业园区", testNow.Add(-time.Hour))
	for _, a := range []*Article{old, edge, kept} {
		if _, err := s.Save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if len(old.Topics) == 0 {
		t.Fatalf("the old article has no topic tag; the test would not show topic tags are deleted")
	}
	oldDoc := indexed(t, s, "大桥")
	tagsBefore, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}

	n, err := s.Prune(ctx, cutoff)
	if err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if _, err := s.Get(ctx, "NW1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("pruned article: Get err = %v, want ErrNotFound", err)
	}
	for _, id := range []string{"NW2", "NW3"} {
		if _, err := s.Get(ctx, id); err != nil {
			t.Errorf("kept article %s: %v", id, err)
		}
	}
	var tags int
	s.db.QueryRow(`SELECT count(*) FROM article_tags WHERE seq = ?`, old.Seq).Scan(&tags)
	if tags != 0 {
		t.Errorf("%d tag rows of the pruned article remain", tags)
	}
	if got := indexed(t, s, "大桥"); len(got) != 0 {
		t.Errorf("the index still holds %v for the pruned article", got)
	}
	if got := searchAll(t, s, SearchQuery{Text: "大桥"}); len(got) != 0 {
		t.Errorf("search 大桥 finds %v after the prune", got)
	}
	if got := searchAll(t, s, SearchQuery{Text: "西江"}); !slices.Equal(got, []int64{kept.Seq}) {
		t.Errorf("search 西江 = %v, want only the kept article %d", got, kept.Seq)
	}
	if got := searchAll(t, s, SearchQuery{Text: "工业园区", Tags: []string{"工业"}}); !slices.Equal(got, []int64{kept.Seq}) {
		t.Errorf("search by topic = %v, want %d", got, kept.Seq)
	}
	// Counts follow at once: the tag list is cached until articles change.
	tagsAfter, _ := s.Tags(ctx)
	if count(tagsBefore, "梧州日报新闻")-count(tagsAfter, "梧州日报新闻") != 1 {
		t.Errorf("tag counts did not follow: before %v, after %v", tagsBefore, tagsAfter)
	}
	// A late article of the pruned one's hour takes its freed index id: a
	// stale entry would make it match the pruned one's words.
	late := newsAt("NW4", "旧闻补录", old.Published)
	if _, err := s.Save(ctx, late); err != nil {
		t.Fatal(err)
	}
	if d := indexed(t, s, "旧闻"); len(oldDoc) != 1 || !slices.Equal(d, oldDoc) {
		t.Fatalf("the late article has index id %v, want the freed %v: the test shows nothing", d, oldDoc)
	}
	if got := searchAll(t, s, SearchQuery{Text: "大桥"}); len(got) != 0 {
		t.Errorf("search 大桥 finds %v: the late article inherited the pruned one's words", got)
	}
	if err := s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')`)
		return err
	}); err != nil {
		t.Errorf("the search index fails its own check: %v", err)
	}
	// Nothing left to prune.
	if n, err := s.Prune(ctx, cutoff); err != nil || n != 1 {
		t.Errorf("second prune = %d, %v; want the late article only", n, err)
	}
	if n, err := s.Prune(ctx, cutoff); err != nil || n != 0 {
		t.Errorf("third prune = %d, %v; want 0", n, err)
	}
}

func count(tags []TagCount, tag string) int {
	for _, tc := range tags {
		if tc.Tag == tag {
			return tc.Count
		}
	}
	return 0
}

// TestPruneInBatchesWhileIngesting prunes several batches while another
// writer stores new articles; both finish and each keeps what it should.
func TestPruneInBatchesWhileIngesting(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	cutoff := testNow.AddDate(0, 0, -30)
	var batch articleSource
	const oldOnes = 3*pruneBatch + 17
	for i := range oldOnes + 100 {
		published := cutoff.Add(-time.Duration(i+1) * time.Minute)
		if i >= oldOnes {
			published = cutoff.Add(time.Duration(i) * time.Minute)
		}
		batch = append(batch, newsAt(fmt.Sprint("OLD", i), fmt.Sprintf("第%d条新闻", i), published))
	}
	if _, err := s.Ingest(ctx, batch, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var saveErr error
	wg.Go(func() {
		for i := range 200 {
			if _, err := s.Save(ctx, newsAt(fmt.Sprint("NEW", i), "新到的新闻", testNow)); err != nil {
				saveErr = err
				return
			}
		}
	})
	n, err := s.Prune(ctx, cutoff)
	wg.Wait()
	if err != nil || n != oldOnes {
		t.Fatalf("Prune = %d, %v; want %d", n, err, oldOnes)
	}
	if saveErr != nil {
		t.Fatalf("a save during the prune failed: %v", saveErr)
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Articles != 300 {
		t.Errorf("%d articles left (%v), want 100 kept and 200 new", st.Articles, err)
	}
	if !st.Oldest.Equal(cutoff.Add(time.Duration(oldOnes) * time.Minute)) {
		t.Errorf("oldest left %v", st.Oldest)
	}
	var tags int
	s.db.QueryRow(`SELECT count(*) FROM article_tags WHERE seq NOT IN (SELECT seq FROM articles)`).Scan(&tags)
	if tags != 0 {
		t.Errorf("%d tag rows without an article", tags)
	}
}

func TestPruneStopsWhenCancelled(t *testing.T) {
	s := newTestStore(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := s.Save(ctx, newsAt("NW1", "旧闻", testNow.AddDate(-2, 0, 0))); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n, err := s.Prune(ctx, testNow); err == nil || n != 0 {
		t.Errorf("cancelled prune = %d, %v; want an error and nothing deleted", n, err)
	}
}

// TestAPrunedPostIsNotFetchedAgain: the site still lists a pruned post, and
// sources ask Has before fetching; a yes keeps it from coming back as new.
func TestAPrunedPostIsNotFetchedAgain(t *testing.T) {
	s := newTestStore(t, nil)
	ctx := context.Background()
	old := newsAt("NW-OLD", "旧闻", time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC))
	if _, err := s.Ingest(ctx, articleSource{old, newsAt("NW-NEW", "新闻", time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	for _, id := range []string{"NW-OLD", "NW-NEW"} {
		if has, err := s.Has(ctx, id); err != nil || !has {
			t.Errorf("Has(%s) = %v, %v: a source would fetch it again", id, has, err)
		}
	}
	if has, _ := s.Has(ctx, "NW-NEVER"); has {
		t.Error("Has says yes to a post never seen")
	}
}
