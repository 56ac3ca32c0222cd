package health

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db/dbtest"
	"wzdaily/subscribers"
)

// flaky is a source that fails while broken is set.
type flaky struct{ broken bool }

func (f *flaky) Name() string { return "site" }
func (f *flaky) Fetch(ctx context.Context, _ articles.State, emit func(articles.Item) error) error {
	if f.broken {
		return errors.New("GET https://finews.withounder.com/wuzhouribao/: 502 Bad Gateway")
	}
	return nil
}

func newChecker(t *testing.T) (*Checker, *articles.Store, *clocktest.Manual) {
	t.Helper()
	clock := clocktest.NewManual(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	conn := dbtest.Open(t, articles.Schema(), subscribers.Schema(), digest.Schema())
	store := articles.NewStore(conn, articles.StoreOptions{Now: clock.Now})
	return &Checker{DB: conn, Articles: store, Now: clock.Now, StaleAfter: 48 * time.Hour}, store, clock
}

func TestHealthyThenAFailingSource(t *testing.T) {
	c, store, clock := newChecker(t)
	ctx := context.Background()
	src := &flaky{}
	store.Ingest(ctx, src, articles.IngestOptions{})
	r := c.Check(ctx)
	if !r.Healthy || len(r.Parts) != 2 || r.Parts[0].Detail != "writable" {
		t.Fatalf("healthy bot: %+v", r)
	}
	src.broken = true
	clock.Advance(time.Hour)
	store.Ingest(ctx, src, articles.IngestOptions{})
	r = c.Check(ctx)
	if r.Healthy || r.Parts[1].OK || !strings.Contains(r.Parts[1].Detail, "502 Bad Gateway") {
		t.Fatalf("failing source: %+v", r)
	}
	src.broken = false
	clock.Advance(time.Hour)
	store.Ingest(ctx, src, articles.IngestOptions{})
	if r := c.Check(ctx); !r.Healthy {
		t.Errorf("recovered source still unhealthy: %+v", r)
	}
}

func TestATransportDownIsUnhealthyAndNotReady(t *testing.T) {
	c, _, _ := newChecker(t)
	up := true
	c.Transports = map[string]Transport{"wechat": func() Part { return Part{Name: "wechat", OK: up, Detail: "state"} }}
	srv := httptest.NewServer(Handler(c, prometheus.NewRegistry()))
	defer srv.Close()
	get := func(path string) (int, map[string]any) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatalf("%s: not JSON: %s", path, b)
		}
		return resp.StatusCode, body
	}
	if code, body := get("/healthz"); code != 200 || body["healthy"] != true {
		t.Fatalf("healthz: %d %v", code, body)
	}
	up = false
	if code, body := get("/healthz"); code != 503 || body["healthy"] != false {
		t.Errorf("healthz with WeChat down: %d %v", code, body)
	}
	if code, body := get("/readyz"); code != 503 || body["ready"] != false {
		t.Errorf("readyz with WeChat down: %d %v", code, body)
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("metrics: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestServeRefusesAPublicAddress(t *testing.T) {
	err := Serve(context.Background(), "0.0.0.0:0", http.NotFoundHandler(), false)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("listening on all addresses: %v", err)
	}
}
