package articles_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/db/dbtest"
	"wzdaily/subscribers"
)

// captureSender keeps the plain text of every message it is given.
type captureSender struct {
	mu    sync.Mutex
	texts []string
}

func (c *captureSender) Send(_ context.Context, _ chat.Key, m chat.Message) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.texts = append(c.texts, chat.PlainText(m))
	return "1", nil
}

// An outbox part names its articles by seq and is built when it is sent:
// one that names a pruned article leaves it out and still goes.
func TestPruneLeavesPrunedArticlesOutOfQueuedDigests(t *testing.T) {
	ctx := context.Background()
	zone := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, zone)
	clock := func() time.Time { return now }
	conn := dbtest.Open(t, articles.Schema(), subscribers.Schema(), digest.Schema())
	store := articles.NewStore(conn, articles.StoreOptions{Now: clock})
	sched := digest.NewSchedule(digest.ScheduleOptions{Articles: store, Now: clock})
	subs := subscribers.NewStore(conn, subscribers.Options{Now: clock, OnChange: sched.Changed})
	engine := digest.New(digest.Options{DB: conn, Articles: store, Subscribers: subs, Schedule: sched})
	sender := &captureSender{}
	deliver := digest.NewDeliverer(digest.DelivererOptions{DB: conn, Engine: engine, Subscribers: subs, Now: clock,
		Platforms: map[string]*digest.Platform{"t": {Sender: sender}}})

	key := chat.Key{Platform: "t", ChatID: "1"}
	sub, err := subs.Upsert(ctx, key, chat.Private, "", func(*subscribers.Subscriber) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	// Both arrive tonight; one is a backdated post from two years ago.
	for _, a := range []*articles.Article{
		{ID: "NW1", Title: "两年前的旧闻", Published: now.AddDate(-2, 0, 0), Body: "旧闻。", Lead: "旧闻。", Tags: []string{"梧州日报新闻"}},
		{ID: "NW2", Title: "今晚的新闻", Published: now.Add(-time.Hour), Body: "新闻。", Lead: "新闻。", Tags: []string{"梧州日报新闻"}},
	} {
		if _, err := store.Save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	now = time.Date(2026, 11, 26, 7, 30, 0, 0, zone)
	if rep, err := engine.RunDue(ctx); err != nil || rep.Digests != 1 || rep.Parts != 1 {
		t.Fatalf("compose: %+v %v", rep, err)
	}
	var items int
	if err := conn.QueryRow(`SELECT items FROM digests`).Scan(&items); err != nil || items != 2 {
		t.Fatalf("the queued digest holds %d articles (%v), want both", items, err)
	}
	if n, err := store.Prune(ctx, now.AddDate(-1, 0, 0)); err != nil || n != 1 {
		t.Fatalf("Prune = %d, %v; want 1", n, err)
	}
	if err := deliver.Flush(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	if len(sender.texts) != 1 {
		t.Fatalf("%d messages sent, want the queued part", len(sender.texts))
	}
	if text := sender.texts[0]; !strings.Contains(text, "今晚的新闻") || strings.Contains(text, "旧闻") {
		t.Errorf("the part reads:\n%s\nwant the kept article and not the pruned one", text)
	}
}
