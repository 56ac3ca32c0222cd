package fakesite

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFeedHasTenNewestEntries(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	resp, body := get(t, srv.Client(), http.MethodGet, srv.URL+"/feed.xml", nil)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type %q, want application/atom+xml", ct)
	}
	f := parseAtom(t, body)
	if f.Lang != "zh-CN" || f.ID != "https://finews.withounder.com/feed.xml" || f.Title.Text != "金融消息" {
		t.Errorf("feed header: lang %q id %q title %q", f.Lang, f.ID, f.Title.Text)
	}
	if len(f.Entries) != 10 {
		t.Fatalf("feed has %d entries, want 10", len(f.Entries))
	}
	var prev time.Time
	for i, e := range f.Entries {
		pub, err := time.Parse(time.RFC3339, e.Published)
		if err != nil || !strings.HasSuffix(e.Published, "+08:00") {
			t.Errorf("entry %d published %q: not RFC 3339 with +08:00 (%v)", i, e.Published, err)
		}
		if i > 0 && pub.After(prev) {
			t.Errorf("entry %d (%s) is newer than entry %d", i, e.Published, i-1)
		}
		prev = pub
		if e.Updated != e.Published {
			t.Errorf("entry %d updated %q, want the post date %q", i, e.Updated, e.Published)
		}
		if e.Title.Type != "html" || e.Content.Type != "html" || e.Link.Rel != "alternate" {
			t.Errorf("entry %d: title type %q, content type %q, link rel %q", i, e.Title.Type, e.Content.Type, e.Link.Rel)
		}
		if e.Content.Base != e.Link.Href || !strings.HasPrefix(e.Link.Href, "https://finews.withounder.com/") {
			t.Errorf("entry %d: xml:base %q, link %q", i, e.Content.Base, e.Link.Href)
		}
		if e.ID != strings.TrimSuffix(e.Link.Href, ".html") {
			t.Errorf("entry %d: id %q, want the post id (URL without .html) of %q", i, e.ID, e.Link.Href)
		}
		if e.Author != "ZNing" || e.Summary.Text == "" || strings.TrimSpace(e.Content.Text) == "" {
			t.Errorf("entry %d: author %q, summary %q, content %d bytes", i, e.Author, e.Summary.Text, len(e.Content.Text))
		}
	}
	first := f.Entries[0]
	if first.Link.Href != "https://finews.withounder.com/emnews/2022/05/26/202205262391921712.html" {
		t.Errorf("newest entry is %s", first.Link.Href)
	}
	if len(first.Categories) != 2 || first.Categories[0].Term != "emnews" || first.Categories[1].Term != "东财滚动新闻" {
		t.Errorf("newest entry categories %+v, want emnews then 东财滚动新闻", first.Categories)
	}
	if !strings.HasPrefix(first.Summary.Text, "据霍尼韦尔官网消息") {
		t.Errorf("newest entry summary %q is not the digest line", first.Summary.Text)
	}
	if second := f.Entries[1]; second.Link.Href != "https://finews.withounder.com"+wuzhouURL {
		t.Errorf("second entry is %s, want the 梧州日报 post", second.Link.Href)
	}
}

func TestFeedUpdatedMovesOnlyWhenEntriesChange(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := newCorpusSite(t, clock)
	before := parseAtom(t, []byte(page(t, s, "/feed.xml"))).Updated

	clock.Advance(time.Hour)
	if err := s.AddPost(oldKey, append(samplePost(t, oldKey), "\n\n追加"...)); err != nil {
		t.Fatal(err)
	}
	if got := parseAtom(t, []byte(page(t, s, "/feed.xml"))).Updated; got != before {
		t.Errorf("feed <updated> moved from %s to %s though no entry changed", before, got)
	}

	clock.Advance(time.Hour)
	if err := s.AddPost("_posts/2022-05-27-new.md", []byte("---\ntitle: 新\ndate: 2022-05-27 08:00:00 +0800\ncategories: emnews\ntags: 东财滚动新闻\n---\n\n正文\n")); err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, []byte(page(t, s, "/feed.xml")))
	if want := clock.Now().In(time.FixedZone("", 8*3600)).Format(time.RFC3339); f.Updated != want {
		t.Errorf("feed <updated> %s after a new post, want %s", f.Updated, want)
	}
	if len(f.Entries) != 10 || f.Entries[0].Title.Text != "新" {
		t.Errorf("new post is not the first of 10 entries")
	}

	// Another change of the site, not of the feed, leaves it as it is.
	clock.Advance(time.Hour)
	if err := s.RemovePost(initKey); err != nil {
		t.Fatal(err)
	}
	if got := parseAtom(t, []byte(page(t, s, "/feed.xml"))).Updated; got != f.Updated {
		t.Errorf("feed <updated> moved from %s to %s though no entry changed", f.Updated, got)
	}
}

// A title is text in the feed: tags dropped, the rest escaped, so the feed
// stays well-formed.
func TestFeedEscapesTitles(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, Options{BaseURL: "http://127.0.0.1:1/"})
	if err := s.AddPost("_posts/2030-01-01-a.md", []byte("---\ntitle: 'A & B \"q\" <i>x</i>'\n---\nbody\n")); err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, []byte(page(t, s, "/feed.xml")))
	e := f.Entries[0]
	if e.Title.Text != `A & B "q" x` {
		t.Errorf("title %q", e.Title.Text)
	}
	if e.Link.Href != "http://127.0.0.1:1/2030/01/01/a.html" {
		t.Errorf("link %q does not use BaseURL", e.Link.Href)
	}
}
