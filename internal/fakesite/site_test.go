package fakesite

import (
	"errors"
	"io"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func TestCorpusBuildsAndSkipsMalformedPost(t *testing.T) {
	t.Parallel()
	s, skipped := newCorpusSite(t, newFakeClock())
	if len(skipped) != 1 {
		t.Fatalf("skipped %d posts, want 1: %v", len(skipped), skipped)
	}
	skip := skipped[0]
	if skip.Name != malformedKey {
		t.Errorf("skipped %q, want %q", skip.Name, malformedKey)
	}
	if !strings.Contains(skip.Reason, "file name") {
		t.Errorf("reason %q does not mention the file name", skip.Reason)
	}
	if !errors.Is(skip, ErrNotPublished) {
		t.Errorf("errors.Is(%v, ErrNotPublished) = false", skip)
	}
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
	for _, want := range []string{"/index.html", "/feed.xml", "/404.html", "/category/wuzhouribao.html",
		"/category/anhuiribao.html", "/category/emnews.html", "/category/sitenews.html", wuzhouURL, initURL} {
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
		"undated file name":   {"_posts/x.md", "---\ntitle: x\n---\nbody", "file name"},
		"date does not parse": {"_posts/2022-05-26-x.md", "---\ntitle: \"\"\ndate:  +0800\n---\nbody", "date"},
		"empty date":          {"_posts/2022-05-26-x.md", "---\ndate:\n---\nbody", "date"},
		"bad YAML":            {"_posts/2022-05-26-x.md", "---\ntitle: [unclosed\n---\nbody", "YAML"},
		"unpublished":         {"_posts/2022-05-26-x.md", "---\npublished: false\n---\nbody", "published"},
		"impossible day":      {"_posts/2022-02-30-x.md", "no front matter", "date"},
		"hidden file":         {"_posts/.2022-05-26-x.md", "---\n---\n", "starts with"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Layouts: os.DirFS(corpusDir + "/site")})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			before := s.Paths()
			err = s.AddPost(tc.name, []byte(tc.raw))
			var skip *SkipError
			if !errors.As(err, &skip) {
				t.Fatalf("AddPost(%q) = %v, want a *SkipError", tc.raw, err)
			}
			if !strings.Contains(skip.Reason, tc.reason) {
				t.Errorf("reason %q does not mention %q", skip.Reason, tc.reason)
			}
			if after := s.Paths(); !slices.Equal(before, after) {
				t.Errorf("site changed after a skipped post: %v → %v", before, after)
			}
		})
	}
}

func TestMalformedPostIsRejectedEvenWithADatedName(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(corpusDir + "/" + malformedKey)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Layouts: os.DirFS(corpusDir + "/site")})
	if err != nil {
		t.Fatal(err)
	}
	err = s.AddPost("_posts/2022-05-26-202205262391921712.md", raw)
	if !errors.Is(err, ErrNotPublished) || !strings.Contains(err.Error(), `"+0800"`) {
		t.Errorf("AddPost = %v, want a skip naming the date \"+0800\"", err)
	}
}

func TestPostPageHasDateTitleAndBody(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	html := page(t, s, wuzhouURL)
	for _, want := range []string{
		"<small>(GMT+8, Asia/Shanghai, CST) 2022-02-11 09:04:31</small>",
		"<h1>加快我市工业高质量发展 全力融入“双循环”新发展格局</h1>",
		"<p>党的十九届五中全会通过的《中共中央关于制定国民经济和社会发展第十四个五年规划",
		"\n<p>加大政府扶持，为推动工业高质量发展提供重要保障。",
		`<p><a href="http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202112273376235">http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202112273376235</a></p>`,
		`<a href="//finews.withounder.com/category/wuzhouribao.html">返回梧州日报新闻</a>｜<a href="//finews.withounder.com/">返回首页</a>`,
		"<small>tags: <em>梧州日报新闻</em></small>",
		"<title>加快我市工业高质量发展 全力融入“双循环”新发展格局 | 金融消息</title>",
		`<html lang="zh-CN">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("%s lacks %q", wuzhouURL, want)
		}
	}
}

func TestPostWithDigestLineAndEmptySource(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	html := page(t, s, "/emnews/2022/05/26/202205262391921712.html")
	if !strings.Contains(html, "<blockquote>\n  <p>据霍尼韦尔官网消息") {
		t.Errorf("the > digest line is not a blockquote paragraph")
	}
	if !strings.Contains(html, "\n<p style=\"display:none;height:1px;overflow:hidden;\"><br /></p><!-- EM_StockImg_Start -->") {
		t.Errorf("the raw HTML block did not pass through")
	}
	html = page(t, s, "/emnews/2021/12/08/202112082206870651.html")
	if !strings.Contains(html, "<p>&lt;&gt;</p>") {
		t.Errorf("the empty <> source line is not the text &lt;&gt;")
	}
	if !strings.Contains(html, "<p><a href=\"../emnews/\">返回东财滚动新闻</a>\n<a href=\"../\">返回首页</a></p>") {
		t.Errorf("the two 返回 links are not one paragraph")
	}
}

// A file that starts with a blank line has no front matter for Jekyll:
// its date and slug come from the name, it has no category, and the
// "---" block is rendered as text.
func TestLeadingBlankLineMeansNoFrontMatter(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	u, ok := s.PostURL("_posts/2021-12-08-202112082206703990.md")
	if want := "/2021/12/08/202112082206703990.html"; !ok || u != want {
		t.Fatalf("PostURL = %q, %v; want %q", u, ok, want)
	}
	html := page(t, s, u)
	for _, want := range []string{
		"<h1>202112082206703990</h1>",
		"2021-12-08 00:00:00</small>",
		"<hr />\n<p>layout: post\ntitle: “FF：有充足的现金支持到FF 91完成投产”",
		"<small>tags: <em></em></small>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("%s lacks %q", u, want)
		}
	}
}

func TestNaiveFrontMatterDates(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		naiveInSiteZone bool
		want            string
	}{
		"Jekyll reads them as UTC":       {false, "2021-12-01 21:33:50</small>"},
		"option reads them as site time": {true, "2021-12-01 13:33:50</small>"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Layouts: os.DirFS(corpusDir + "/site"), NaiveDatesInSiteZone: tc.naiveInSiteZone})
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(corpusDir + "/" + initKey)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddPost(initKey, raw); err != nil {
				t.Fatalf("AddPost: %v", err)
			}
			if html := page(t, s, initURL); !strings.Contains(html, tc.want) {
				t.Errorf("%s lacks %q", initURL, tc.want)
			}
		})
	}
}

func TestRemovePost(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	if err := s.RemovePost(wuzhouKey); err != nil {
		t.Fatalf("RemovePost: %v", err)
	}
	if _, ok := s.Page(wuzhouURL); ok {
		t.Errorf("%s still served after RemovePost", wuzhouURL)
	}
	if _, ok := s.Page("/category/wuzhouribao.html"); !ok {
		t.Errorf("the page file category/wuzhouribao.html must stay even when empty")
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
		"category and slug":       {"_posts/2022-02-11-NW1.md", "categories: wuzhouribao", "/wuzhouribao/2022/02/11/NW1.html"},
		"categories are lowered":  {"_posts/2022-02-11-a.md", "categories: Wind", "/wind/2022/02/11/a.html"},
		"several categories":      {"_posts/2022-02-11-a.md", "categories: a b", "/a/b/2022/02/11/a.html"},
		"no category":             {"_posts/2022-02-11-a.md", "title: x", "/2022/02/11/a.html"},
		"date from front matter":  {"_posts/2022-02-11-a.md", "date: 2022-02-12 09:00:00 +0800", "/2022/02/12/a.html"},
		"offset moves the day":    {"_posts/2022-02-11-a.md", "date: 2022-02-11 23:30:00 -0500", "/2022/02/12/a.html"},
		"naive time is UTC":       {"_posts/2022-02-11-a.md", "date: 2022-02-11 20:00:00", "/2022/02/12/a.html"},
		"quoted time is local":    {"_posts/2022-02-11-a.md", `date: "2022-02-11 20:00:00"`, "/2022/02/11/a.html"},
		"slug is slugified":       {"_posts/2022-02-11-a b.md", "title: x", "/2022/02/11/a-b.html"},
		"non-ASCII slug escaped":  {"_posts/2022-02-11-梧州.md", "title: x", "/2022/02/11/%E6%A2%A7%E5%B7%9E.html"},
		"front matter permalink":  {"_posts/2022-02-11-a.md", "permalink: /x/y.html", "/x/y.html"},
		"html post keeps its ext": {"_posts/2022-02-11-a.html", "title: x", "/2022/02/11/a.html"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, err := New(Options{Layouts: os.DirFS(corpusDir + "/site")})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddPost(tc.name, []byte("---\n"+tc.front+"\n---\nbody\n")); err != nil {
				t.Fatalf("AddPost: %v", err)
			}
			got, _ := s.PostURL(tc.name)
			if got != tc.want {
				t.Errorf("front matter %q: URL %q, want %q", tc.front, got, tc.want)
			}
			decoded, err := url.PathUnescape(got)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := s.Page(decoded); !ok {
				t.Errorf("no page served at %s", decoded)
			}
		})
	}
}

func TestNewRequiresLayouts(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{}); err == nil {
		t.Errorf("New without Layouts succeeded")
	}
	if _, err := New(Options{Layouts: os.DirFS(corpusDir + "/_posts")}); err == nil {
		t.Errorf("New with a tree that has no _layouts succeeded")
	}
}

func TestMinimalTreeGetsGeneratedPages(t *testing.T) {
	t.Parallel()
	tree := fstest.MapFS{
		"_config.yml":            {Data: []byte("title: T\ntimezone: Asia/Shanghai\nurl: https://example.com\n")},
		"_layouts/default.html":  {Data: []byte("<main>{{ content }}</main>")},
		"_layouts/category.html": {Data: []byte("---\nlayout: default\n---\n{% for post in site.categories[page.category] %}[{{ post.title }}]{% endfor %}")},
		"style.css":              {Data: []byte("body{}")},
	}
	s, err := New(Options{Layouts: tree})
	if err != nil {
		t.Fatal(err)
	}
	for i, date := range []string{"2022-01-01", "2022-01-03", "2022-01-02"} {
		raw := "---\ntitle: p" + strconv.Itoa(i) + "\ncategories: c\ntags: t\n---\nbody\n"
		if err := s.AddPost("_posts/"+date+"-p.md", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	index := page(t, s, "/")
	if a, b, c := strings.Index(index, ">p1<"), strings.Index(index, ">p2<"), strings.Index(index, ">p0<"); !(a >= 0 && a < b && b < c) {
		t.Errorf("generated index is not newest first: %s", index)
	}
	if got := page(t, s, "/category/c.html"); got != "<main>[p1][p2][p0]</main>" {
		t.Errorf("generated category page = %q", got)
	}
	if got := page(t, s, "/404.html"); !strings.Contains(got, "<main><h2") {
		t.Errorf("generated 404 page = %q", got)
	}
	if got := page(t, s, "/style.css"); got != "body{}" {
		t.Errorf("static file = %q", got)
	}
	if got := page(t, s, "/c/2022/01/03/p.html"); got != "<main><p>body</p>\n</main>" {
		t.Errorf("post without a post layout falls back to default: %q", got)
	}
}

func TestSetBaseURL(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	s.SetBaseURL("http://127.0.0.1:8080/")
	feed := page(t, s, "/feed.xml")
	if !strings.Contains(feed, `<link href="http://127.0.0.1:8080/feed.xml" rel="self"`) ||
		strings.Contains(feed, "https://finews.withounder.com") {
		t.Errorf("feed does not use the new base URL")
	}
	if html := page(t, s, wuzhouURL); !strings.Contains(html, `<h1><a href="http://127.0.0.1:8080/">`) {
		t.Errorf("absolute_url in the layout does not use the new base URL")
	}
}

// Posts change while clients read; run with -race.
func TestConcurrentChangesAndRequests(t *testing.T) {
	t.Parallel()
	s, _ := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	raw, err := os.ReadFile(corpusDir + "/" + oldKey)
	if err != nil {
		t.Fatal(err)
	}
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
