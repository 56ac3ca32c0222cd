package source

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/internal/fakesite"
	"wzdaily/internal/sample"
)

const realSite = "https://finews.withounder.com"

// capturedPages returns the post pages of the real Jekyll build, by path
// ("/emnews/2021/12/08/202112082206672930.html").
func capturedPages(t *testing.T) map[string][]byte {
	t.Helper()
	pages := map[string][]byte{}
	err := fs.WalkDir(fakesite.Capture(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" || p == "index.html" || strings.HasPrefix(p, "category/") {
			return err
		}
		pages["/"+p], err = fs.ReadFile(fakesite.Capture(), p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

// Every post of _posts/ that Jekyll publishes reads the same from its file
// and from its page as Jekyll built it, its published time included (see
// dateZone). The capture's README names the two that differ.
func TestCapturedPagesParseAsTheirPostFiles(t *testing.T) {
	pages := capturedPages(t)
	seen := map[string]bool{}
	for name, raw := range sample.Posts() {
		if !strings.HasPrefix(name, "_posts/") {
			continue // old_post/ is not built
		}
		want, err := ParsePost(name, raw, PostOptions{SiteURL: realSite})
		switch {
		case name == "_posts/-202205262391921712.md":
			// No date in the file name: no page, and no title to read.
			if !errors.Is(err, articles.ErrRejected) {
				t.Errorf("%s: %v, want a rejection", name, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", name, err)
			continue
		}
		p := strings.TrimPrefix(want.URL, realSite)
		page, ok := pages[p]
		if name == "_posts/2021-12-08-202112082206703990.md" {
			// It starts with a blank line, so Jekyll does not see its front
			// matter: no page at its permalink, and the bare page it makes
			// instead is no post page. Only a clone has this post.
			bare := "/2021/12/08/202112082206703990.html"
			if _, err := ParsePostPage(realSite+bare, pages[bare]); ok || pages[bare] == nil || !errors.Is(err, articles.ErrRejected) {
				t.Errorf("%s: page at %s %v; bare page %d bytes, read as %v; want no page, and the bare one rejected", name, p, ok, len(pages[bare]), err)
			}
			seen[bare] = true
			continue
		}
		if !ok {
			t.Errorf("%s: no captured page at %s", name, p)
			continue
		}
		seen[p] = true
		got, err := ParsePostPage(realSite+p, page)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		checkSame(t, name, got, want)
	}
	if len(seen) != 64 {
		t.Errorf("%d captured post pages matched a post file, want 64", len(seen))
	}
	for p := range pages {
		if !seen[p] {
			t.Errorf("captured page %s matches no post file", p)
		}
	}
}

// The ten entries of the captured feed read the same as their post files.
func TestCapturedFeedReadsAsThePostFiles(t *testing.T) {
	srv := httptest.NewServer(http.FileServerFS(fakesite.Capture()))
	defer srv.Close()
	store := newStore(t)
	feed := &Feed{URL: srv.URL + "/feed.xml", Fetcher: testFetcher(&recordSleep{}, FetcherOptions{})}
	rep, err := store.Ingest(context.Background(), feed, articles.IngestOptions{})
	if err != nil || rep.New != 10 {
		t.Fatalf("captured feed: %+v %v; want 10 new articles", rep, err)
	}
	checked := 0
	for name, raw := range sample.Posts() {
		want, err := ParsePost(name, raw, PostOptions{SiteURL: realSite})
		if err != nil || !strings.HasPrefix(name, "_posts/") {
			continue
		}
		got, err := store.Get(context.Background(), want.ID)
		if errors.Is(err, articles.ErrNotFound) {
			continue // not among the ten newest
		}
		if err != nil {
			t.Fatal(err)
		}
		checkSame(t, name, got, want)
		checked++
	}
	if checked != 10 {
		t.Errorf("%d feed entries matched a post file, want 10", checked)
	}
}
