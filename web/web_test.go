package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/sample"
)

// sampleStore is a store holding the bundled sample, as demo has it.
func sampleStore(t testing.TB) *articles.Store {
	t.Helper()
	store := articles.NewStore(dbtest.Open(t, articles.Schema()), articles.StoreOptions{})
	if _, err := store.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	return store
}

func newServer(t testing.TB, store *articles.Store, opts Options) *Server {
	t.Helper()
	opts.Articles = store
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type answer struct {
	code int
	h    http.Header
	body string
}

func get(t *testing.T, h http.Handler, path string, header ...string) answer {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.RemoteAddr = "192.0.2.1:5000"
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return answer{w.Code, w.Result().Header, string(b)}
}

// withTopic returns the newest article with a topic tag and more than one paragraph.
func withTopic(t *testing.T, store *articles.Store) *articles.Article {
	t.Helper()
	list, err := store.List(context.Background(), articles.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if len(a.Topics) > 0 && len(a.Paragraphs()) > 1 {
			return a
		}
	}
	t.Fatal("the sample has no article with a topic")
	return nil
}

func TestArticlePage(t *testing.T) {
	store := sampleStore(t)
	s := newServer(t, store, Options{})
	a := withTopic(t, store)
	got := get(t, s, articlePath(a.ID))
	if got.code != http.StatusOK {
		t.Fatalf("status %d: %s", got.code, got.body)
	}
	for _, want := range []string{`<html lang="zh-CN">`, "<h1>" + escaped(a.Title) + "</h1>", "<p>" + escaped(a.Paragraphs()[1]) + "</p>",
		`href="` + tagPath(a.Topics[0]) + `"`, "本文来自" + a.Paper(), `<meta name="robots" content="noindex">`, `<link rel="stylesheet" href="/style.css">`} {
		if !strings.Contains(got.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if a.URL != "" && !strings.Contains(got.body, `href="`+escaped(a.URL)+`"`) {
		t.Errorf("no link to the original %s", a.URL)
	}
	if strings.Contains(got.body, "<script") || strings.Contains(got.body, "style=") {
		t.Error("the page has script or inline style, which the policy forbids")
	}
	csp := got.h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("policy %q", csp)
	}
	if got.h.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	if want := "<title>" + escaped(a.Title) + " · 梧州新闻存档</title>"; !strings.Contains(got.body, want) {
		t.Errorf("the page's title is not %q", want)
	}
	if home := get(t, s, "/"); !strings.Contains(home.body, "<title>梧州新闻存档</title>") {
		t.Errorf("the home page names the site more than once: %q", home.body[:min(len(home.body), 400)])
	}
}

// escaped escapes as html/template does, for comparing with its output.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

func TestTitleWithMarkupIsShownAsText(t *testing.T) {
	store := sampleStore(t)
	a := &articles.Article{ID: "NW202202119999999999", Title: `<script>alert(1)</script>梧州"新闻"`, Published: time.Now().Add(-time.Hour),
		Body: "第一段<b>粗</b>。\n\n第二段 <img src=x onerror=alert(2)>", Tags: []string{"梧州日报新闻"}, URL: "javascript:alert(3)"}
	if _, err := store.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, store, Options{})
	for _, path := range []string{articlePath(a.ID), "/search?q=" + url.QueryEscape("新闻 script"), "/tag/" + url.PathEscape("梧州日报新闻")} {
		got := get(t, s, path)
		if got.code != http.StatusOK {
			t.Fatalf("%s: status %d", path, got.code)
		}
		for _, bad := range []string{"<script>", "<b>粗", "<img", `href="javascript:`} {
			if strings.Contains(got.body, bad) {
				t.Errorf("%s: the page holds %q unescaped", path, bad)
			}
		}
	}
	if got := get(t, s, articlePath(a.ID)); !strings.Contains(got.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the title is not shown as text:\n%s", got.body)
	}
}

func TestMissingAndPrunedArticles(t *testing.T) {
	store := sampleStore(t)
	s := newServer(t, store, Options{})
	if got := get(t, s, "/a/NW000"); got.code != http.StatusNotFound {
		t.Errorf("unknown article: %d", got.code)
	}
	a := withTopic(t, store)
	if _, err := store.Prune(context.Background(), a.Published.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	got := get(t, s, articlePath(a.ID))
	if got.code != http.StatusGone || !strings.Contains(got.body, `href="/search"`) {
		t.Errorf("pruned article: %d\n%s", got.code, got.body)
	}
	if got := get(t, s, "/no/such/page"); got.code != http.StatusNotFound {
		t.Errorf("unknown path: %d", got.code)
	}
	if got := get(t, s, "/tag/"+url.PathEscape("没有的标签")); got.code != http.StatusNotFound {
		t.Errorf("unknown tag: %d", got.code)
	}
}

func TestRobots(t *testing.T) {
	store := sampleStore(t)
	closed := get(t, newServer(t, store, Options{}), "/robots.txt").body
	open := get(t, newServer(t, store, Options{Index: true}), "/robots.txt").body
	for _, body := range []string{closed, open} {
		for _, p := range []string{"Disallow: /search", "Disallow: /d/", "Disallow: /feeds/search"} {
			if !strings.Contains(body, p) {
				t.Errorf("robots.txt lacks %q:\n%s", p, body)
			}
		}
	}
	if !strings.Contains(closed, "Disallow: /a/") || strings.Contains(open, "Disallow: /a/") {
		t.Errorf("article pages: without the setting\n%s\nwith it\n%s", closed, open)
	}
	a := withTopic(t, store)
	if got := get(t, newServer(t, store, Options{Index: true}), articlePath(a.ID)); strings.Contains(got.body, "noindex") {
		t.Error("an indexed article page says noindex")
	}
}

var hrefs = regexp.MustCompile(`<h3><a href="(/a/[^"]+)"`)

func TestTagPagesArePagedNewestFirst(t *testing.T) {
	store := sampleStore(t)
	s := newServer(t, store, Options{})
	tag := "东财滚动新闻"
	all, err := store.List(context.Background(), articles.ListQuery{Tags: []string{tag}, Limit: 500})
	if err != nil || len(all) <= perPage {
		t.Fatalf("the sample has %d articles of %s (%v); the test needs more than a page", len(all), tag, err)
	}
	first := get(t, s, tagPath(tag))
	links := hrefs.FindAllStringSubmatch(first.body, -1)
	if len(links) != perPage || links[0][1] != articlePath(all[0].ID) {
		t.Fatalf("page 1 lists %d, first %v; want %d from %s", len(links), links[:min(1, len(links))], perPage, all[0].ID)
	}
	next := tagPath(tag) + "?page=2"
	if !strings.Contains(first.body, `href="`+escaped(next)+`" rel="next"`) || strings.Contains(first.body, `rel="prev"`) {
		t.Errorf("page 1's links:\n%s", first.body)
	}
	if !strings.Contains(first.body, `<ol class="items" start="1">`) {
		t.Error("page 1 does not count from 1")
	}
	second := get(t, s, next)
	if !strings.Contains(second.body, `<ol class="items" start="11">`) {
		t.Error("page 2 does not go on counting from 11")
	}
	links = hrefs.FindAllStringSubmatch(second.body, -1)
	if len(links) == 0 || links[0][1] != articlePath(all[perPage].ID) || !strings.Contains(second.body, `rel="prev"`) {
		t.Errorf("page 2 starts with %v, want %s", links, all[perPage].ID)
	}
	if !strings.Contains(first.body, "/feeds/tag/") {
		t.Error("no feed link")
	}
}

func TestSearchPage(t *testing.T) {
	store := sampleStore(t)
	s := newServer(t, store, Options{})
	res, err := store.Search(context.Background(), articles.SearchQuery{Text: "公司", Relax: true, Count: true, Limit: perPage})
	if err != nil || !res.More {
		t.Fatalf("the sample must hold more than a page for 公司: %v", err)
	}
	got := get(t, s, "/search?q="+url.QueryEscape("公司"))
	if got.code != http.StatusOK || !strings.Contains(got.body, "<mark>公司</mark>") {
		t.Fatalf("status %d, no highlight:\n%s", got.code, got.body)
	}
	if !strings.Contains(got.body, "共 "+strconv.Itoa(res.Total)+" 条") || !strings.Contains(got.body, `rel="next"`) {
		t.Errorf("no total %d or next page", res.Total)
	}
	if links := hrefs.FindAllStringSubmatch(got.body, -1); len(links) != perPage || links[0][1] != articlePath(res.Hits[0].Article.ID) {
		t.Errorf("the page's hits differ from the engine's: %v", links)
	}
	if !strings.Contains(got.h.Get("Content-Security-Policy"), "form-action 'self'") {
		t.Error("the form may post elsewhere")
	}

	// A tag filter: every hit carries the tag.
	var tag string
	for _, h := range res.Hits {
		if len(h.Article.Topics) > 0 {
			tag = h.Article.Topics[0]
		}
	}
	got = get(t, s, "/search?q="+url.QueryEscape("公司")+"&tag="+url.QueryEscape(tag))
	filtered := hrefs.FindAllStringSubmatch(got.body, -1)
	if tag == "" || len(filtered) == 0 || len(filtered) >= perPage {
		t.Fatalf("filtered by %q: %d hits; want some, fewer than unfiltered", tag, len(filtered))
	}
	for _, l := range filtered {
		id, _ := url.PathUnescape(strings.TrimPrefix(l[1], "/a/"))
		b, err := store.Get(context.Background(), id)
		if err != nil || !slices.Contains(b.AllTags(), tag) {
			t.Errorf("%s in a search filtered by %s lacks the tag", id, tag)
		}
	}
	// A date filter past every article finds nothing; a bad date says so.
	if got := get(t, s, "/search?q="+url.QueryEscape("公司")+"&from=2099-01-01"); !strings.Contains(got.body, zh.NoResults) {
		t.Error("a date after every article found some")
	}
	if got := get(t, s, "/search?q=x&from=yesterday"); got.code != http.StatusOK || !strings.Contains(got.body, "2022-02-11") {
		t.Errorf("bad date: %d", got.code)
	}
	if got := get(t, s, "/search?q="+url.QueryEscape("！！")); !strings.Contains(got.body, lang.T("web empty query")) {
		t.Error("a query of punctuation is not explained")
	}
}

// FuzzSearchPage: whatever a reader puts in the query string, the search
// page answers a page, not an error, and escapes what it echoes.
func FuzzSearchPage(f *testing.F) {
	s := newServer(f, sampleStore(f), Options{SearchRate: Rate{PerSecond: 1e9, Burst: 1 << 30}})
	f.Add("公司", "东财滚动新闻", "2021-12-01", "2021-12-31", "2")
	f.Add("<script>", "", "x", "", "-1")
	f.Fuzz(func(t *testing.T, q, tag, from, to, page string) {
		v := url.Values{"q": {q}, "tag": {tag}, "from": {from}, "to": {to}, "page": {page}}
		got := get(t, s, "/search?"+v.Encode())
		if got.code != http.StatusOK {
			t.Fatalf("%v: %d", v, got.code)
		}
		if strings.Contains(got.body, "<script") {
			t.Fatalf("%v: unescaped", v)
		}
	})
}
