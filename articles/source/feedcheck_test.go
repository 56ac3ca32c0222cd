package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/internal/fakesite"
)

const feedHead = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2022-01-01T00:00:00+08:00</updated>`

// feedEntry is one entry as jekyll-feed writes it, with its content.
func feedEntry(content string) string {
	return `<entry><title>梧州新闻</title><link href="https://finews.withounder.com/wuzhouribao/2022/02/11/NW1.html"/>` +
		`<published>2022-02-11T09:04:31+08:00</published><updated>2022-02-11T09:04:31+08:00</updated><id>urn:e</id>` +
		`<content type="html" xml:base="https://finews.withounder.com/wuzhouribao/2022/02/11/NW1.html">` + content + `</content></entry>`
}

// fillTo repeats unit between head and tail up to size bytes.
func fillTo(size int, head, unit, tail string) []byte {
	return []byte(head + strings.Repeat(unit, (size-len(head)-len(tail))/len(unit)) + tail)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestFeedParseMemoryIsBounded(t *testing.T) {
	const fetchCap = 8 << 20 // the fetcher's default size cap
	const limit = 100 << 20
	entryHead := strings.TrimSuffix(feedEntry(""), "</content></entry>")
	cases := map[string]struct {
		body    []byte
		wantErr error // nil: parses, with at least one item
	}{
		"8 MiB of nested elements":  {fillTo(fetchCap, feedHead, "<a>", ""), ErrMalformedFeed},
		"8 MiB of tiny entries":     {fillTo(fetchCap, feedHead, "<entry/>", "</feed>"), ErrMalformedFeed},
		"8 MiB of categories":       {fillTo(fetchCap, feedHead+"<entry>", `<category term="x"/>`, "</entry></feed>"), ErrMalformedFeed},
		"8 MiB of attributes":       {fillTo(fetchCap, feedHead+`<entry a="1" `, `b="1" `, "/></feed>"), ErrMalformedFeed},
		"attributes hiding their >": {fillTo(fetchCap, feedHead+`<entry a="1" `, `b=">" `, "/></feed>"), ErrMalformedFeed},
		"8 MiB of content":          {fillTo(fetchCap, feedHead+entryHead, "&lt;a href=x&gt;梧州&lt;/a&gt;", "</content></entry></feed>"), ErrTooLarge},
		"the cap of HTML content":   {fillTo(DefaultMaxFeedBytes, feedHead+entryHead, "&lt;a href=x&gt;梧州&lt;/a&gt;", "</content></entry></feed>"), nil},
		"the cap of tiny elements":  {fillTo(DefaultMaxFeedBytes, feedHead+entryHead+"<![CDATA[", "<i>", "]]></content></entry></feed>"), nil},
		"the most entries allowed":  {[]byte(feedHead + strings.Repeat(feedEntry("&lt;p&gt;x&lt;/p&gt;"), maxFeedNodes/11) + "</feed>"), nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var items int
			var err error
			n := allocated(func() {
				feed, perr := parseFeed(c.body, DefaultMaxFeedBytes)
				err = perr
				if feed != nil {
					items = len(feed.Items)
				}
			})
			if n > limit {
				t.Errorf("a %d-byte feed took %d MB to parse, over %d MB", len(c.body), n>>20, limit>>20)
			}
			switch {
			case c.wantErr == nil && (err != nil || items == 0):
				t.Errorf("parse: %d items, %v; want it read", items, err)
			case c.wantErr != nil && !errors.Is(err, c.wantErr):
				t.Errorf("err = %v, want %v", err, c.wantErr)
			}
		})
	}
}

func TestCheckFeedReportsMalformedFeeds(t *testing.T) {
	cases := map[string]string{
		"truncated":             feedHead + feedEntry("x")[:40],
		"mismatched tags":       feedHead + "<entry><title>x</id></entry></feed>",
		"not XML":               "梧州日报",
		"an HTML page":          "<!DOCTYPE html><html><body><p>x</p></body></html>",
		"two roots":             feedHead + "</feed><feed></feed>",
		"another root":          `<?xml version="1.0"?><sitemap><url/></sitemap>`,
		"empty":                 "",
		"an unterminated quote": feedHead + `<entry a="`,
	}
	for name, body := range cases {
		if _, err := parseFeed([]byte(body), DefaultMaxFeedBytes); !errors.Is(err, ErrMalformedFeed) {
			t.Errorf("%s: err = %v, want ErrMalformedFeed", name, err)
		}
	}
	// What real feeds hold is fine: control characters copied from a post,
	// comments and CDATA with markup in them, another encoding.
	ok := map[string]string{
		"a control character": feedHead + feedEntry("梧州\x0b日报") + "</feed>",
		"a comment with <":    feedHead + "<!-- <entry> -->" + feedEntry("x") + "</feed>",
		"CDATA with markup":   feedHead + feedEntry(`<![CDATA[<p a=">">x</p>]]>`) + "</feed>",
		"RSS":                 `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://finews.withounder.com/wuzhouribao/2022/02/11/NW1.html</link></item></channel></rss>`,
		"GBK":                 "<?xml version=\"1.0\" encoding=\"GBK\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>\xce\xe0\xd6\xdd</title><entry><title>x</title></entry></feed>",
	}
	for name, body := range ok {
		feed, err := parseFeed([]byte(body), DefaultMaxFeedBytes)
		if err != nil || len(feed.Items) != 1 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFeedSourceFailsOnAMalformedFeed(t *testing.T) {
	nested := fillTo(8<<20, feedHead, "<a>", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(nested)
	}))
	defer srv.Close()
	store := newStore(t)
	feed := &Feed{URL: srv.URL + "/feed.xml", Fetcher: testFetcher(&recordSleep{}, FetcherOptions{})}
	rep, err := store.Ingest(context.Background(), feed, articles.IngestOptions{})
	if !errors.Is(err, ErrMalformedFeed) || rep.Read != 0 {
		t.Fatalf("a deeply nested feed: %+v %v; want ErrMalformedFeed", rep, err)
	}
	list, err := store.Sources(context.Background())
	if err != nil || len(list) != 1 || list[0].LastOutcome != articles.RunFailed || !strings.Contains(list[0].LastError, "malformed feed") {
		t.Errorf("the run is not recorded as failed: %+v %v", list, err)
	}

	// A feed cut short by a dropped connection fails too.
	ts := newTestSite(t, 1)
	ts.site.Fail("/feed.xml", fakesite.Fault{Truncate: true})
	feed = &Feed{URL: ts.srv.URL + "/feed.xml", Fetcher: testFetcher(ts.sleep, FetcherOptions{Retries: -1})}
	if _, err := newStore(t).Ingest(context.Background(), feed, articles.IngestOptions{}); err == nil {
		t.Errorf("a truncated feed was read without an error")
	}
}

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(feedHead + feedEntry("&lt;p&gt;梧州&lt;/p&gt;") + "</feed>"))
	f.Add([]byte(feedHead + "<!-- <a> --><![CDATA[<b>]]>" + `<entry a=">"/></feed>`))
	f.Add([]byte(`<?xml version="1.0"?><rss><channel><item><title>x</title></item></channel></rss>`))
	f.Add([]byte(feedHead + strings.Repeat("<a>", 100)))
	f.Fuzz(func(t *testing.T, body []byte) {
		feed, err := parseFeed(body, 1<<16)
		if err != nil {
			if !errors.Is(err, ErrMalformedFeed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("an error of another kind: %v", err)
			}
			return
		}
		if feed == nil {
			t.Fatal("no feed and no error")
		}
	})
}
