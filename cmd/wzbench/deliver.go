package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/webhook"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/db"
	"wzdaily/internal/fakehook"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

// benchDeliver sends n one-part digests to a receiver that allows 30
// messages a second and answers more with 429, as Telegram does.
func benchDeliver(ctx context.Context, n int) error {
	fmt.Printf("## Delivery against a receiver that allows 30 messages/s\n\n")
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench deliver -n %d`  \n", n)
	fmt.Printf("Machine: %d CPUs, %s. %d chats, one part each, over loopback HTTP to internal/fakehook (30 messages/s over a sliding second, at least 1 s between two messages to a chat, 429 with retry_after beyond).\n\n", runtime.NumCPU(), runtime.Version(), n)
	fmt.Println("| sender | sent | time s | sustained msg/s | 429s | 429s after the first second |\n|---|---|---|---|---|---|")

	// Ours: the digest outbox's Deliverer with Telegram's limits.
	conn, subs, engine, err := outbox(ctx, n, "webhook")
	if err != nil {
		return err
	}
	defer conn.Close()
	fake := fakehook.New(fakehook.Options{Rate: 30, PerChat: time.Second})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	d := digest.NewDeliverer(digest.DelivererOptions{DB: conn, Engine: engine, Subscribers: subs, Poll: 50 * time.Millisecond,
		Platforms: map[string]*digest.Platform{"webhook": {Sender: webhook.New(webhook.Options{URL: srv.URL}),
			Rate: 29, ChatInterval: time.Second, GroupInterval: 3 * time.Second}}})
	start := time.Now()
	if err := drainOutbox(ctx, conn, d); err != nil {
		return err
	}
	report("ours: outbox Deliverer, token bucket 29/s, 1 s a chat", fake, start)

	// Naive: eight senders as fast as they can, waiting out each 429.
	naive := fakehook.New(fakehook.Options{Rate: 30, PerChat: time.Second})
	nsrv := httptest.NewServer(naive)
	defer nsrv.Close()
	sender := webhook.New(webhook.Options{URL: nsrv.URL})
	start = time.Now() // the naive run's own start: its time and its late 429s count from here
	naiveSenders(n, func(i int) time.Duration {
		to := chat.Key{Platform: "webhook", ChatID: fmt.Sprint("n", i)}
		_, err := sender.Send(ctx, to, chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "digest"}}}}})
		if err == nil {
			return 0
		}
		return max(chat.Classify(err).RetryAfter, 100*time.Millisecond)
	})
	report("naive: 8 senders as fast as possible, retry after 429", naive, start)
	return nil
}

// drainOutbox runs the deliverer until no part is left to send.
func drainOutbox(ctx context.Context, conn *db.DB, d *digest.Deliverer) error {
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	for {
		due, err := digest.NewOutbox(conn).Due(ctx, time.Now().Add(time.Hour))
		if err != nil || due == 0 {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// naiveSenders is the usual way to send a batch: eight goroutines as fast
// as they can, each message retried after the wait its send returns (0:
// done).
func naiveSenders(n int, send func(i int) time.Duration) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				for wait := send(i); wait > 0; wait = send(i) {
					time.Sleep(wait)
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func report(name string, fake *fakehook.Server, start time.Time) {
	ds := fake.Deliveries()
	if len(ds) < 2 {
		fmt.Printf("| %s | %d | - | - | - | - |\n", name, len(ds))
		return
	}
	first, last := ds[0].At, ds[len(ds)-1].At
	fmt.Printf("| %s | %d | %.1f | %.2f | %d | %d |\n", name, len(ds), last.Sub(start).Seconds(),
		float64(len(ds)-1)/last.Sub(first).Seconds(), fake.Rejected429(), fake.Rejected429Since(start.Add(time.Second)))
}

// outbox makes a database with n subscribers on platform (chat ids 1…n), each with a
// one-part digest waiting.
func outbox(ctx context.Context, n int, platform string) (*db.DB, *subscribers.Store, *digest.Engine, error) {
	dir, err := os.MkdirTemp("", "wzbench-")
	if err != nil {
		return nil, nil, nil, err
	}
	conn, err := db.Open(ctx, filepath.Join(dir, "deliver.db"), articles.Schema(), subscribers.Schema(), digest.Schema())
	if err != nil {
		return nil, nil, nil, err
	}
	store := articles.NewStore(conn, articles.StoreOptions{})
	if _, err := store.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		return nil, nil, nil, err
	}
	// Subscribed a day ago, so that every digest is due now.
	var ago atomic.Int64
	ago.Store(int64(25 * time.Hour))
	clock := func() time.Time { return time.Now().Add(-time.Duration(ago.Load())) }
	subs := subscribers.NewStore(conn, clock)
	engine := digest.New(digest.Options{DB: conn, Articles: store, Subscribers: subs, Now: clock})
	for i := range n {
		if _, err := subs.Upsert(ctx, chat.Key{Platform: platform, ChatID: fmt.Sprint(i + 1)}, chat.Private, "",
			func(*subscribers.Subscriber) error { return nil }); err != nil {
			return nil, nil, nil, err
		}
	}
	ago.Store(0)
	rep, err := engine.RunDue(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	if rep.Parts != n {
		return nil, nil, nil, fmt.Errorf("composed %d parts for %d chats", rep.Parts, n)
	}
	return conn, subs, engine, nil
}
