package articles

import (
	"bytes"
	"context"
	"flag"
	"math"
	"math/rand/v2"
	"slices"
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
	ctx := context.Background()
	s := generatedStore(t)
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

// generatedStore holds 3,000 generated articles, one a day from 2018, and
// ranks in first windows of a hundred articles (about a hundred days), so
// that searches cross several windows.
func generatedStore(t *testing.T) *Store {
	t.Helper()
	if testing.Short() {
		t.Skip("ingests 3,000 generated articles")
	}
	s := newTestStore(t, nil)
	ingestGenerated(t, s, 3000, gen.Options{Seed: 7, Start: time.Date(2018, 1, 1, 0, 0, 0, 0, shanghai),
		End: time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), PerDay: 1, ReprintFraction: 0.01, BackdateFraction: 0.05})
	s.window = 100
	return s
}

// ingestGenerated stores the first n posts of a generator.
func ingestGenerated(t testing.TB, s *Store, n int, opts gen.Options) {
	t.Helper()
	g, err := gen.NewWithOptions(sample.FS(), opts)
	if err != nil {
		t.Fatal(err)
	}
	posts := make(map[string][]byte, n)
	for i := range n {
		p := g.Post(i)
		posts[p.Name] = p.Raw
	}
	if _, err := s.Ingest(context.Background(), &sliceSource{name: "gen", posts: posts}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestRankingReadsTheSameSizesAsXColumnSize: the window query joins the
// index's %_docsize table and wzrank decodes the record itself; that must
// rank exactly as reading the sizes through FTS5's xColumnSize does, hit
// for hit and score for score, with filters, on every page.
func TestRankingReadsTheSameSizesAsXColumnSize(t *testing.T) {
	ctx := context.Background()
	s := generatedStore(t)
	year := time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai)
	var queries []SearchQuery
	for _, q := range gen.Queries() {
		queries = append(queries, SearchQuery{Text: q.Text, Limit: 50}, SearchQuery{Text: q.Text, Limit: 50, Offset: 50})
	}
	queries = append(queries, SearchQuery{Text: "梧州", Tags: []string{"交通"}, Limit: 50},
		SearchQuery{Text: "西江", From: year, To: year.AddDate(1, 0, 0), Limit: 50})
	run := func(q SearchQuery, throughAPI bool) *Results {
		t.Helper()
		s.sizesThroughAPI = throughAPI
		res, err := s.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v, sizes through xColumnSize %v: %v", q, throughAPI, err)
		}
		return res
	}
	compared := 0
	for _, q := range queries {
		joined, api := run(q, false), run(q, true)
		if (len(q.Tags) > 0 || !q.From.IsZero()) && len(joined.Hits) < 10 {
			t.Errorf("%+v: %d hits; pick a filter that keeps more", q, len(joined.Hits))
		}
		if len(joined.Hits) != len(api.Hits) || joined.More != api.More {
			t.Fatalf("%+v: %d hits (more %v) with the join, %d (more %v) through xColumnSize", q, len(joined.Hits), joined.More, len(api.Hits), api.More)
		}
		for i := range joined.Hits {
			j, a := joined.Hits[i], api.Hits[i]
			if j.Article.doc != a.Article.doc || j.Score != a.Score {
				t.Fatalf("%+v: hit %d is doc %d score %v with the join, doc %d score %v through xColumnSize", q, i, j.Article.doc, j.Score, a.Article.doc, a.Score)
			}
		}
		compared += len(joined.Hits)
	}
	if compared < 1000 {
		t.Errorf("compared only %d hits", compared)
	}
}

// TestRankingRefusesABadSizeRecord: a %_docsize record that is missing or
// does not hold two sizes fails the search, as xColumnSize fails it,
// rather than ranking with sizes made up or leaving the row out.
func TestRankingRefusesABadSizeRecord(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, nil)
	if _, err := s.Save(ctx, &Article{ID: "a", Title: "龙母庙", Body: "龙母庙香火旺盛。", Published: testNow.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var doc int64
	var written []byte
	if err := s.db.QueryRow(`SELECT id, sz FROM articles_fts_docsize`).Scan(&doc, &written); err != nil {
		t.Fatal(err)
	}
	if want := []byte{3, 7}; !bytes.Equal(written, want) {
		t.Fatalf("FTS5 wrote the sizes %v, want %v (a title of 3 tokens, a body of 7)", written, want)
	}
	for name, sz := range map[string]any{
		"no record":         nil,
		"empty":             []byte{},
		"one size":          []byte{3},
		"three sizes":       []byte{3, 8, 1},
		"a cut varint":      []byte{3, 0x86},
		"an integer":        int64(3),
		"too long a varint": []byte{3, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := s.db.Exec(`DELETE FROM articles_fts_docsize WHERE id = ?`, doc); err != nil {
				t.Fatal(err)
			}
			if sz != nil {
				if _, err := s.db.Exec(`INSERT INTO articles_fts_docsize (id, sz) VALUES (?, ?)`, doc, sz); err != nil {
					t.Fatal(err)
				}
			}
			if res, err := s.Search(ctx, SearchQuery{Text: "龙母庙"}); err == nil {
				t.Errorf("search ranked with the record %v: %+v", sz, res.Hits)
			}
		})
	}
	if _, err := s.db.Exec(`REPLACE INTO articles_fts_docsize (id, sz) VALUES (?, ?)`, doc, written); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Search(ctx, SearchQuery{Text: "龙母庙"}); err != nil || len(res.Hits) != 1 {
		t.Errorf("with the record put back: %+v, %v; want the article", res, err)
	}
}

var rowSizesArticles = flag.Int("rowsizes-articles", 20000, "generated articles for BenchmarkRowSizes")

// BenchmarkRowSizes times the search mix with each row's sizes read both
// ways, query by query in a random order, so that a shared machine's drift
// weighs on both alike: joined from %_docsize, as Search does, and through
// xColumnSize, as it did. At 100,000 articles (the size of
// docs/BENCHMARKS.md):
//
//	go test -tags sqlite_fts5 -run '^$' -bench RowSizes -benchtime 20x ./articles/ -args -rowsizes-articles 100000
func BenchmarkRowSizes(b *testing.B) {
	ctx := context.Background()
	s := newTestStore(b, nil)
	ingestGenerated(b, s, *rowSizesArticles, gen.DefaultOptions(1).Fit(*rowSizesArticles))
	if err := s.Optimize(ctx); err != nil {
		b.Fatal(err)
	}
	var times [2][]time.Duration // joined, through xColumnSize
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		for _, q := range gen.Queries() {
			for _, way := range rng.Perm(2) {
				s.sizesThroughAPI = way == 1
				start := time.Now()
				if _, err := s.Search(ctx, SearchQuery{Text: q.Text, Limit: 10}); err != nil {
					b.Fatal(err)
				}
				times[way] = append(times[way], time.Since(start))
			}
		}
	}
	var sum [2]time.Duration
	for way, name := range []string{"joined", "xcolumnsize"} {
		slices.Sort(times[way])
		for _, d := range times[way] {
			sum[way] += d
		}
		n := len(times[way])
		b.ReportMetric(float64(times[way][n/2])/1e6, name+"-median-ms")
		b.ReportMetric(float64(times[way][min(n-1, n*99/100)])/1e6, name+"-p99-ms")
	}
	b.ReportMetric(float64(sum[1])/float64(sum[0]), "xcolumnsize/joined-total")
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
