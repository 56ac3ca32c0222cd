package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"wzdaily/articles"
	"wzdaily/internal/fakesite"
)

// elsewhere is another host: it counts the requests that reach it. Its
// address names it "localhost", where the site is "127.0.0.1".
func elsewhere(t *testing.T) (base string, hits *atomic.Int32) {
	t.Helper()
	hits = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`<ul><li><a href="/wuzhouribao/2022/02/11/NW1.html">x</a></li></ul>`))
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return "http://localhost:" + u.Port(), hits
}

func TestSiteSourceRefusesRedirectsToAnotherHost(t *testing.T) {
	ctx := context.Background()
	other, hits := elsewhere(t)
	ts := newTestSite(t, 2)
	store := newStore(t)

	ts.site.Fail("/category/wuzhouribao.html", fakesite.Fault{Redirect: other + "/latest/meta-data/"})
	_, err := store.Ingest(ctx, ts.source(FetcherOptions{}), articles.IngestOptions{})
	if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), other+"/latest/meta-data/") {
		t.Fatalf("category page redirected off the site: err = %v, want ErrRedirect naming the target", err)
	}

	ts.site.ClearFaults()
	var post string
	for _, p := range ts.site.Paths() {
		if strings.HasPrefix(p, "/wuzhouribao/") {
			post = p
			break
		}
	}
	ts.site.Fail(post, fakesite.Fault{Redirect: other + post, Status: 301})
	rep, err := store.Ingest(ctx, ts.source(FetcherOptions{}), articles.IngestOptions{})
	if err == nil || rep.New != 2 {
		t.Fatalf("a post page redirected off the site: %+v %v; want the others stored and the poll failed", rep, err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other host got %d requests", n)
	}
}

func TestSiteSourceFollowsRedirectsOnItsHost(t *testing.T) {
	ts := newTestSite(t, 2)
	ts.site.Fail("/category/wuzhouribao.html", fakesite.Fault{Redirect: "/category/wuzhouribao.html?moved", Times: 1})
	rep, err := newStore(t).Ingest(context.Background(), ts.source(FetcherOptions{}), articles.IngestOptions{})
	if err != nil || rep.New != 3 {
		t.Fatalf("a redirect on the site's host: %+v %v", rep, err)
	}
}

func TestFetcherRedirectPolicy(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer tlsSrv.Close()
	plain := httptest.NewServer(tlsSrv.Config.Handler)
	defer plain.Close()
	other, hits := elsewhere(t)
	tlsURL, _ := url.Parse(tlsSrv.URL)
	otherPort := "http://127.0.0.1:" + tlsURL.Port() // the TLS port, spoken to in plain http

	cases := map[string]struct {
		start, to string
		ok        bool
	}{
		"same host and port":             {plain.URL, plain.URL + "/x", true},
		"http to https on the same host": {plain.URL, tlsSrv.URL + "/x", true},
		"https to http is a downgrade":   {tlsSrv.URL, plain.URL + "/x", false},
		"another host":                   {plain.URL, other + "/x", false},
		"another port, same scheme":      {plain.URL, otherPort + "/x", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			f := testFetcher(&recordSleep{}, FetcherOptions{Client: tlsSrv.Client()})
			resp, err := f.Get(context.Background(), c.start+"/?to="+url.QueryEscape(c.to), Validators{})
			switch {
			case c.ok && (err != nil || string(resp.Body) != "ok"):
				t.Errorf("redirect to %s: %v, want it followed", c.to, err)
			case !c.ok && !errors.Is(err, ErrRedirect):
				t.Errorf("redirect to %s: err = %v, want ErrRedirect", c.to, err)
			}
		})
	}
	if hits.Load() != 0 {
		t.Errorf("the other host got %d requests", hits.Load())
	}
	// The caller's client keeps its own policy.
	if tlsSrv.Client().CheckRedirect != nil {
		t.Errorf("NewFetcher changed the client it was given")
	}
}

func TestFetcherStopsARedirectLoop(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := testFetcher(&recordSleep{}, FetcherOptions{}).Get(context.Background(), srv.URL+"/a", Validators{})
	if !errors.Is(err, ErrRedirect) || !strings.Contains(err.Error(), "more than 10 redirects") {
		t.Fatalf("err = %v, want the loop refused", err)
	}
}
