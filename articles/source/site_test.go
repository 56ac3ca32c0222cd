package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/internal/fakesite"
	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
)

// testSite serves the corpus's _posts as Jekyll built them plus n
// generated 梧州日报 posts, and returns the raw files by name so tests can
// compare with the parser.
type testSite struct {
	site  *fakesite.Site
	srv   *httptest.Server
	raw   map[string][]byte // every 梧州日报 post served, by file name
	gen   *gen.Generator
	sleep *recordSleep
}

func newTestSite(t *testing.T, n int) *testSite {
	t.Helper()
	return newTestSiteWith(t, n, fakesite.Options{})
}

// newTestSiteWith is newTestSite with options for the fake site.
func newTestSiteWith(t *testing.T, n int, opts fakesite.Options) *testSite {
	t.Helper()
	site, err := fakesite.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testSite{site: site, raw: map[string][]byte{}, sleep: &recordSleep{}}
	name := "_posts/2022-02-11-NW202202112273376235.md"
	ts.raw[name] = sample.Posts()[name]
	// Newer than every corpus post, so they fill the feed's ten entries.
	genOpts := gen.DefaultOptions(3)
	genOpts.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	genOpts.BackdateFraction = 0
	if ts.gen, err = gen.NewWithOptions(sample.FS(), genOpts); err != nil {
		t.Fatal(err)
	}
	ts.add(t, 0, n)
	ts.srv = httptest.NewServer(site)
	t.Cleanup(func() { site.ClearFaults(); ts.srv.Close() })
	site.SetBaseURL(ts.srv.URL)
	return ts
}

// add publishes generated posts [from, to).
func (ts *testSite) add(t *testing.T, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		p := ts.gen.Post(i)
		if err := ts.site.AddPost(p.Name, p.Raw); err != nil {
			t.Fatal(err)
		}
		ts.raw[p.Name] = p.Raw
	}
}

func (ts *testSite) source(opts FetcherOptions) *Site {
	opts.Sleep = ts.sleep.sleep
	return &Site{BaseURL: ts.srv.URL, Category: "wuzhouribao", Fetcher: NewFetcher(opts)}
}

// postRequests counts requests for post pages since the last Reset.
func (ts *testSite) postRequests() int {
	n := 0
	for _, r := range ts.site.Requests() {
		if strings.HasPrefix(r.Path, "/wuzhouribao/") {
			n++
		}
	}
	return n
}

func TestSiteSourcePollsConditionally(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 30)
	store := newStore(t)
	src := ts.source(FetcherOptions{})

	rep, err := store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.New != 31 || rep.Rejected != 0 {
		t.Fatalf("first poll: %+v %v", rep, err)
	}
	for _, r := range ts.site.Requests() {
		if !strings.Contains(r.UserAgent, "wzdaily") {
			t.Fatalf("request without the bot's User-Agent: %+v", r)
		}
	}
	if got := ts.site.MaxInFlight(); got > 2 {
		t.Errorf("%d requests in flight at once; the per-host limit is 2", got)
	}
	// Every stored article equals what the post file itself parses to.
	for name, raw := range ts.raw {
		want, err := ParsePost(name, raw, PostOptions{SiteURL: ts.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.Get(ctx, want.ID)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkSame(t, name, got, want)
	}

	ts.site.Reset()
	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.Read != 0 {
		t.Fatalf("second poll: %+v %v", rep, err)
	}
	if ts.site.Count("/category/wuzhouribao.html", 304) != 1 || ts.site.Total() != 1 {
		t.Errorf("second poll made %d requests; want one conditional GET answered 304: %+v", ts.site.Total(), ts.site.Requests())
	}

	ts.site.Reset()
	ts.add(t, 30, 32)
	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.New != 2 || rep.Read != 2 {
		t.Fatalf("third poll: %+v %v", rep, err)
	}
	if n := ts.postRequests(); n != 2 {
		t.Errorf("third poll fetched %d post pages, want only the 2 new ones", n)
	}
}

// A post whose date names no zone reads the same from the site as from its
// file: Jekyll's reading (UTC) on both sides, its permalink's day included.
func TestSiteSourceReadsADateWithoutZoneAsItsFile(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 0)
	p := ts.gen.Post(0)
	raw := []byte(strings.Replace(string(p.Raw), p.Published.Format("2006-01-02 15:04:05")+" +0800\n", "2026-01-01 20:00:00\n", 1))
	if err := ts.site.AddPost(p.Name, raw); err != nil {
		t.Fatal(err)
	}
	store := newStore(t)
	if rep, err := store.Ingest(ctx, ts.source(FetcherOptions{}), articles.IngestOptions{}); err != nil || rep.New != 2 {
		t.Fatalf("poll: %+v %v", rep, err)
	}
	want, err := ParsePost(p.Name, raw, PostOptions{SiteURL: ts.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want.URL, "/2026/01/02/") || want.Published.Format(time.RFC3339) != "2026-01-02T04:00:00+08:00" {
		t.Fatalf("file: %s at %v; want Jekyll's reading, 2026-01-02 04:00 in Shanghai", want.URL, want.Published)
	}
	got, err := store.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, p.Name, got, want)
}

func checkSame(t *testing.T, name string, got, want *articles.Article) {
	t.Helper()
	pairs := [][3]string{
		{"title", got.Title, want.Title},
		{"published", got.Published.Format(time.RFC3339), want.Published.Format(time.RFC3339)},
		{"body", got.Body, want.Body},
		{"lead", got.Lead, want.Lead},
		{"source", got.SourceURL, want.SourceURL},
		{"url", got.URL, want.URL},
		{"tags", strings.Join(got.Tags, ","), strings.Join(want.Tags, ",")},
		{"categories", strings.Join(got.Categories, ","), strings.Join(want.Categories, ",")},
	}
	for _, p := range pairs {
		if p[1] != p[2] {
			t.Errorf("%s: %s from the site %q, from the file %q", name, p[0], p[1], p[2])
		}
	}
}

func TestSiteSourceRevalidatesWithoutDuplicates(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 5)
	store := newStore(t)
	// First from a folder, then from the site: the same articles, once.
	dir := &Dir{FS: sample.FS(), Label: "sample", Post: PostOptions{SiteURL: ts.srv.URL}, Match: Filter{Categories: []string{"wuzhouribao"}}}
	if rep, err := store.Ingest(ctx, dir, articles.IngestOptions{}); err != nil || rep.New != 1 {
		t.Fatalf("folder: %+v %v", rep, err)
	}
	src := ts.source(FetcherOptions{})
	src.Revalidate = true
	rep, err := store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.New != 5 || rep.Unchanged != 1 {
		t.Fatalf("site after folder: %+v %v", rep, err)
	}
	// An edited post is fetched again (200, not 304) and updates its row.
	p := ts.gen.Post(2)
	edited := strings.Replace(string(p.Raw), "</p>", "（更正）</p>", 1)
	if err := ts.site.AddPost(p.Name, []byte(edited)); err != nil {
		t.Fatal(err)
	}
	ts.site.Reset()
	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.Updated != 1 || rep.New != 0 {
		t.Fatalf("after an edit: %+v %v", rep, err)
	}
	if got := ts.site.Count("", 304); got < 5 {
		t.Errorf("unchanged post pages answered 304 only %d times", got)
	}
	a, err := store.Get(ctx, p.ID)
	if err != nil || !strings.Contains(a.Body, "（更正）") {
		t.Errorf("the edit is not stored: %v", err)
	}
	var n int
	if res, err := store.Search(ctx, articles.SearchQuery{Text: "更正"}); err != nil || len(res.Hits) != 1 {
		t.Errorf("the edit is not indexed: %v %v", res, err)
	}
	st, _ := store.Stats(ctx)
	n = st.Articles
	if n != 6 {
		t.Errorf("%d articles stored, want 6", n)
	}
}

func TestSiteSourceRetriesAndRecovers(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 6)
	store := newStore(t)
	posts := []string{}
	for _, p := range ts.site.Paths() {
		if strings.HasPrefix(p, "/wuzhouribao/") {
			posts = append(posts, p)
		}
	}
	// One page is briefly overloaded, another fails for good.
	ts.site.Fail(posts[0], fakesite.Fault{Status: 503, RetryAfter: fakesite.RetryAfterSeconds(3 * time.Second), Times: 2})
	ts.site.Fail(posts[1], fakesite.Fault{Status: 500})
	src := ts.source(FetcherOptions{Retries: 2})
	rep, err := store.Ingest(ctx, src, articles.IngestOptions{})
	if err == nil || !strings.Contains(err.Error(), "1 of 7 post pages") {
		t.Fatalf("err = %v, want one failed page reported", err)
	}
	if rep.New != 6 {
		t.Fatalf("report %+v: the other pages must be stored", rep)
	}
	waited := 0
	for _, w := range ts.sleep.waits {
		if w == 3*time.Second {
			waited++
		}
	}
	if waited != 2 {
		t.Errorf("waits %v: want Retry-After honoured twice", ts.sleep.waits)
	}
	// The category's validators were not saved, so the next poll reads the
	// list again and fetches only the page that failed.
	ts.site.ClearFaults()
	ts.site.Reset()
	rep, err = store.Ingest(ctx, src, articles.IngestOptions{})
	if err != nil || rep.New != 1 {
		t.Fatalf("recovery poll: %+v %v", rep, err)
	}
	if ts.site.Count("/category/wuzhouribao.html", 200) != 1 || ts.postRequests() != 1 {
		t.Errorf("recovery poll requests: %+v", ts.site.Requests())
	}
}

func TestSiteSourceRejectsOversizeAndGarbage(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 2)
	store := newStore(t)
	ts.site.Fail("/category/wuzhouribao.html", fakesite.Fault{Oversize: 1 << 20})
	_, err := store.Ingest(ctx, ts.source(FetcherOptions{MaxBytes: 64 << 10}), articles.IngestOptions{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversize category page: err = %v, want ErrTooLarge", err)
	}
	ts.site.ClearFaults()
	for _, p := range ts.site.Paths() {
		if strings.HasPrefix(p, "/wuzhouribao/") {
			ts.site.Fail(p, fakesite.Fault{Garble: true})
			break
		}
	}
	rep, err := store.Ingest(ctx, ts.source(FetcherOptions{}), articles.IngestOptions{})
	if err != nil {
		t.Fatalf("a garbled page must be a rejection or a stored article, not a failed run: %v", err)
	}
	if rep.New+rep.Rejected != 3 {
		t.Errorf("report %+v: every page accounted for", rep)
	}
}

func TestSiteSourceGivesUpOnAHangingServer(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 1)
	ts.site.Fail("/category/wuzhouribao.html", fakesite.Fault{Hang: true})
	var attempts atomic.Int32
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	src := ts.source(FetcherOptions{Client: client, Timeout: 200 * time.Millisecond, Retries: 1})
	_, err := newStore(t).Ingest(ctx, src, articles.IngestOptions{})
	if !errors.Is(err, ErrGaveUp) {
		t.Fatalf("err = %v, want ErrGaveUp after timeouts", err)
	}
	if got := attempts.Load(); got != 2 {
		t.Errorf("%d attempts, want 2 (one retry)", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestFeedSource(t *testing.T) {
	ctx := context.Background()
	ts := newTestSite(t, 12)
	store := newStore(t)
	feed := &Feed{URL: ts.srv.URL + "/feed.xml", Fetcher: NewFetcher(FetcherOptions{Sleep: ts.sleep.sleep}),
		Match: Filter{Categories: []string{"wuzhouribao"}}}
	rep, err := store.Ingest(ctx, feed, articles.IngestOptions{})
	if err != nil || rep.Read != 10 || rep.New != 10 {
		t.Fatalf("feed: %+v %v", rep, err)
	}
	for i := 2; i < 12; i++ { // the ten newest
		p := ts.gen.Post(i)
		want, err := ParsePost(p.Name, p.Raw, PostOptions{SiteURL: ts.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.Get(ctx, p.ID)
		if err != nil {
			t.Fatalf("%s from the feed: %v", p.ID, err)
		}
		checkSame(t, p.Name, got, want)
	}
	ts.site.Reset()
	rep, err = store.Ingest(ctx, feed, articles.IngestOptions{})
	if err != nil || rep.Read != 0 || ts.site.Count("/feed.xml", 304) != 1 {
		t.Errorf("second feed poll: %+v %v %+v", rep, err, ts.site.Requests())
	}
}
