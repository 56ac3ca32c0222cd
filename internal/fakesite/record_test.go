package fakesite

import (
	"io"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := newCorpusSite(t, clock)
	srv := serve(t, s)
	first, body := get(t, srv.Client(), "GET", srv.URL+wuzhouURL, map[string]string{"User-Agent": "wzdaily-test/1", "Accept-Encoding": "identity"})
	etag := first.Header.Get("ETag")
	get(t, srv.Client(), "GET", srv.URL+wuzhouURL, map[string]string{
		"User-Agent": "wzdaily-test/1", "If-None-Match": etag, "If-Modified-Since": first.Header.Get("Last-Modified"),
	})
	get(t, srv.Client(), "HEAD", srv.URL+"/missing", nil)

	reqs := s.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests recorded, want 3", len(reqs))
	}
	r0, r1, r2 := reqs[0], reqs[1], reqs[2]
	if r0.Method != "GET" || r0.Path != wuzhouURL || r0.Status != 200 || r0.UserAgent != "wzdaily-test/1" ||
		r0.Bytes != int64(len(body)) || !r0.Time.Equal(clock.Now()) {
		t.Errorf("first request recorded as %+v", r0)
	}
	if r1.Status != 304 || r1.IfNoneMatch != etag || r1.IfModifiedSince != first.Header.Get("Last-Modified") || r1.Bytes != 0 {
		t.Errorf("revalidation recorded as %+v", r1)
	}
	if r2.Method != "HEAD" || r2.Status != 404 || r2.Bytes != 0 {
		t.Errorf("HEAD of a missing page recorded as %+v", r2)
	}
	if s.Count(wuzhouURL, 200) != 1 || s.Count(wuzhouURL, 304) != 1 || s.Count("", 404) != 1 || s.Total() != 3 {
		t.Errorf("counts: 200=%d 304=%d 404=%d total=%d", s.Count(wuzhouURL, 200), s.Count(wuzhouURL, 304), s.Count("", 404), s.Total())
	}
	s.Reset()
	if len(s.Requests()) != 0 || s.Total() != 0 || s.Count(wuzhouURL, 200) != 0 || s.MaxInFlight() != 0 {
		t.Errorf("Reset left %d requests, total %d, max in flight %d", len(s.Requests()), s.Total(), s.MaxInFlight())
	}
}

func TestMaxInFlight(t *testing.T) {
	tests := map[string]struct {
		conns, requests, want int
	}{
		"unlimited client": {0, 5, 5},
		"two per host":     {2, 6, 2},
		"one per host":     {1, 3, 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newCorpusSite(t, newFakeClock())
			srv := serve(t, s)
			if err := s.Fail("*", Fault{Delay: 150 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			transport := srv.Client().Transport.(*http.Transport).Clone()
			transport.MaxConnsPerHost = tc.conns
			client := &http.Client{Transport: transport}
			t.Cleanup(transport.CloseIdleConnections)
			var wg sync.WaitGroup
			for range tc.requests {
				wg.Go(func() {
					resp, err := client.Get(srv.URL + wuzhouURL)
					if err != nil {
						t.Errorf("GET: %v", err)
						return
					}
					// Draining lets the connection be reused, so a
					// limited client never has two requests on the wire.
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				})
			}
			wg.Wait()
			waitFor(t, "all handlers returning", func() bool { return s.InFlight() == 0 })
			if got := s.MaxInFlight(); got != tc.want {
				t.Errorf("MaxInFlight = %d, want %d", got, tc.want)
			}
			if got := s.Count(wuzhouURL, 200); got != tc.requests {
				t.Errorf("%d requests got 200, want %d", got, tc.requests)
			}
		})
	}
}
