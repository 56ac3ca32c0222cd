package fakesite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"wzdaily/internal/clocktest"
	"wzdaily/internal/sample"
)

const (
	wuzhouKey = "_posts/2022-02-11-NW202202112273376235.md"
	wuzhouURL = "/wuzhouribao/2022/02/11/NW202202112273376235.html"
	initKey   = "_posts/2021-12-01-init.md"
	initURL   = "/sitenews/2021/12/01/init.html"
	oldKey    = "_posts/2021-12-08-202112082206672930.md"
	oldURL    = "/emnews/2021/12/08/202112082206672930.html"
)

// newFakeClock is a settable clock for Options.Now.
func newFakeClock() *clocktest.Manual {
	return clocktest.NewManual(time.Date(2022, 5, 26, 1, 0, 0, 0, time.UTC))
}

// newTestSite is New, failing the test on an error.
func newTestSite(t *testing.T, opts Options) *Site {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// newCorpusSite is the site as captured, on clock.
func newCorpusSite(t *testing.T, clock *clocktest.Manual) *Site {
	t.Helper()
	return newTestSite(t, Options{Now: clock.Now})
}

// samplePost returns a post file of the sample.
func samplePost(t *testing.T, name string) []byte {
	t.Helper()
	raw, ok := sample.Posts()[name]
	if !ok {
		t.Fatalf("no sample post %s", name)
	}
	return raw
}

// serve starts an httptest server for s. Faults are cleared before the
// server closes so no request is left hanging.
func serve(t *testing.T, s *Site) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(s.ClearFaults)
	return srv
}

// get sends a request and returns the response with its body read.
func get(t *testing.T, client *http.Client, method, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, body
}

// page returns a served page or fails the test.
func page(t *testing.T, s *Site, path string) string {
	t.Helper()
	b, ok := s.Page(path)
	if !ok {
		t.Fatalf("Page(%q): not found", path)
	}
	return string(b)
}

// waitFor polls cond until it holds, for 5 s at most.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	clocktest.Eventually(t, 5*time.Second, what, cond)
}
