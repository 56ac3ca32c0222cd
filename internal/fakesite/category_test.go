package fakesite

import (
	"strings"
	"testing"
	"time"

	"wzdaily/internal/gen"
	"wzdaily/internal/sample"
)

func TestCategoryPageListsWuzhouPost(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	html := page(t, s, "/category/wuzhouribao.html")
	want := `<li><a href="` + wuzhouURL + `">加快我市工业高质量发展 全力融入“双循环”新发展格局</a></li>`
	if !strings.Contains(html, want) {
		t.Errorf("category page lacks %q", want)
	}
	if n := strings.Count(section(html), "<li>"); n != 1 {
		t.Errorf("category page lists %d posts, want 1", n)
	}
	// The page file has no tags, so the layout's page.tags[0] is empty,
	// as on the real site.
	if !strings.Contains(html, `<h2 id=""></h2>`) {
		t.Errorf("category page heading is not the empty <h2> the real layout renders")
	}
	if !strings.Contains(html, "<title>梧州日报新闻 | 金融消息</title>") {
		t.Errorf("category page title is not taken from its front matter")
	}
}

func TestCategoryPageIsNewestFirst(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	html := page(t, s, "/category/emnews.html")
	if n := strings.Count(section(html), "<li>"); n != 61 {
		t.Errorf("emnews lists %d posts, want 61", n)
	}
	newest := strings.Index(html, "/emnews/2022/05/26/202205262391921712.html")
	older := strings.Index(html, "/emnews/2021/12/08/202112082206935918.html")
	oldest := strings.Index(html, "/emnews/2021/12/08/202112082206672930.html")
	if newest < 0 || older < 0 || oldest < 0 || !(newest < older && older < oldest) {
		t.Errorf("emnews is not newest first: positions %d, %d, %d", newest, older, oldest)
	}
}

func TestEmptyCategoryPageFileStillRenders(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	html := page(t, s, "/category/anhuiribao.html")
	if strings.Contains(section(html), "<li>") {
		t.Errorf("anhuiribao has no posts but its page lists some")
	}
	if !strings.Contains(html, "<title>赣南日报新闻 | 金融消息</title>") {
		t.Errorf("anhuiribao page does not carry the title from its file")
	}
}

func TestIndexListsFiveNewestPerTag(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	html := page(t, s, "/")
	tags := []string{`<h2 id="站长消息">`, `<h2 id="东财滚动新闻">`, `<h2 id="梧州日报新闻">`}
	last := -1
	for _, tag := range tags {
		i := strings.Index(html, tag)
		if i <= last {
			t.Fatalf("index: %s missing or out of order (site.tags follows the oldest post of each tag)", tag)
		}
		last = i
	}
	if n := strings.Count(section(html), "<li>"); n != 7 {
		t.Errorf("index lists %d posts, want 1+5+1", n)
	}
}

// section is the part of a page inside <section>, where the layout puts
// the content; the head repeats raw content in og:description.
func section(html string) string {
	_, after, _ := strings.Cut(html, "<section>")
	body, _, _ := strings.Cut(after, "</section>")
	return body
}

func TestCategoryPageGoesWithItsLastPost(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, Options{Now: newFakeClock().Now, CategoryPagesNeedPosts: true})
	srv := serve(t, s)
	const cat = "/category/wuzhouribao.html"
	if resp, _ := get(t, srv.Client(), "GET", srv.URL+cat, nil); resp.StatusCode != 200 {
		t.Fatalf("with its post: %s answers %d, want 200", cat, resp.StatusCode)
	}
	// A category page file without any post (anhuiribao) is not served.
	if resp, _ := get(t, srv.Client(), "GET", srv.URL+"/category/anhuiribao.html", nil); resp.StatusCode != 404 {
		t.Errorf("a category without posts: status %d, want 404", resp.StatusCode)
	}
	// The post moves to old_post/ three days on: its page and then the
	// category page answer 404.
	if err := s.RemovePost(wuzhouKey); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{cat, wuzhouURL} {
		if resp, _ := get(t, srv.Client(), "GET", srv.URL+p, nil); resp.StatusCode != 404 {
			t.Errorf("after the last post left: %s answers %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := get(t, srv.Client(), "GET", srv.URL+"/category/emnews.html", nil); resp.StatusCode != 200 {
		t.Errorf("another category lost its page: status %d", resp.StatusCode)
	}
	if err := s.AddPost(wuzhouKey, samplePost(t, wuzhouKey)); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, srv.Client(), "GET", srv.URL+cat, nil); resp.StatusCode != 200 || !strings.Contains(string(body), wuzhouURL) {
		t.Errorf("a new post brings the page back: status %d", resp.StatusCode)
	}
}

// Generated posts join their category page, newest first, each with a
// page and Jekyll's reading of its date; a new category gets a page.
func TestAddedPostsJoinTheirCategory(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	opts := gen.DefaultOptions(3)
	opts.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	g, err := gen.NewWithOptions(sample.FS(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 3 {
		p := g.Post(i)
		if err := s.AddPost(p.Name, p.Raw); err != nil {
			t.Fatal(err)
		}
		u, ok := s.PostURL(p.Name)
		if !ok || !strings.Contains(page(t, s, u), "<h1>"+p.Title+"</h1>") {
			t.Fatalf("%s: no page at %q with its title", p.Name, u)
		}
		urls = append(urls, u)
	}
	list := section(page(t, s, "/category/wuzhouribao.html"))
	at := func(u string) int { return strings.Index(list, `href="`+u+`"`) }
	if !(at(urls[2]) >= 0 && at(urls[2]) < at(urls[1]) && at(urls[1]) < at(urls[0]) && at(urls[0]) < at(wuzhouURL)) {
		t.Errorf("the category page does not list the new posts newest first, before the old one:\n%s", list)
	}

	raw := "---\ntitle: \"深夜新闻\"\ndate: 2026-01-05 20:00:00\ncategories: guangxiribao\ntags: 广西日报新闻\n---\n\n正文。\n"
	if err := s.AddPost("_posts/2026-01-05-late.md", []byte(raw)); err != nil {
		t.Fatal(err)
	}
	// 20:00 without a zone is UTC to Jekyll: the next morning in Shanghai.
	const late = "/guangxiribao/2026/01/06/late.html"
	if html := page(t, s, late); !strings.Contains(html, "(GMT+8, Asia/Shanghai, CST) 2026-01-06 04:00:00</small>") {
		t.Errorf("%s does not show Jekyll's reading of its date:\n%s", late, section(html))
	}
	cat := page(t, s, "/category/guangxiribao.html")
	if !strings.Contains(cat, "<title>广西日报新闻 | 金融消息</title>") || !strings.Contains(cat, `<li><a href="`+late+`">深夜新闻</a></li>`) {
		t.Errorf("the new category's page:\n%s", cat)
	}
}
