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
	"wzdaily/chat"
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

func TestTheDatabaseProbeCommitsAndIsReused(t *testing.T) {
	c, _, clock := newChecker(t)
	ctx := context.Background()
	beats := func() int {
		var n int
		if err := c.DB.QueryRow(`SELECT coalesce(max(beats), 0) FROM db_heartbeat`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for range 10 {
		if r := c.Check(ctx); !r.Healthy {
			t.Fatalf("healthy bot: %+v", r)
		}
	}
	if n := beats(); n != 1 {
		t.Errorf("%d committed probes for 10 checks within seconds, want 1", n)
	}
	// A disk that refuses to commit: a rollback-only probe would not see it.
	for _, q := range []string{
		`CREATE TRIGGER full_insert BEFORE INSERT ON db_heartbeat BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
		`CREATE TRIGGER full_update BEFORE UPDATE ON db_heartbeat BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
	} {
		if _, err := c.DB.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(6 * time.Second)
	r := c.Check(ctx)
	if r.Healthy || r.Parts[0].OK || !strings.Contains(r.Parts[0].Detail, "disk is full") {
		t.Errorf("on a full disk: %+v", r)
	}
}

// deliver gives the checker a deliverer to the platform "webhook", whose
// sender is never reached, and returns the stores it delivers from.
func deliver(c *Checker, store *articles.Store, clock *clocktest.Manual, webhook *digest.Platform) (*subscribers.Store, *digest.Engine) {
	sched := digest.NewSchedule(digest.ScheduleOptions{Articles: store, Now: clock.Now})
	subs := subscribers.NewStore(c.DB, subscribers.Options{Now: clock.Now, OnChange: sched.Changed})
	engine := digest.New(digest.Options{DB: c.DB, Articles: store, Subscribers: subs, Schedule: sched})
	c.Delivery = digest.NewDeliverer(digest.DelivererOptions{DB: c.DB, Engine: engine, Subscribers: subs, Now: clock.Now,
		Platforms: map[string]*digest.Platform{"webhook": webhook}})
	return subs, engine
}

func TestAPartThatFailsToBuildIsUnhealthy(t *testing.T) {
	c, store, clock := newChecker(t)
	ctx := context.Background()
	subs, engine := deliver(c, store, clock, &digest.Platform{})
	if r := c.Check(ctx); !r.Healthy || r.Parts[1].Name != "delivery" || r.Parts[1].Detail != "delivering" {
		t.Fatalf("healthy deliverer: %+v", r)
	}
	sub, err := subs.Upsert(ctx, chat.Key{Platform: "webhook", ChatID: "1"}, chat.Private, "", func(*subscribers.Subscriber) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Now(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DB.Exec(`UPDATE outbox SET message = 'corrupted', next_attempt_ms = 0`); err != nil {
		t.Fatal(err)
	}
	if err := c.Delivery.Flush(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	r := c.Check(ctx)
	if r.Healthy || r.Parts[1].OK || !strings.Contains(r.Parts[1].Detail, "1 parts fail to build") {
		t.Errorf("a part that fails to build: %+v", r)
	}
}

func TestTheListenerBoundsEveryPhase(t *testing.T) {
	s := server(http.NotFoundHandler())
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout <= 0 || s.WriteTimeout <= 0 || s.IdleTimeout <= 0 {
		t.Errorf("timeouts: header %s, read %s, write %s, idle %s", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout)
	}
}

// stopped is a source whose poll the program stops, as SIGTERM does.
type stopped struct{ stop context.CancelFunc }

func (s stopped) Name() string { return "site" }
func (s stopped) Fetch(ctx context.Context, _ articles.State, _ func(articles.Item) error) error {
	s.stop()
	return ctx.Err()
}

func TestAnInterruptedPollIsNotAFailingSource(t *testing.T) {
	c, store, clock := newChecker(t)
	store.Ingest(context.Background(), &flaky{}, articles.IngestOptions{})
	clock.Advance(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	store.Ingest(ctx, stopped{cancel}, articles.IngestOptions{})
	r := c.Check(context.Background())
	if !r.Healthy || !strings.Contains(r.Parts[1].Detail, "interrupted") {
		t.Errorf("after a poll stopped by the program: %+v", r)
	}
}

// Parts held for closed conversation windows are reported, in the report
// and its JSON, and are not a fault.
func TestHeldPartsAreReportedNotAFault(t *testing.T) {
	c, store, clock := newChecker(t)
	ctx := context.Background()
	subs, engine := deliver(c, store, clock, &digest.Platform{Window: &digest.Window{Span: 48 * time.Hour}})
	sub, err := subs.Upsert(ctx, chat.Key{Platform: "webhook", ChatID: "1"}, chat.Private, "", func(s *subscribers.Subscriber) error {
		s.EmptyNotice = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Check(ctx); r.Windows["webhook"] != (digest.WindowCounts{Open: 1}) {
		t.Fatalf("a new subscriber's window: %+v", r.Windows)
	}
	clock.Advance(49 * time.Hour)
	if _, err := engine.Now(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if err := c.Delivery.Flush(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	r := c.Check(ctx)
	if !r.Healthy || r.Parts[1].Detail != "delivering" || r.Outbox.Held != 1 ||
		r.Windows["webhook"] != (digest.WindowCounts{Closed: 1, HeldParts: 1, HeldChats: 1}) {
		t.Errorf("a held part: %+v, outbox %+v, windows %+v", r, r.Outbox, r.Windows)
	}
	body, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(body), `"windows":{"webhook":{"open":0,"closed":1,"held_parts":1,"held_chats":1}}`) ||
		!strings.Contains(string(body), `"held":1`) {
		t.Errorf("JSON: %s %v", body, err)
	}
}
