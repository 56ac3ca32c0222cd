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
	"wzdaily/internal/app"
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
	fake := fakehook.New(fakehook.Options{Rate: 30, PerChat: time.Second})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	a, done, err := outbox(ctx, n, "webhook", app.Settings{Webhook: app.WebhookSettings{URL: srv.URL, Rate: 29, ChatInterval: time.Second}})
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	if err := drainOutbox(ctx, a); err != nil {
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
func drainOutbox(ctx context.Context, a *app.App) error {
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.Deliverer.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	for {
		due, err := a.Outbox.Due(ctx, time.Now().Add(time.Hour))
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

// outbox builds the bot over a new database with n subscribers on platform
// (chat ids 1…n), each with a one-part digest waiting; s says where
// digests go. done closes it and removes the database.
func outbox(ctx context.Context, n int, platform string, s app.Settings) (a *app.App, done func(), err error) {
	dir, err := os.MkdirTemp("", "wzbench-")
	if err != nil {
		return nil, nil, err
	}
	s.DB = filepath.Join(dir, "deliver.db")
	// Subscribed a day ago, so that every digest is due now.
	var ago atomic.Int64
	ago.Store(int64(25 * time.Hour))
	clock := func() time.Time { return time.Now().Add(-time.Duration(ago.Load())) }
	a, err = app.New(ctx, app.Options{Settings: s, Now: clock,
		Tune: app.Tune{Delivery: func(o *digest.DelivererOptions) { o.Poll = 50 * time.Millisecond }}})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	done = func() { a.Close(); os.RemoveAll(dir) }
	if _, err := a.Articles.Ingest(ctx, &source.Dir{FS: sample.FS(), Label: "sample"}, articles.IngestOptions{}); err != nil {
		done()
		return nil, nil, err
	}
	for i := range n {
		if _, err := a.Subscribers.Upsert(ctx, chat.Key{Platform: platform, ChatID: fmt.Sprint(i + 1)}, chat.Private, "",
			func(*subscribers.Subscriber) error { return nil }); err != nil {
			done()
			return nil, nil, err
		}
	}
	ago.Store(0)
	rep, err := a.Engine.RunDue(ctx)
	if err == nil && rep.Parts != n {
		err = fmt.Errorf("composed %d parts for %d chats", rep.Parts, n)
	}
	if err != nil {
		done()
		return nil, nil, err
	}
	return a, done, nil
}
