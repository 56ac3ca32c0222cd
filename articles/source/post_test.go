package source

import (
	"bufio"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"wzdaily/articles"
	"wzdaily/internal/sample"
)

var siteOpts = PostOptions{SiteURL: "https://finews.withounder.com"}

type indexRow struct{ date, categories, tags, title string }

// corpusIndex reads INDEX.tsv, the corpus's own description of each file.
func corpusIndex(t *testing.T) map[string]indexRow {
	t.Helper()
	f, err := sample.FS().Open("INDEX.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]indexRow{}
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		out[c[0]] = indexRow{date: c[1], categories: c[2], tags: c[3], title: c[4]}
	}
	return out
}

func TestParsePostTakesTheWholeCorpus(t *testing.T) {
	posts := sample.Posts()
	index := corpusIndex(t)
	if len(posts) != 110 || len(index) != 110 {
		t.Fatalf("corpus has %d posts and %d index rows, want 110", len(posts), len(index))
	}
	rejected := 0
	for name, raw := range posts {
		row := index[name]
		a, err := ParsePost(name, raw, siteOpts)
		if err != nil {
			rejected++
			if !errors.Is(err, articles.ErrRejected) || !strings.Contains(err.Error(), name) {
				t.Errorf("%s: error %v should wrap articles.ErrRejected and name the file", name, err)
			}
			if row.title != "" {
				t.Errorf("%s: rejected a post with title %q: %v", name, row.title, err)
			}
			continue
		}
		if a.Title != row.title {
			t.Errorf("%s: title %q, want %q", name, a.Title, row.title)
		}
		// A date without a zone is UTC, as Jekyll reads it (see dateZone).
		zone := time.UTC
		if strings.HasSuffix(row.date, " +0800") {
			zone = articles.Zone()
		}
		want, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSuffix(row.date, " +0800"), zone)
		if err != nil || !a.Published.Equal(want) {
			t.Errorf("%s: published %v, want %v", name, a.Published, want)
		}
		if strings.Join(a.Categories, " ") != row.categories || strings.Join(a.Tags, " ") != row.tags {
			t.Errorf("%s: categories %v tags %v, want %q %q", name, a.Categories, a.Tags, row.categories, row.tags)
		}
		// A wire flash whose body only restates its title has no lead;
		// every other post has one, and no lead restates the title.
		if a.Body == "" || (a.Lead == "") != articles.RepeatsTitle(a.Title, a.Body) {
			t.Errorf("%s: body %q, lead %q for the title %q", name, a.Body, a.Lead, a.Title)
		}
		if a.Lead != "" && articles.RepeatsTitle(a.Title, a.Lead) {
			t.Errorf("%s: the lead %q restates the title %q", name, a.Lead, a.Title)
		}
		for _, junk := range []string{"返回首页", "返回东财", "<p", "</", "<http", "eastmoney.com/news"} {
			if strings.Contains(a.Body, junk) {
				t.Errorf("%s: body still holds %q", name, junk)
			}
		}
		if !strings.HasPrefix(a.URL, "https://finews.withounder.com/"+row.categories+"/") || !strings.HasSuffix(a.URL, "/"+a.ID+".html") {
			t.Errorf("%s: url %q", name, a.URL)
		}
	}
	if rejected != 1 {
		t.Errorf("rejected %d posts, want 1 (the one with an empty title)", rejected)
	}
}

func TestParsePostWuzhouDaily(t *testing.T) {
	name := "_posts/2022-02-11-NW202202112273376235.md"
	a, err := ParsePost(name, sample.Posts()[name], siteOpts)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ what, got, want string }{
		{"id", a.ID, "NW202202112273376235"},
		{"title", a.Title, "加快我市工业高质量发展 全力融入“双循环”新发展格局"},
		{"published", a.Published.Format(time.RFC3339), "2022-02-11T09:04:31+08:00"},
		{"source", a.SourceURL, "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202202112273376235"},
		{"url", a.URL, "https://finews.withounder.com/wuzhouribao/2022/02/11/NW202202112273376235.html"},
		{"tags", strings.Join(a.Tags, ","), "梧州日报新闻"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.what, c.got, c.want)
		}
	}
	ps := a.Paragraphs()
	if len(ps) != 6 {
		t.Fatalf("%d paragraphs, want 6: %q", len(ps), ps)
	}
	if !strings.HasPrefix(ps[1], "强化科技创新") || !strings.HasSuffix(ps[5], "(许素雁)") {
		t.Errorf("paragraphs not split at <p>: %q … %q", ps[1][:30], ps[5])
	}
	if strings.Contains(a.Body, "文章来源") {
		t.Errorf("the byline paragraph was kept")
	}
	// The lead is what the article says of the city, not its national
	// boilerplate opening (党的十九届五中全会…).
	if !strings.HasPrefix(a.Lead, "梧州市第十四次党代会提出大力实施工业振兴") || utf8.RuneCountInString(a.Lead) > articles.LeadMaxRunes {
		t.Errorf("lead %q", a.Lead)
	}
}

func TestParsePostSummaryLineAndRichHTML(t *testing.T) {
	name := "_posts/2022-05-26-202205262391921712.md"
	a, err := ParsePost(name, sample.Posts()[name], siteOpts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Lead, "据霍尼韦尔官网消息") {
		t.Errorf("lead should be the > line, got %q", a.Lead)
	}
	if a.SourceURL != "http://finance.eastmoney.com/news/1354,202205262391921712.html" {
		t.Errorf("source %q", a.SourceURL)
	}
	body := a.Body
	for _, want := range []string{"\n\n什么是HFO-1234yf\n\n", "《<蒙特利尔议定书>基加利修正案》", "国内首款使用超低GWP(全球变暖潜值)制冷剂的新能源汽车来了！"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	for _, junk := range []string{"K图", "EM_StockImg", "display:none"} {
		if strings.Contains(body, junk) {
			t.Errorf("body holds %q", junk)
		}
	}
}

func TestParsePostEdgeCases(t *testing.T) {
	cases := map[string]struct {
		name, raw string
		wantErr   string // substring of the error, "" for success
		check     func(t *testing.T, a *articles.Article)
	}{
		"no front matter":           {"_posts/2022-01-01-x1.md", "just text", "no front matter", nil},
		"unterminated front matter": {"_posts/2022-01-01-x1.md", "---\ntitle: a\n\nbody", "no front matter", nil},
		"empty title":               {"_posts/2022-01-01-x1.md", "---\ntitle: \"\"\ndate: 2022-01-01 10:00:00\n---\nbody", "empty title", nil},
		"only the footer":           {"_posts/2022-01-01-x1.md", "---\ntitle: t\n---\n\n<http://a.b/c>\n\n[返回首页](../)", "empty body", nil},
		"bad name":                  {"_posts/2022-01-01-a b?.md", "---\ntitle: t\n---\nbody", "no usable post id", nil},
		"zone missing means UTC, as Jekyll reads it": {"_posts/2022-01-01-x1.md", "---\ntitle: t\ndate: 2022-01-01 10:00:00\n---\nbody", "", func(t *testing.T, a *articles.Article) {
			if a.Published.UTC().Format(time.RFC3339) != "2022-01-01T10:00:00Z" || a.URL != "https://finews.withounder.com/2022/01/01/x1.html" {
				t.Errorf("published %v, url %s", a.Published, a.URL)
			}
		}},
		"late in the day in UTC is the next day on the site": {"_posts/2022-01-01-x1.md", "---\ntitle: t\ndate: 2022-01-01 20:00:00\ncategories: wuzhouribao\n---\nbody", "", func(t *testing.T, a *articles.Article) {
			if a.Published.Format(time.RFC3339) != "2022-01-02T04:00:00+08:00" || a.URL != "https://finews.withounder.com/wuzhouribao/2022/01/02/x1.html" {
				t.Errorf("published %v, url %s", a.Published, a.URL)
			}
		}},
		"a quoted date, or one without seconds, is site time": {"_posts/2022-01-01-x1.md", "---\ntitle: t\ndate: \"2022-01-01 10:00:00\"\n---\nbody", "", func(t *testing.T, a *articles.Article) {
			if a.Published.UTC().Format(time.RFC3339) != "2022-01-01T02:00:00Z" {
				t.Errorf("published %v", a.Published)
			}
			b, err := ParsePost("_posts/2022-01-01-x1.md", []byte("---\ntitle: t\ndate: 2022-01-01 10:00\n---\nbody"), siteOpts)
			if err != nil || !b.Published.Equal(a.Published) {
				t.Errorf("without seconds: published %v (%v), want %v", b.Published, err, a.Published)
			}
		}},
		"broken date falls back to the file name": {"_posts/2022-03-04-x1.md", "---\ntitle: t\ndate:  +0800\n---\nbody", "", func(t *testing.T, a *articles.Article) {
			if a.Published.Format("2006-01-02 15:04 -0700") != "2022-03-04 00:00 +0800" {
				t.Errorf("published %v", a.Published)
			}
		}},
		"broken YAML falls back to lines": {"_posts/2022-01-01-x1.md", "---\ntitle: \"he said \"hi\" there\"\ndate: 2022-01-01 10:00:00 +0800\ncategories: wuzhouribao\ntags: 梧州日报新闻\n---\nbody", "", func(t *testing.T, a *articles.Article) {
			if a.Title != `he said "hi" there` || a.Tags[0] != "梧州日报新闻" {
				t.Errorf("title %q tags %v", a.Title, a.Tags)
			}
		}},
		"CRLF and a list of categories": {"_posts/2022-01-01-x1.md", "---\r\ntitle: t\r\ncategories: [a, b]\r\ntags:\r\n  - x\r\n  - y\r\n---\r\nline one\r\nline two\r\n", "", func(t *testing.T, a *articles.Article) {
			if strings.Join(a.Categories, "/") != "a/b" || strings.Join(a.Tags, "/") != "x/y" || a.Body != "line one line two" {
				t.Errorf("categories %v tags %v body %q", a.Categories, a.Tags, a.Body)
			}
		}},
		"invalid UTF-8 and control characters": {"_posts/2022-01-01-x1.md", "---\ntitle: \"a\x01b\"\n---\nbo\xffdy\x07", "", func(t *testing.T, a *articles.Article) {
			if !utf8.ValidString(a.Title+a.Body) || strings.ContainsAny(a.Title+a.Body, "\x01\x07") {
				t.Errorf("title %q body %q", a.Title, a.Body)
			}
		}},
		"plain paragraphs": {"_posts/2022-01-01-x1.md", "---\ntitle: t\n---\n\n第一段。\n\n第二段有[链接](http://x)。\n\n<>\n", "", func(t *testing.T, a *articles.Article) {
			if a.Body != "第一段。\n\n第二段有链接。" || a.SourceURL != "" {
				t.Errorf("body %q source %q", a.Body, a.SourceURL)
			}
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := ParsePost(c.name, []byte(c.raw), siteOpts)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), c.name) {
					t.Fatalf("err = %v, want one naming %s and saying %q", err, c.name, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, a)
		})
	}
}

func TestParsePostRejectsHugeFiles(t *testing.T) {
	raw := "---\ntitle: t\n---\n" + strings.Repeat("字", maxPostBytes)
	if _, err := ParsePost("_posts/2022-01-01-x.md", []byte(raw), siteOpts); !errors.Is(err, articles.ErrRejected) {
		t.Fatalf("err = %v, want a rejection", err)
	}
}

func FuzzParsePost(f *testing.F) {
	for name, raw := range sample.Posts() {
		f.Add(name, raw)
	}
	f.Add("_posts/2022-01-01-x.md", []byte("---\n---\n"))
	f.Add("-x.md", []byte("\n---\ntitle: [\ndate: ]\n---\n> <p>"))
	f.Fuzz(func(t *testing.T, name string, raw []byte) {
		a, err := ParsePost(name, raw, siteOpts)
		if err != nil {
			if !errors.Is(err, articles.ErrRejected) {
				t.Fatalf("error does not wrap articles.ErrRejected: %v", err)
			}
			return
		}
		if a.Title == "" || a.Body == "" || a.ID == "" || a.Published.IsZero() {
			t.Fatalf("accepted an incomplete article: %+v", a)
		}
		if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Body) || !utf8.ValidString(a.Lead) {
			t.Fatalf("invalid UTF-8 in the article")
		}
		if utf8.RuneCountInString(a.Lead) > articles.LeadMaxRunes {
			t.Fatalf("lead over the cap: %d runes", utf8.RuneCountInString(a.Lead))
		}
		if utf8.RuneCountInString(a.Title) > articles.MaxTitleRunes || strings.IndexFunc(a.Title, isBidiControl) >= 0 {
			t.Fatalf("title over the cap or with a bidirectional control: %q", a.Title)
		}
	})
}

func BenchmarkParsePost(b *testing.B) {
	posts := sample.Posts()
	var size int64
	for _, raw := range posts {
		size += int64(len(raw))
	}
	b.SetBytes(size)
	for b.Loop() {
		for name, raw := range posts {
			ParsePost(name, raw, siteOpts)
		}
	}
}
