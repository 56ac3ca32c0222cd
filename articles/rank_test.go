package articles

import (
	"context"
	"math"
	"testing"
	"time"

	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
)

func TestDocIDsFollowTime(t *testing.T) {
	base := time.Date(2024, 3, 1, 10, 20, 0, 0, shanghai).Unix()
	cases := []struct {
		t    int64
		want int64 // start of the hour
	}{
		{base, base - 20*60},
		{-1, -3600},
		{-3600, -3600},
		{0, 0},
	}
	for _, c := range cases {
		if got := publishedOf(docOf(c.t)); got != c.want {
			t.Errorf("publishedOf(docOf(%d)) = %d, want %d", c.t, got, c.want)
		}
	}
	if docOf(base) >= docOf(base+3600) {
		t.Errorf("doc ids do not grow with time")
	}
}

func TestSameHourArticlesGetDistinctDocsAndSpill(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	at := testNow.Add(-48 * time.Hour)
	for i := range docPerHour + 3 {
		a := &Article{ID: "same" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Title: "同一小时", Body: "正文", Published: at}
		if _, err := s.Save(ctx, a); err != nil {
			t.Fatalf("article %d: %v", i, err)
		}
	}
	var n, distinct, spilled int
	s.db.QueryRow(`SELECT count(*), count(DISTINCT doc), sum(doc >= ?) FROM articles`, docOf(at.Unix())+docPerHour).Scan(&n, &distinct, &spilled)
	if n != docPerHour+3 || distinct != n || spilled != 3 {
		t.Errorf("%d articles, %d distinct docs, %d in the next hour; want %d, %d, 3", n, distinct, spilled, docPerHour+3, docPerHour+3)
	}
}

func TestRankDecayMatchesTheDocHour(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	newAt, oldAt := testNow.Add(-90*time.Minute), testNow.Add(-2*365*24*time.Hour-30*time.Minute)
	for id, at := range map[string]time.Time{"new": newAt, "old": oldAt} {
		if _, err := s.Save(ctx, &Article{ID: id, Title: "龙母庙", Body: "龙母庙香火旺盛。", Published: at}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.Search(ctx, SearchQuery{Text: "龙母庙"})
	if err != nil || len(res.Hits) != 2 || res.Hits[0].Article.ID != "new" {
		t.Fatalf("%+v %v", res, err)
	}
	age := func(at time.Time) float64 {
		return float64(testNow.Unix()-publishedOf(docOf(at.Unix()))) / recencyTau
	}
	want := (1 + age(oldAt)) / (1 + age(newAt))
	if got := res.Hits[0].Score / res.Hits[1].Score; math.Abs(got-want) > 1e-9 {
		t.Errorf("score ratio %v, want %v: rank.c and docOf disagree on the hour", got, want)
	}
}

// TestWindowedRankingEqualsFullRanking proves the early stop: the windows
// return exactly what ranking every match at once returns.
func TestWindowedRankingEqualsFullRanking(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests 3,000 generated articles")
	}
	ctx := context.Background()
	s := newTestStore(t, nil)
	g, err := gen.NewWithOptions(sample.FS(), gen.Options{Seed: 7, Start: time.Date(2018, 1, 1, 0, 0, 0, 0, shanghai),
		End: time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), PerDay: 1, ReprintFraction: 0.01, BackdateFraction: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	posts := map[string][]byte{}
	for i := range 3000 {
		p := g.Post(i)
		posts[p.Name] = p.Raw
	}
	if _, err := s.Ingest(ctx, &sliceSource{name: "gen", posts: posts}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	s.window = 100 // about a hundred days, so searches cross several windows
	for _, q := range []string{"梧州", "茶", "高质量发展", "西江 大桥", "5G", "龟苓膏"} {
		for _, page := range []SearchQuery{{Text: q, Limit: 10}, {Text: q, Limit: 10, Offset: 10}} {
			res, err := s.Search(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			full := fullRanking(t, s, q, page.Offset+page.Limit+1)
			full = full[min(page.Offset, len(full)):]
			for i, h := range res.Hits {
				if i >= len(full) || full[i].doc != h.Article.doc {
					t.Fatalf("%q offset %d: hit %d is doc %d, ranking every match puts %v there", q, page.Offset, i, h.Article.doc, full[min(i, len(full)-1)])
				}
			}
			if len(res.Hits) != min(page.Limit, len(full)) || res.More != (len(full) > page.Limit) {
				t.Errorf("%q offset %d: %d hits more=%v, full ranking has %d", q, page.Offset, len(res.Hits), res.More, len(full))
			}
		}
	}
}

// fullRanking scores every match with the idf the windowed search uses.
func fullRanking(t *testing.T, s *Store, q string, n int) []scored {
	t.Helper()
	terms := splitTerms(q)
	r := &ranker{store: s, expr: matchExpr(terms), now: s.now().Unix(), want: n, lo: math.MinInt64, hi: math.MaxInt64}
	for _, term := range terms {
		r.phrases = append(r.phrases, termPhrase(term))
	}
	ctx := context.Background()
	newest, _, _ := r.docBelow(ctx, r.hi, 0)
	first, ok, _ := r.docBelow(ctx, r.hi, s.window-1)
	count := float64(s.window)
	if !ok {
		first, count = math.MinInt64, -1
	}
	if err := r.estimateIDF(ctx, first, newest+1, count); err != nil {
		t.Fatal(err)
	}
	all, err := r.window(ctx, math.MinInt64, math.MaxInt64)
	if err != nil {
		t.Fatal(err)
	}
	return all
}
