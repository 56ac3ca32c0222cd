package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recordSleep replaces waiting with a record of what would have been waited.
type recordSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recordSleep) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return ctx.Err()
}

func testFetcher(rs *recordSleep, opts FetcherOptions) *Fetcher {
	opts.Sleep = rs.sleep
	return NewFetcher(opts)
}

func TestFetcherSendsUserAgentAndConditionalHeaders(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Wed, 25 Nov 2026 10:00:00 GMT")
		w.Write([]byte("hello"))
	}))
	defer srv.Close()
	f := testFetcher(&recordSleep{}, FetcherOptions{})
	resp, err := f.Get(context.Background(), srv.URL, Validators{})
	if err != nil || string(resp.Body) != "hello" || resp.Validators.ETag != `"v1"` {
		t.Fatalf("first get: %+v %v", resp, err)
	}
	if !strings.Contains(got.Get("User-Agent"), "wzdaily") {
		t.Errorf("User-Agent %q does not name the bot", got.Get("User-Agent"))
	}
	resp, err = f.Get(context.Background(), srv.URL, resp.Validators)
	if err != nil || !resp.NotModified || len(resp.Body) != 0 {
		t.Fatalf("conditional get: %+v %v", resp, err)
	}
	if got.Get("If-Modified-Since") != "Wed, 25 Nov 2026 10:00:00 GMT" {
		t.Errorf("If-Modified-Since = %q", got.Get("If-Modified-Since"))
	}
	if resp.Validators.ETag != `"v1"` {
		t.Errorf("a 304 without headers lost the stored ETag: %+v", resp.Validators)
	}
}

func TestFetcherRetries(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		fail      func(w http.ResponseWriter)
		failures  int
		wantErr   error
		wantWaits []time.Duration // exact waits; nil means "backoff within bounds"
		wantTries int32
	}{
		"503 with Retry-After seconds": {func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(503)
		}, 2, nil, []time.Duration{7 * time.Second, 7 * time.Second}, 3},
		"429 with an HTTP date": {func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", now.Add(30*time.Second).Format(http.TimeFormat))
			w.WriteHeader(429)
		}, 1, nil, []time.Duration{30 * time.Second}, 2},
		"500 without Retry-After backs off": {func(w http.ResponseWriter) { w.WriteHeader(500) }, 2, nil, nil, 3},
		"a 5xx that never ends gives up":    {func(w http.ResponseWriter) { w.WriteHeader(502) }, 99, ErrGaveUp, nil, 4},
		"404 is not retried":                {func(w http.ResponseWriter) { w.WriteHeader(404) }, 99, ErrStatus, []time.Duration{}, 1},
		"a Retry-After beyond the cap gives up at once": {func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "86400")
			w.WriteHeader(503)
		}, 99, ErrGaveUp, []time.Duration{}, 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			var tries atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(tries.Add(1)) <= c.failures {
					c.fail(w)
					return
				}
				w.Write([]byte("ok"))
			}))
			defer srv.Close()
			rs := &recordSleep{}
			f := testFetcher(rs, FetcherOptions{Now: func() time.Time { return now }, Backoff: time.Second, MaxBackoff: time.Minute})
			resp, err := f.Get(context.Background(), srv.URL, Validators{})
			if c.wantErr != nil {
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("err = %v, want %v", err, c.wantErr)
				}
			} else if err != nil || string(resp.Body) != "ok" {
				t.Fatalf("get: %v %v", resp, err)
			}
			if tries.Load() != c.wantTries {
				t.Errorf("%d attempts, want %d", tries.Load(), c.wantTries)
			}
			if c.wantWaits != nil {
				if len(rs.waits) != len(c.wantWaits) {
					t.Fatalf("waits %v, want %v", rs.waits, c.wantWaits)
				}
				for i := range c.wantWaits {
					if rs.waits[i] != c.wantWaits[i] {
						t.Errorf("waits %v, want %v", rs.waits, c.wantWaits)
					}
				}
			} else {
				for i, w := range rs.waits {
					hi := time.Second << i
					if w < hi/2 || w > hi {
						t.Errorf("wait %d = %v, want between %v and %v", i, w, hi/2, hi)
					}
				}
			}
		})
	}
}

func TestFetcherTimesOutAndRetries(t *testing.T) {
	var tries atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tries.Add(1) == 1 {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		w.Write([]byte("late but fine"))
	}))
	defer srv.Close()
	defer close(release)
	f := testFetcher(&recordSleep{}, FetcherOptions{Timeout: 100 * time.Millisecond})
	resp, err := f.Get(context.Background(), srv.URL, Validators{})
	if err != nil || string(resp.Body) != "late but fine" || resp.Attempts != 2 {
		t.Fatalf("get: %+v %v", resp, err)
	}
}

func TestFetcherCapsTheBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: the cap must hold while reading
		}
		w.Write([]byte(strings.Repeat("x", 5000)))
	}))
	defer srv.Close()
	f := testFetcher(&recordSleep{}, FetcherOptions{MaxBytes: 4096})
	for _, p := range []string{"/sized", "/chunked"} {
		if _, err := f.Get(context.Background(), srv.URL+p, Validators{}); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", p, err)
		}
	}
}

func TestFetcherLimitsConcurrencyPerHost(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // hold the slot so overlaps can happen
		inFlight.Add(-1)
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	f := testFetcher(&recordSleep{}, FetcherOptions{PerHost: 2})
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), srv.URL, Validators{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak.Load() > 2 {
		t.Errorf("%d requests in flight at once, the limit is 2", peak.Load())
	}
}

func TestFetcherRejectsNonHTTPURLs(t *testing.T) {
	f := testFetcher(&recordSleep{}, FetcherOptions{})
	for _, u := range []string{"file:///etc/passwd", "ftp://x/y", "not a url", ""} {
		if _, err := f.Get(context.Background(), u, Validators{}); err == nil {
			t.Errorf("%q was fetched", u)
		}
	}
}
