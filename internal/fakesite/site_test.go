package fakesite

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A new site serves the capture byte for byte: 63 post pages, the bare
// page of the post Jekyll saw no front matter in, three category pages,
// the index and the feed.
func TestNewServesTheCapture(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	posts := 0
	for _, p := range s.Paths() {
		if strings.HasPrefix(p, "/emnews/") || strings.HasPrefix(p, "/wuzhouribao/") ||
			strings.HasPrefix(p, "/sitenews/") || strings.HasPrefix(p, "/2021/") {
			posts++
		}
	}
	if posts != 64 {
		t.Errorf("got %d post pages, want 64", posts)
	}
	served := 0
	err := fs.WalkDir(Capture(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "README.md" {
			return err
		}
		want, err := fs.ReadFile(Capture(), p)
		if got, ok := s.Page("/" + p); !ok || string(got) != string(want) {
			t.Errorf("/%s is not served as captured", p)
		}
		served++
		return err
	})
	if err != nil || served != 69 || len(s.Paths()) != 69 {
		t.Errorf("%d captured files served (%v), %d paths; want 69", served, err, len(s.Paths()))
	}
	for _, want := range []string{"/index.html", "/feed.xml", "/category/wuzhouribao.html",
		"/category/anhuiribao.html", "/category/emnews.html", wuzhouURL, initURL} {
		if !slices.Contains(s.Paths(), want) {
			t.Errorf("Paths() lacks %s", want)
		}
	}
}

func TestAddPostSkipsWhatJekyllWouldNotPublish(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name, raw, reason string
	}{
		"undated file name":    {"_posts/x.md", "---\ntitle: x\n---\nbody", "file name"},
		"date does not parse":  {"_posts/2022-05-26-x.md", "---\ntitle: \"\"\ndate:  +0800\n---\nbody", "date"},
		"empty date":           {"_posts/2022-05-26-x.md", "---\ndate:\n---\nbody", "date"},
		"bad YAML":             {"_posts/2022-05-26-x.md", "---\ntitle: [unclosed\n---\nbody", "YAML"},
		"impossible day":       {"_posts/2022-02-30-x.md", "---\ntitle: x\n---\nbody", "date"},
		"blank line first":     {"_posts/2022-05-26-x.md", "\n---\ntitle: x\n---\nbody", "front matter"},
		"hidden file":          {"_posts/.2022-05-26-x.md", "---\n---\n", "file name"},
		"not a Markdown file":  {"_posts/2022-05-26-x.txt", "---\n---\n", "file name"},
		"an impossible minute": {"_posts/2022-05-26-x.md", "---\ndate: 2022-05-26 10:61:00\n---\n", "date"},
		"an impossible month":  {"_posts/2022-05-26-x.md", "---\ndate: 2022-13-26 10:00:00\n---\n", "date"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t, Options{})
			before := s.Paths()
			err := s.AddPost(tc.name, []byte(tc.raw))
			if !errors.Is(err, ErrNotPublished) {
				t.Fatalf("AddPost(%q) = %v, want ErrNotPublished", tc.raw, err)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("error %q does not mention %q", err, tc.reason)
			}
			if after := s.Paths(); !slices.Equal(before, after) {
				t.Errorf("site changed after a skipped post: %v → %v", before, after)
			}
		})
	}
}

func TestMalformedPostIsRejectedEvenWithADatedName(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, Options{})
	err := s.AddPost("_posts/2022-05-26-202205262391921712.md", samplePost(t, "_posts/-202205262391921712.md"))
	if !errors.Is(err, ErrNotPublished) || !strings.Contains(err.Error(), `"+0800"`) {
		t.Errorf("AddPost = %v, want a skip naming the date \"+0800\"", err)
	}
}

// A file that starts with a blank line has no front matter for Jekyll: it
// is no post, and the capture holds the bare page Jekyll made of it.
func TestLeadingBlankLineMeansNoFrontMatter(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	const name = "_posts/2021-12-08-202112082206703990.md"
	if u, ok := s.PostURL(name); ok {
		t.Errorf("PostURL = %q; want no post", u)
	}
	html := page(t, s, "/2021/12/08/202112082206703990.html")
	if !strings.Contains(html, "<p>layout: post\ntitle: “FF：有充足的现金支持到FF 91完成投产”") || strings.Contains(html, "<section>") {
		t.Errorf("the bare page is not the front matter as text without the layout")
	}
	if err := s.AddPost(name, samplePost(t, name)); !errors.Is(err, ErrNotPublished) {
		t.Errorf("AddPost = %v, want ErrNotPublished", err)
	}
}

// Jekyll reads an unquoted date without a zone as UTC and shows it in the
// site's zone; a quoted one is site time.
func TestFrontMatterDates(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		date, want string
	}{
		"naive is UTC":          {"2021-12-01 13:33:50", "2021-12-01 21:33:50</small>"},
		"offset":                {"2021-12-01 13:33:50 +0800", "2021-12-01 13:33:50</small>"},
		"other offset":          {"2021-12-01 13:33:50 -05:00", "2021-12-02 02:33:50</small>"},
		"quoted naive is local": {`"2021-12-01 13:33:50"`, "2021-12-01 13:33:50</small>"},
		"no seconds is local":   {"2021-12-01 13:33", "2021-12-01 13:33:00</small>"},
		"date only is local":    {"2021-12-01", "2021-12-01 00:00:00</small>"},
		"RFC 3339":              {"2021-12-01T13:33:50Z", "2021-12-01 21:33:50</small>"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t, Options{})
			raw := strings.Replace(string(samplePost(t, initKey)), "date: 2021-12-01 13:33:50", "date: "+tc.date, 1)
			if err := s.AddPost(initKey, []byte(raw)); err != nil {
				t.Fatalf("AddPost: %v", err)
			}
			u, _ := s.PostURL(initKey)
			if html := page(t, s, u); !strings.Contains(html, tc.want) {
				t.Errorf("date %s: %s lacks %q", tc.date, u, tc.want)
			}
		})
	}
}

func TestRemovePost(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	if err := s.RemovePost(wuzhouKey); err != nil {
		t.Fatalf("RemovePost: %v", err)
	}
	if _, ok := s.Page(wuzhouURL); ok {
		t.Errorf("%s still served after RemovePost", wuzhouURL)
	}
	if html, ok := s.Page("/category/wuzhouribao.html"); !ok || strings.Contains(section(string(html)), "<li>") {
		t.Errorf("the category page must stay, empty, by default")
	}
	if _, ok := s.PostURL(wuzhouKey); ok {
		t.Errorf("PostURL still knows the removed post")
	}
	if err := s.RemovePost(wuzhouKey); !errors.Is(err, ErrNoSuchPost) {
		t.Errorf("second RemovePost = %v, want ErrNoSuchPost", err)
	}
}

func TestPermalinks(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		name, front, want string
	}{
		"category and slug":      {"_posts/2022-02-11-NW1.md", "categories: wuzhouribao", "/wuzhouribao/2022/02/11/NW1.html"},
		"categories are lowered": {"_posts/2022-02-11-a.md", "categories: Wind", "/wind/2022/02/11/a.html"},
		"several categories":     {"_posts/2022-02-11-a.md", "categories: a b", "/a/b/2022/02/11/a.html"},
		"a list of categories":   {"_posts/2022-02-11-a.md", "categories: [a, b]", "/a/b/2022/02/11/a.html"},
		"no category":            {"_posts/2022-02-11-a.md", "title: x", "/2022/02/11/a.html"},
		"date from front matter": {"_posts/2022-02-11-a.md", "date: 2022-02-12 09:00:00 +0800", "/2022/02/12/a.html"},
		"offset moves the day":   {"_posts/2022-02-11-a.md", "date: 2022-02-11 23:30:00 -0500", "/2022/02/12/a.html"},
		"naive time is UTC":      {"_posts/2022-02-11-a.md", "date: 2022-02-11 20:00:00", "/2022/02/12/a.html"},
		"quoted time is local":   {"_posts/2022-02-11-a.md", `date: "2022-02-11 20:00:00"`, "/2022/02/11/a.html"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newTestSite(t, Options{})
			if err := s.AddPost(tc.name, []byte("---\n"+tc.front+"\n---\nbody\n")); err != nil {
				t.Fatalf("AddPost: %v", err)
			}
			if got, _ := s.PostURL(tc.name); got != tc.want {
				t.Errorf("front matter %q: URL %q, want %q", tc.front, got, tc.want)
			}
			if _, ok := s.Page(tc.want); !ok {
				t.Errorf("no page served at %s", tc.want)
			}
		})
	}
}

// The pages the fake renders link to its BaseURL; captured ones keep the
// real site's address.
func TestSetBaseURL(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	s.SetBaseURL("http://127.0.0.1:8080/")
	if html := page(t, s, wuzhouURL); !strings.Contains(html, `<h1><a href="https://finews.withounder.com/">`) {
		t.Errorf("a captured page changed with the base URL")
	}
	if err := s.AddPost(wuzhouKey, append(samplePost(t, wuzhouKey), "\n\n更正"...)); err != nil {
		t.Fatal(err)
	}
	if html := page(t, s, wuzhouURL); !strings.Contains(html, `<h1><a href="http://127.0.0.1:8080/">`) {
		t.Errorf("a rendered page does not use the new base URL")
	}
	feed := page(t, s, "/feed.xml")
	if !strings.Contains(feed, `<link href="http://127.0.0.1:8080/feed.xml" rel="self"`) ||
		strings.Contains(feed, "https://finews.withounder.com") {
		t.Errorf("the rendered feed does not use the new base URL")
	}
}

// Posts change while clients read; run with -race.
func TestConcurrentChangesAndRequests(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	raw := samplePost(t, oldKey)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				resp, err := srv.Client().Get(srv.URL + "/category/emnews.html")
				if err != nil {
					t.Errorf("GET: %v", err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	for i := range 5 {
		if err := s.AddPost(oldKey, append(raw, strconv.Itoa(i)...)); err != nil {
			t.Errorf("AddPost: %v", err)
		}
		if err := s.Fail("/nope", Fault{Status: 500, Times: 1}); err != nil {
			t.Errorf("Fail: %v", err)
		}
		s.Requests()
	}
	wg.Wait()
	if got := s.Count("/category/emnews.html", 200); got != 40 {
		t.Errorf("%d successful reads, want 40", got)
	}
}
