package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"wzdaily/internal/clocktest"
)

func TestSearchAndFeedsAreLimitedPerAddress(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2022, 2, 11, 8, 0, 0, 0, time.UTC))
	s := newServer(t, sampleStore(t), Options{Now: clock.Now, SearchRate: Rate{PerSecond: 0.5, Burst: 2}, FeedRate: Rate{PerSecond: 1, Burst: 1}})
	from := func(addr, path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	search := "/search?q=" + url.QueryEscape("公司")
	for i := range 2 {
		if w := from("192.0.2.1:1", search); w.Code != http.StatusOK {
			t.Fatalf("search %d: %d", i, w.Code)
		}
	}
	w := from("192.0.2.1:2", search) // another port, the same client
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Fatalf("third search: %d, Retry-After %q; want 429 after 2s", w.Code, w.Header().Get("Retry-After"))
	}
	if w := from("198.51.100.7:1", search); w.Code != http.StatusOK {
		t.Errorf("another client: %d", w.Code)
	}
	// Article pages are not limited; feeds have their own allowance.
	if w := from("192.0.2.1:1", "/robots.txt"); w.Code != http.StatusOK {
		t.Errorf("robots.txt: %d", w.Code)
	}
	if w := from("192.0.2.1:1", "/feeds/search?q=x"); w.Code == http.StatusTooManyRequests {
		t.Error("the feed shares the search's allowance")
	}
	clock.Advance(2 * time.Second)
	if w := from("192.0.2.1:1", search); w.Code != http.StatusOK {
		t.Errorf("after Retry-After: %d", w.Code)
	}
}

func TestLimiterForgetsFullBuckets(t *testing.T) {
	clock := clocktest.NewManual(time.Date(2022, 2, 11, 8, 0, 0, 0, time.UTC))
	l := newLimiter(Rate{PerSecond: 1, Burst: 1}, clock.Now)
	for i := range limiterMost {
		l.wait(url.PathEscape(string(rune(0x4e00 + i))))
	}
	clock.Advance(time.Second)
	l.wait("last")
	if len(l.by) != 1 {
		t.Errorf("%d addresses kept, want only the newest", len(l.by))
	}
}
