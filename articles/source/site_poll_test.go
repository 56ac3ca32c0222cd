package source

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/internal/fakesite"
)

const wuzhouCategory = "/category/wuzhouribao.html"

// listed returns the post paths the category page lists, in its order.
func (ts *testSite) listed(t *testing.T) []string {
	t.Helper()
	page, ok := ts.site.Page(wuzhouCategory)
	if !ok {
		t.Fatal("no category page")
	}
	links, err := postLinks(ts.srv.URL+wuzhouCategory, page)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range links {
		u, _ := url.Parse(l)
		out = append(out, u.Path)
	}
	return out
}

func TestSiteSourceInterruptedPollKeepsThePagesItFetched(t *testing.T) {
	ts := newTestSite(t, 12)
	store := newStore(t)
	posts := ts.listed(t)
	const stopAt = 8 // SIGTERM while the 8th page is being fetched
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == posts[stopAt-1] {
			cancel()
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	src := ts.source(FetcherOptions{Client: client})
	src.Workers = 1
	rep, err := store.Ingest(ctx, src, articles.IngestOptions{})
	if !errors.Is(err, context.Canceled) || !rep.Interrupted {
		t.Fatalf("err = %v, report %+v; want an interrupted poll", err, rep)
	}
	if st, _ := store.Stats(context.Background()); st.Articles != stopAt-1 || rep.New != stopAt-1 {
		t.Fatalf("%d articles stored (report %+v), want the %d pages fetched before the interruption", st.Articles, rep, stopAt-1)
	}
	run := sourceRun(t, store, src.Name())
	if run.LastOutcome != articles.RunInterrupted || !run.LastSuccess.IsZero() {
		t.Errorf("recorded as %+v; want interrupted, not a success", run)
	}
	// The category's validators were not saved: the next poll reads the
	// list again and fetches only what is missing.
	ts.site.Reset()
	rep, err = store.Ingest(context.Background(), ts.source(FetcherOptions{}), articles.IngestOptions{})
	if err != nil || rep.New != len(posts)-(stopAt-1) {
		t.Fatalf("next poll: %+v %v; want the other %d posts", rep, err, len(posts)-(stopAt-1))
	}
	if ts.site.Count(wuzhouCategory, 200) != 1 || ts.postRequests() != len(posts)-(stopAt-1) {
		t.Errorf("next poll's requests: %+v", ts.site.Requests())
	}
}

func sourceRun(t *testing.T, store *articles.Store, name string) articles.SourceStatus {
	t.Helper()
	list, err := store.Sources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no run recorded for %s", name)
	return articles.SourceStatus{}
}

func TestSiteSourceCapsThePostsOfOnePoll(t *testing.T) {
	ts := newTestSite(t, 10) // 11 posts with the corpus's own
	store := newStore(t)
	src := ts.source(FetcherOptions{})
	src.MaxPosts = 4
	for i, want := range []int{4, 4, 3} {
		ts.site.Reset()
		rep, err := store.Ingest(context.Background(), src, articles.IngestOptions{})
		if err != nil || rep.New != want || rep.Left != 11-4*i-want {
			t.Fatalf("poll %d: %+v %v; want %d new, %d left", i+1, rep, err, want, 11-4*i-want)
		}
		if ts.site.Count(wuzhouCategory, 200) != 1 || ts.postRequests() != want {
			t.Fatalf("poll %d fetched the list %d times and %d posts; want the list and %d posts", i+1,
				ts.site.Count(wuzhouCategory, 200), ts.postRequests(), want)
		}
		run := sourceRun(t, store, src.Name())
		wantOutcome := articles.RunCapped
		if rep.Left == 0 {
			wantOutcome = articles.RunOK
		}
		if run.LastOutcome != wantOutcome || run.LastError != "" || run.LastSuccess.IsZero() {
			t.Errorf("poll %d recorded as %+v, want %s", i+1, run, wantOutcome)
		}
	}
	// Everything is in: now the list is unchanged.
	ts.site.Reset()
	if rep, err := store.Ingest(context.Background(), src, articles.IngestOptions{}); err != nil || rep.Read != 0 {
		t.Fatalf("last poll: %+v %v", rep, err)
	}
	if ts.site.Count(wuzhouCategory, 304) != 1 {
		t.Errorf("after the backlog the list should answer 304: %+v", ts.site.Requests())
	}
}

func TestSiteSourceTakesACategoryWithoutPostsCalmly(t *testing.T) {
	ts := newTestSiteWith(t, 2, fakesite.Options{CategoryPagesNeedPosts: true})
	store := newStore(t)
	src := ts.source(FetcherOptions{})
	// First the site fails, then the category's posts leave _posts/ and
	// the site deletes its page.
	ts.site.Fail(wuzhouCategory, fakesite.Fault{Status: 500, Times: 4})
	if _, err := store.Ingest(context.Background(), src, articles.IngestOptions{}); err == nil {
		t.Fatal("a 500 is an error")
	}
	if run := sourceRun(t, store, src.Name()); run.Errors != 1 || run.LastOutcome != articles.RunFailed {
		t.Fatalf("after a 500: %+v", run)
	}
	for name := range ts.raw {
		ts.site.RemovePost(name)
	}
	ts.site.Reset()
	rep, err := store.Ingest(context.Background(), src, articles.IngestOptions{})
	if err != nil || !rep.Empty || rep.Read != 0 {
		t.Fatalf("a category page answering 404: %+v %v; want no error and an empty run", rep, err)
	}
	if ts.site.Count(wuzhouCategory, 404) != 1 {
		t.Fatalf("requests: %+v", ts.site.Requests())
	}
	run := sourceRun(t, store, src.Name())
	if run.LastError != "" || run.Errors != 0 || run.LastOutcome != articles.RunEmpty || run.LastSuccess.Before(run.LastRun) {
		t.Errorf("after a 404 the source looks %+v; want healthy", run)
	}
}

func TestSiteSourceSkipsPostsWhosePageIsGone(t *testing.T) {
	ts := newTestSite(t, 5)
	store := newStore(t)
	posts := ts.listed(t)
	// A cached list names a post that has moved to old_post/.
	ts.site.Fail(posts[2], fakesite.Fault{Status: 404})
	ts.site.Fail(posts[3], fakesite.Fault{Status: 410})
	src := ts.source(FetcherOptions{})
	rep, err := store.Ingest(context.Background(), src, articles.IngestOptions{})
	if err != nil || rep.Gone != 2 || rep.New != len(posts)-2 {
		t.Fatalf("poll with gone pages: %+v %v; want them counted and the poll a success", rep, err)
	}
	if run := sourceRun(t, store, src.Name()); run.LastOutcome != articles.RunOK || run.LastError != "" {
		t.Errorf("recorded as %+v", run)
	}
	// A later list that still names them does not ask for them again.
	ts.add(t, 5, 6)
	ts.site.Reset()
	rep, err = store.Ingest(context.Background(), src, articles.IngestOptions{})
	if err != nil || rep.New != 1 || rep.Gone != 0 {
		t.Fatalf("next poll: %+v %v", rep, err)
	}
	for _, r := range ts.site.Requests() {
		if r.Path == posts[2] || r.Path == posts[3] {
			t.Errorf("a gone page was asked for again: %+v", r)
		}
	}
	if !strings.Contains(ts.site.Requests()[0].Path, "category") {
		t.Errorf("requests: %+v", ts.site.Requests())
	}
}
