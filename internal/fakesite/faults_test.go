package fakesite

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFaultStatusForNextRequests(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := newCorpusSite(t, clock)
	srv := serve(t, s)
	retryAt := clock.Now().Add(2 * time.Minute)
	tests := map[string]struct {
		fault      Fault
		retryAfter string
	}{
		"503 with seconds":  {Fault{Status: 503, RetryAfter: RetryAfterSeconds(120 * time.Second), Times: 2}, "120"},
		"429 with a date":   {Fault{Status: 429, RetryAfter: RetryAfterDate(retryAt), Times: 2}, retryAt.UTC().Format(http.TimeFormat)},
		"500 without retry": {Fault{Status: 500, Times: 2}, ""},
		"502":               {Fault{Status: 502, Times: 2}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s.ClearFaults()
			if err := s.Fail("/feed.xml", tc.fault); err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				resp, body := get(t, srv.Client(), "GET", srv.URL+"/feed.xml", nil)
				if resp.StatusCode != tc.fault.Status {
					t.Fatalf("request %d: status %d, want %d", i, resp.StatusCode, tc.fault.Status)
				}
				if got := resp.Header.Get("Retry-After"); got != tc.retryAfter {
					t.Errorf("Retry-After %q, want %q", got, tc.retryAfter)
				}
				if !strings.Contains(string(body), strconv.Itoa(tc.fault.Status)) {
					t.Errorf("error page does not name the status")
				}
			}
			if resp, _ := get(t, srv.Client(), "GET", srv.URL+"/feed.xml", nil); resp.StatusCode != 200 {
				t.Errorf("after Times requests: status %d, want 200", resp.StatusCode)
			}
		})
	}
}

func TestFaultPatterns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/feed.xml", "/feed.xml", true},
		{"/feed.xml", "/feed.xml2", false},
		{"/category/", "/category/wuzhouribao.html", true},
		{"/category/", "/categoryx", false},
		{"/emnews/2021/*/*/*.html", "/emnews/2021/12/08/x.html", true},
		{"/emnews/*.html", "/emnews/2021/12/08/x.html", false},
		{"*", "/anything/at/all", true},
		{"/", "/", true},
		{"/", "/feed.xml", false},
	}
	for _, tc := range tests {
		if got := matchPattern(tc.pattern, tc.path); got != tc.want {
			t.Errorf("matchPattern(%q, %q) = %v, want %v", tc.pattern, tc.path, got, tc.want)
		}
	}
}

func TestFailRejectsBadFaults(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	for _, tc := range []struct {
		pattern string
		f       Fault
	}{
		{"", Fault{Status: 500}},
		{"/[", Fault{Status: 500}},
		{"/x", Fault{Status: 42}},
		{"/x", Fault{Times: -1}},
	} {
		if err := s.Fail(tc.pattern, tc.f); err == nil {
			t.Errorf("Fail(%q, %+v) succeeded", tc.pattern, tc.f)
		}
	}
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	const delay = 200 * time.Millisecond
	if err := s.Fail(wuzhouURL, Fault{Delay: delay, Times: 1}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, body := get(t, srv.Client(), "GET", srv.URL+wuzhouURL, nil)
	if took := time.Since(start); took < delay || resp.StatusCode != 200 || !strings.Contains(string(body), "<h1>") {
		t.Errorf("delayed request: %v, status %d; want at least %v and the page", took, resp.StatusCode, delay)
	}

	// A client that gives up first ends the handler too.
	if err := s.Fail(wuzhouURL, Fault{Delay: time.Minute}); err != nil {
		t.Fatal(err)
	}
	client := srv.Client()
	client.Timeout = 50 * time.Millisecond
	if _, err := client.Get(srv.URL + wuzhouURL); err == nil {
		t.Fatalf("request under a one-minute delay succeeded within 50ms")
	}
	waitFor(t, "the delayed handler returning", func() bool { return s.InFlight() == 0 })
}

func TestFaultHangUntilClientGivesUp(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	if err := s.Fail("/feed.xml", Fault{Hang: true}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/feed.xml", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = srv.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hung request ended with %v, want the client's deadline", err)
	}
	waitFor(t, "the hung handler returning", func() bool { return s.InFlight() == 0 })
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 0 || last.Fault != "hang" {
		t.Errorf("recorded hang as status %d fault %q, want 0 and hang", last.Status, last.Fault)
	}
}

func TestClearFaultsReleasesHungRequests(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	if err := s.Fail("/feed.xml", Fault{Hang: true}); err != nil {
		t.Fatal(err)
	}
	done := make(chan int, 1)
	go func() {
		resp, err := srv.Client().Get(srv.URL + "/feed.xml")
		if err != nil {
			done <- -1
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	waitFor(t, "the request to hang", func() bool { return s.InFlight() == 1 })
	s.ClearFaults()
	select {
	case status := <-done:
		if status != 200 {
			t.Errorf("released request got %d, want 200", status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: ClearFaults did not release the hung request")
	}
}

func TestFaultOversize(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	tests := map[string]struct {
		path   string
		size   int64
		prefix string
		suffix string
	}{
		"large html": {wuzhouURL, 3<<20 + 7, "<!DOCTYPE html>", "</body></html>\n"},
		"tiny html":  {wuzhouURL, 10, "<!DOCTYPE ", ""},
		"feed":       {"/feed.xml", 1 << 20, "<?xml", "</feed>\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s.ClearFaults()
			if err := s.Fail(tc.path, Fault{Oversize: tc.size, Times: 1}); err != nil {
				t.Fatal(err)
			}
			resp, body := get(t, srv.Client(), "GET", srv.URL+tc.path, nil)
			if resp.StatusCode != 200 || int64(len(body)) != tc.size || resp.ContentLength != tc.size {
				t.Fatalf("status %d, %d bytes, Content-Length %d; want 200 and %d", resp.StatusCode, len(body), resp.ContentLength, tc.size)
			}
			if !strings.HasPrefix(string(body), tc.prefix) || !strings.HasSuffix(string(body), tc.suffix) {
				t.Errorf("body starts %q, ends %q", body[:min(20, len(body))], body[max(0, len(body)-20):])
			}
			if tc.path == "/feed.xml" {
				if err := xml.Unmarshal(body, new(atomFeed)); err != nil {
					t.Errorf("oversize feed is not well-formed: %v", err)
				}
			}
		})
	}
}

func TestFaultTruncate(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	if err := s.Fail("/feed.xml", Fault{Truncate: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Get(srv.URL + "/feed.xml")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading a truncated body: %v, want unexpected EOF", err)
	}
	if full := int64(len(page(t, s, "/feed.xml"))); resp.ContentLength != full || int64(len(body)) >= full {
		t.Errorf("Content-Length %d, read %d; want the full length %d and less read", resp.ContentLength, len(body), full)
	}
	waitFor(t, "the truncating handler returning", func() bool { return s.InFlight() == 0 })
}

func TestFaultGarble(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	if err := s.Fail("/feed.xml", Fault{Garble: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, srv.Client(), "GET", srv.URL+"/feed.xml", nil)
	want := page(t, s, "/feed.xml")
	if resp.StatusCode != 200 || len(body) != len(want) || string(body) == want {
		t.Fatalf("status %d, %d bytes (want %d), identical %v", resp.StatusCode, len(body), len(want), string(body) == want)
	}
	if utf8.Valid(body) {
		t.Errorf("garbled body is still valid UTF-8")
	}
	if err := xml.Unmarshal(body, new(atomFeed)); err == nil {
		t.Errorf("garbled feed still parses")
	}
}

func TestFaultOnMissingPathKeepsNotFound(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	if err := s.Fail("*", Fault{Truncate: true}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, srv.Client(), "GET", srv.URL+"/nope.html", nil); resp.StatusCode != 404 {
		t.Errorf("truncate on a missing path: status %d, want 404", resp.StatusCode)
	}
}

func TestFaultRedirect(t *testing.T) {
	t.Parallel()
	s := newCorpusSite(t, newFakeClock())
	srv := serve(t, s)
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	tests := map[string]struct {
		fault      Fault
		wantStatus int
	}{
		"to another host":           {Fault{Redirect: "http://169.254.169.254/latest/meta-data/"}, 302},
		"permanent, to a path":      {Fault{Redirect: "/feed.xml", Status: 301}, 301},
		"a non-3xx status is a 302": {Fault{Redirect: "/feed.xml", Status: 500}, 302},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s.ClearFaults()
			tc.fault.Times = 1
			if err := s.Fail(wuzhouURL, tc.fault); err != nil {
				t.Fatal(err)
			}
			resp, _ := get(t, client, "GET", srv.URL+wuzhouURL, nil)
			if resp.StatusCode != tc.wantStatus || resp.Header.Get("Location") != tc.fault.Redirect {
				t.Errorf("status %d, Location %q; want %d to %q", resp.StatusCode, resp.Header.Get("Location"), tc.wantStatus, tc.fault.Redirect)
			}
			if resp, _ := get(t, client, "GET", srv.URL+wuzhouURL, nil); resp.StatusCode != 200 {
				t.Errorf("after Times requests: status %d, want 200", resp.StatusCode)
			}
		})
	}
	// The request log names the fault.
	var found bool
	for _, r := range s.Requests() {
		found = found || strings.HasPrefix(r.Fault, "redirect 302 http://169.254.169.254/")
	}
	if !found {
		t.Errorf("no request recorded with the redirect fault: %+v", s.Requests())
	}
}
