package articles

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/sample"
)

// testNow is the clock of every store test.
var testNow = time.Date(2026, 11, 26, 8, 0, 0, 0, shanghai)

func newTestStore(t testing.TB, topics *Topics) *Store {
	t.Helper()
	return NewStore(dbtest.Open(t, Schema()), StoreOptions{Topics: topics, Now: func() time.Time { return testNow }})
}

// ParseTestPost reads a post file for the tests that ingest posts. The
// parser is in articles/source, which imports this package, so the
// external test file parse_test.go sets it before the tests run.
var ParseTestPost func(name string, raw []byte) (*Article, error)

// sliceSource emits the given posts, parsed, in name order.
type sliceSource struct {
	name  string
	posts map[string][]byte
}

func (s *sliceSource) Name() string { return s.name }

func (s *sliceSource) Fetch(ctx context.Context, _ State, emit func(Item) error) error {
	names := make([]string, 0, len(s.posts))
	for n := range s.posts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a, err := ParseTestPost(n, s.posts[n])
		if err := emit(Item{Name: n, Article: a, Err: err}); err != nil {
			return err
		}
	}
	return nil
}

func ingestCorpus(t testing.TB, s *Store) Report {
	t.Helper()
	rep, err := s.Ingest(context.Background(), &sliceSource{name: "corpus", posts: sample.Posts()}, IngestOptions{BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestIngestCorpusStoresEachArticleOnce(t *testing.T) {
	s := newTestStore(t, nil)
	rep := ingestCorpus(t, s)
	// 110 files: 4 posts are in both _posts/ and old_post/, and one has no
	// title. The old_post/ copies date the post with +0800 where _posts/ has
	// the same clock time without a zone, which Jekyll reads as UTC: they
	// are 8 hours apart, so each copy read updates the article.
	if rep.Read != 110 || rep.New != 105 || rep.Unchanged != 0 || rep.Updated != 4 || rep.Rejected != 1 || len(rep.Rejections) != 1 {
		t.Fatalf("first run: %+v", rep)
	}
	rep = ingestCorpus(t, s)
	if rep.Read != 110 || rep.New != 0 || rep.Unchanged != 101 || rep.Updated != 8 || rep.Rejected != 1 {
		t.Fatalf("second run: %+v", rep)
	}
	st, err := s.Stats(context.Background())
	if err != nil || st.Articles != 105 {
		t.Fatalf("stats %+v (%v), want 105 articles", st, err)
	}
}

func TestSaveUpdatesTheRowAndTheIndex(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	a := &Article{ID: "NW1", Title: "西江大桥通车", Published: testNow.Add(-time.Hour), Body: "大桥今天通车。", Lead: "大桥今天通车。", Tags: []string{"梧州日报新闻"}}
	if out, err := s.Save(ctx, a); err != nil || out != New {
		t.Fatalf("first save: %v %v", out, err)
	}
	seq := a.Seq
	same := *a
	if out, err := s.Save(ctx, &same); err != nil || out != Unchanged || same.Seq != seq {
		t.Fatalf("same again: %v %v seq %d", out, err, same.Seq)
	}
	changed := *a
	changed.Body = "龙母庙修缮完工。"
	changed.Lead = changed.Body
	if out, err := s.Save(ctx, &changed); err != nil || out != Updated || changed.Seq != seq {
		t.Fatalf("changed: %v %v seq %d", out, err, changed.Seq)
	}
	if res, err := s.Search(ctx, SearchQuery{Text: "通车今天"}); err != nil || len(res.Hits) != 0 {
		t.Errorf("old body still indexed: %v %v", res, err)
	}
	res, err := s.Search(ctx, SearchQuery{Text: "龙母庙"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Article.Seq != seq {
		t.Fatalf("new body not indexed: %+v %v", res, err)
	}
	var rows int
	s.db.QueryRow(`SELECT count(*) FROM articles`).Scan(&rows)
	if rows != 1 {
		t.Errorf("%d rows, want 1", rows)
	}
	got, err := s.Get(ctx, "NW1")
	if err != nil || got.Body != "龙母庙修缮完工。" || len(got.Tags) != 1 || got.Tags[0] != "梧州日报新闻" {
		t.Errorf("get: %+v %v", got, err)
	}
	if _, err := s.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing article: %v", err)
	}
}

func TestTagsAndList(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]TagCount{}
	for _, tc := range tags {
		counts[tc.Tag] = tc
	}
	if c := counts["东财滚动新闻"]; c.Count != 103 || c.Topic {
		t.Errorf("东财滚动新闻: %+v, want 103 site-tagged articles", c)
	}
	if c := counts["梧州日报新闻"]; c.Count != 1 {
		t.Errorf("梧州日报新闻: %+v", c)
	}
	if c := counts["工业"]; c.Count == 0 || !c.Topic {
		t.Errorf("工业 should be a topic with articles: %+v", c)
	}
	list, err := s.List(ctx, ListQuery{Tags: []string{"梧州日报新闻"}})
	if err != nil || len(list) != 1 || list[0].ID != "NW202202112273376235" {
		t.Fatalf("list by tag: %v %v", list, err)
	}
	latest, err := s.List(ctx, ListQuery{Limit: 3})
	if err != nil || len(latest) != 3 || latest[0].Published.Before(latest[1].Published) {
		t.Fatalf("latest: %v %v", latest, err)
	}
	if latest[0].ID != "202205262391921712" {
		t.Errorf("newest is %s", latest[0].ID)
	}
}

func TestListBetweenTimes(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	ingestCorpus(t, s)
	all, err := s.List(ctx, ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	// The hours of the middle article: From takes its hour, To (excluded)
	// the hour after, so it is in and whatever is outside those hours is not.
	mid := all[len(all)/2].Published
	from := mid.Truncate(time.Hour)
	to := from.Add(time.Hour)
	got, err := s.List(ctx, ListQuery{From: from, To: to, Limit: 500})
	if err != nil || len(got) == 0 {
		t.Fatalf("%d articles, %v", len(got), err)
	}
	want := 0
	for _, a := range all {
		if !a.Published.Before(from) && a.Published.Before(to) {
			want++
		}
	}
	if len(got) != want {
		t.Errorf("%d articles between %s and %s, want %d", len(got), from, to, want)
	}
	for _, a := range got {
		if a.Published.Before(from) || !a.Published.Before(to) {
			t.Errorf("%s published %s is outside", a.ID, a.Published)
		}
	}
}

func TestTagCountsFollowChanges(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	count := func(tag string) int {
		t.Helper()
		tags, err := s.Tags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tags {
			if tc.Tag == tag {
				return tc.Count
			}
		}
		return 0
	}
	if n := count("梧州日报新闻"); n != 0 {
		t.Fatalf("empty store: %d", n)
	}
	ingestCorpus(t, s)
	if n := count("梧州日报新闻"); n != 1 {
		t.Fatalf("after ingest: %d", n)
	}
	// Another store on the same file (as another process would be) adds one.
	other := NewStore(s.db, StoreOptions{Now: s.now})
	if _, err := other.Save(ctx, &Article{ID: "NWx", Title: "西江", Body: "正文", Published: testNow, Tags: []string{"梧州日报新闻"}}); err != nil {
		t.Fatal(err)
	}
	if n := count("梧州日报新闻"); n != 2 {
		t.Errorf("after a save elsewhere: %d, the cached count went stale", n)
	}
}
