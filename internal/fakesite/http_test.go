package fakesite

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

// noRedirect is a client that reports redirects instead of following them.
func noRedirect(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

func TestServeStatusAndHeaders(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	client := noRedirect(srv.Client())
	tests := map[string]struct {
		method, path string
		status       int
		contentType  string
		bodyHas      string
	}{
		"post":             {"GET", wuzhouURL, 200, "text/html; charset=utf-8", "<h1>加快我市"},
		"index":            {"GET", "/", 200, "text/html; charset=utf-8", "<h2 id=\"梧州日报新闻\">"},
		"index.html":       {"GET", "/index.html", 200, "text/html; charset=utf-8", "<h2 id=\"梧州日报新闻\">"},
		"without .html":    {"GET", "/category/wuzhouribao", 200, "text/html; charset=utf-8", wuzhouURL},
		"query ignored":    {"GET", "/feed.xml?x=1", 200, "application/atom+xml; charset=utf-8", "<feed"},
		"escaped path":     {"GET", "/emnews/2021/12/08/%32%30%32112082206672930.html", 200, "text/html; charset=utf-8", "离岸人民币"},
		"unknown path":     {"GET", "/emnews/2021/12/01/gone.html", 404, "text/html; charset=utf-8", "404 Not Found"},
		"old_post is gone": {"GET", "/old_post/2021-12-08-202112082206672930.html", 404, "text/html; charset=utf-8", "<html"},
		"head":             {"HEAD", wuzhouURL, 200, "text/html; charset=utf-8", ""},
		"post method":      {"POST", wuzhouURL, 405, "text/html; charset=utf-8", "405"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, client, tc.method, srv.URL+tc.path, nil)
			if resp.StatusCode != tc.status {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("%s %s: Content-Type %q, want %q", tc.method, tc.path, ct, tc.contentType)
			}
			if !bytes.Contains(body, []byte(tc.bodyHas)) {
				t.Errorf("%s %s: body lacks %q", tc.method, tc.path, tc.bodyHas)
			}
			if tc.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD returned %d body bytes", len(body))
			}
			if tc.status == 200 && (resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "") {
				t.Errorf("%s %s: 200 without ETag or Last-Modified", tc.method, tc.path)
			}
		})
	}
}

// TestConditionalRequests follows RFC 9110 section 13.2.2: If-None-Match
// decides when present, If-Modified-Since only without it.
func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	client := srv.Client()
	first, _ := get(t, client, "GET", srv.URL+wuzhouURL, nil)
	etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
		t.Fatalf("ETag %q is not quoted", etag)
	}
	lm, err := http.ParseTime(lastMod)
	if err != nil {
		t.Fatalf("Last-Modified %q: %v", lastMod, err)
	}
	tests := map[string]struct {
		header map[string]string
		status int
	}{
		"matching ETag":               {map[string]string{"If-None-Match": etag}, 304},
		"weak form matches":           {map[string]string{"If-None-Match": "W/" + etag}, 304},
		"in a list":                   {map[string]string{"If-None-Match": `"nope", ` + etag}, 304},
		"star":                        {map[string]string{"If-None-Match": "*"}, 304},
		"other ETag":                  {map[string]string{"If-None-Match": `"nope"`}, 200},
		"same Last-Modified":          {map[string]string{"If-Modified-Since": lastMod}, 304},
		"later date":                  {map[string]string{"If-Modified-Since": lm.Add(time.Hour).Format(http.TimeFormat)}, 304},
		"earlier date":                {map[string]string{"If-Modified-Since": lm.Add(-time.Second).Format(http.TimeFormat)}, 200},
		"bad date":                    {map[string]string{"If-Modified-Since": "yesterday"}, 200},
		"ETag wins over a fresh date": {map[string]string{"If-None-Match": `"nope"`, "If-Modified-Since": lastMod}, 200},
		"ETag wins over a stale date": {map[string]string{"If-None-Match": etag, "If-Modified-Since": lm.Add(-time.Hour).Format(http.TimeFormat)}, 304},
		"no validators":               {nil, 200},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, client, "GET", srv.URL+wuzhouURL, tc.header)
			if resp.StatusCode != tc.status {
				t.Fatalf("headers %v: status %d, want %d", tc.header, resp.StatusCode, tc.status)
			}
			if tc.status == 304 && (len(body) != 0 || resp.Header.Get("ETag") == "") {
				t.Errorf("304 with %d body bytes and ETag %q", len(body), resp.Header.Get("ETag"))
			}
		})
	}
	if got := s.Count(wuzhouURL, 304); got != 7 {
		t.Errorf("Count(304) = %d, want 7", got)
	}
}

// Changing a post changes exactly the pages that show it, except the
// index, which the fake serves as captured (the bot never reads it).
func TestChangedPostChangesOnlyAffectedValidators(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := newCorpusSite(t, clock)
	srv := serve(t, s)
	paths := []string{wuzhouURL, "/category/wuzhouribao.html", "/", "/feed.xml", oldURL, initURL, "/category/emnews.html", "/category/anhuiribao.html"}
	validators := func() map[string][2]string {
		m := map[string][2]string{}
		for _, p := range paths {
			resp, _ := get(t, srv.Client(), "GET", srv.URL+p, nil)
			m[p] = [2]string{resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")}
		}
		return m
	}
	before := validators()
	clock.Advance(time.Hour)
	changed := bytes.Replace(samplePost(t, wuzhouKey), []byte("title: \"加快"), []byte("title: \"改版：加快"), 1)
	if err := s.AddPost(wuzhouKey, changed); err != nil {
		t.Fatal(err)
	}
	after := validators()
	wantChanged := map[string]bool{wuzhouURL: true, "/category/wuzhouribao.html": true, "/feed.xml": true}
	for _, p := range paths {
		etagChanged := before[p][0] != after[p][0]
		lmChanged := before[p][1] != after[p][1]
		if etagChanged != wantChanged[p] || lmChanged != wantChanged[p] {
			t.Errorf("%s: ETag changed %v, Last-Modified changed %v; want %v", p, etagChanged, lmChanged, wantChanged[p])
		}
	}
	if got := after[wuzhouURL][1]; got != clock.Now().UTC().Format(http.TimeFormat) {
		t.Errorf("Last-Modified %s, want the clock's %s", got, clock.Now().UTC().Format(http.TimeFormat))
	}
	if !strings.Contains(page(t, s, "/category/wuzhouribao.html"), "改版：加快") {
		t.Errorf("category page does not show the new title")
	}

	// An old post's body: only its own page changes.
	before = after
	clock.Advance(time.Hour)
	if err := s.AddPost(oldKey, append(samplePost(t, oldKey), "\n\n更正"...)); err != nil {
		t.Fatal(err)
	}
	after = validators()
	for _, p := range paths {
		if changed := before[p][0] != after[p][0]; changed != (p == oldURL) {
			t.Errorf("after editing an old post body, %s ETag changed = %v", p, changed)
		}
	}
	if !strings.Contains(page(t, s, oldURL), "<p>更正</p>") {
		t.Errorf("%s does not show the new paragraph", oldURL)
	}
}
