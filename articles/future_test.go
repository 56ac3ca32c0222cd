package articles

import (
	"context"
	"testing"
	"time"
	"wzdaily/internal/logtest"
)

// articlesSource emits copies of the given articles.
type articlesSource []*Article

func (s articlesSource) Name() string { return "list" }

func (s articlesSource) Fetch(_ context.Context, _ State, emit func(Item) error) error {
	for _, a := range s {
		c := *a
		if err := emit(Item{Name: a.ID, Article: &c}); err != nil {
			return err
		}
	}
	return nil
}

func TestAPostDatedInTheFutureIsStoredWithItsFetchTime(t *testing.T) {
	ctx := context.Background()
	logs := logtest.Capture(t)
	now := testNow
	s := NewStore(newTestStore(t, nil).db, StoreOptions{Now: func() time.Time { return now }})
	typo := time.Date(2062, 11, 26, 9, 0, 0, 0, shanghai) // 2026 typed 2062
	tomorrow := testNow.Add(23 * time.Hour)               // within a day: kept
	src := articlesSource{
		{ID: "NWtypo", Title: "西江大桥通车", Published: typo, Body: "大桥今天通车。"},
		{ID: "NWsoon", Title: "西江大桥明天通车", Published: tomorrow, Body: "大桥明天通车。"},
	}
	if _, err := s.Ingest(ctx, src, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	a, err := s.Get(ctx, "NWtypo")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Published.Equal(testNow) || !a.Claimed.Equal(typo) {
		t.Errorf("published %v, claimed %v; want the fetch time %v and the claimed %v", a.Published, a.Claimed, testNow, typo)
	}
	// The index id, and so the ranking age and the search's early stop,
	// come from the fetch time.
	if publishedOf(a.doc) != publishedOf(docOf(testNow.Unix())) {
		t.Errorf("index id %d is in the hour of %v, want the hour of the fetch", a.doc, time.Unix(publishedOf(a.doc), 0))
	}
	if b, _ := s.Get(ctx, "NWsoon"); !b.Published.Equal(tomorrow) || !b.Claimed.IsZero() {
		t.Errorf("a post dated within a day: published %v claimed %v; want its own date", b.Published, b.Claimed)
	}
	if n := logs.Count("Post dated in the future"); n != 1 {
		t.Fatalf("logged %d times, want once", n)
	}

	// The next polls see it again, unchanged and then edited: no second
	// log, and the stored time stays the first fetch.
	now = now.Add(time.Hour)
	if _, err := s.Ingest(ctx, src, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	edited := articlesSource{{ID: "NWtypo", Title: "西江大桥通车了", Published: typo, Body: "大桥今天通车。"}}
	if rep, err := s.Ingest(ctx, edited, IngestOptions{}); err != nil || rep.Updated != 1 {
		t.Fatalf("edit: %+v %v", rep, err)
	}
	if n := logs.Count("Post dated in the future"); n != 1 {
		t.Errorf("logged %d times after seeing the post again, want once", n)
	}
	if a, _ := s.Get(ctx, "NWtypo"); !a.Published.Equal(testNow) || !a.Claimed.Equal(typo) || a.Title != "西江大桥通车了" {
		t.Errorf("after the edit: %+v", a)
	}
	// Searching ranks it by its fetch time.
	res, err := s.Search(ctx, SearchQuery{Text: "大桥"})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("search: %+v %v", res, err)
	}
}

func TestStoredFutureDatesAreClampedOnce(t *testing.T) {
	ctx := context.Background()
	claimed := testNow.AddDate(3, 0, 0)
	// An article stored before the rule: saved then, its date looked fine.
	old := NewStore(newTestStore(t, nil).db, StoreOptions{Now: func() time.Time { return claimed }})
	a := &Article{ID: "NWold", Title: "梧州新闻", Published: claimed, Body: "梧州新闻正文。", Tags: []string{"梧州日报新闻"}}
	if _, err := old.Save(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.ExecContext(ctx, `UPDATE articles SET claimed_at = 0, published_at = ?, ingested_at = ?`, claimed.Unix(), testNow.Unix()); err != nil {
		t.Fatal(err)
	}
	s := NewStore(old.db, StoreOptions{Now: func() time.Time { return testNow }})
	if _, err := s.Ingest(ctx, articlesSource{}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "NWold")
	if err != nil || !got.Published.Equal(testNow) || !got.Claimed.Equal(claimed) {
		t.Fatalf("after the backfill: %+v %v; want published at its ingest time", got, err)
	}
	res, err := s.Search(ctx, SearchQuery{Text: "梧州", Tags: []string{"梧州日报新闻"}})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Article.ID != "NWold" {
		t.Fatalf("search after the backfill: %+v %v; want the article under its new index id", res, err)
	}
}

func TestShownDateIsTheClaimedOne(t *testing.T) {
	claimed := testNow.AddDate(1, 0, 0)
	a := Article{Published: testNow, Claimed: claimed}
	b := Article{Published: testNow}
	if !a.ShownDate().Equal(claimed) || !b.ShownDate().Equal(testNow) {
		t.Errorf("ShownDate: %v and %v", a.ShownDate(), b.ShownDate())
	}
}
