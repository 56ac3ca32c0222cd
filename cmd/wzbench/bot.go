package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot"
	"wzdaily/chat"
	"wzdaily/internal/app"
	"wzdaily/internal/db"
	"wzdaily/internal/gen"
)

// benchBot sends mixed commands from many simulated users at once, straight
// to bot.Handle (no transport), and reports handling times.
func benchBot(ctx context.Context, users, perUser, nArticles int, think time.Duration) error {
	b, _, done, err := searchableBot(ctx, nArticles)
	if err != nil {
		return err
	}
	defer done()
	fmt.Printf("## Chat commands: %d users at once\n\n", users)
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench bot -users %d -commands %d -articles %d -think %s`  \n", users, perUser, nArticles, think)
	fmt.Printf("Machine: %d CPUs, %s. %d generated articles. Each user sends %d commands, a random mix of 开始, 订阅, 退订, 关键词, 推送时间, 时区, 我的订阅, 最新, 帮助, 更多 and (one in three) 搜索 with a query of the search mix, straight to bot.Handle: no transport.\n\n",
		runtime.NumCPU(), runtime.Version(), nArticles, perUser)

	var mu sync.Mutex
	locked := func(ctx context.Context, u chat.Update) []chat.Message {
		mu.Lock()
		defer mu.Unlock()
		return b.Handle(ctx, u)
	}
	fmt.Println("| load | handling | commands | median ms | p99 ms | max ms | wall s |\n|---|---|---|---|---|---|---|")
	run := func(load, name string, send sender, prefix string, think time.Duration) {
		times, wall := simulate(ctx, send, users, perUser, prefix, think)
		fmt.Printf("| %s | %s | %d | %s | %s | %s | %.1f |\n", load, name, len(times),
			ms(pct(times, .5)), ms(pct(times, .99)), ms(pct(times, 1)), wall.Seconds())
	}
	steady := fmt.Sprintf("pauses of %s on average", think)
	for _, load := range []struct {
		name  string
		think time.Duration
	}{{steady, think}, {"no pauses", 0}} {
		d, stop := dispatched(ctx, b)
		run(load.name, "ours: chat.Dispatcher, per-chat order, 2×CPU workers", d, "a", load.think)
		stop()
		run(load.name, "naive: one update at a time", direct(locked), "b", load.think)
		run(load.name, "naive: a goroutine per update", direct(b.Handle), "c", load.think)
	}
	fmt.Println("\nHandling time runs from the call to its return, so under the naive global lock it includes the wait for the lock, as a user would feel it. Without pauses, 1,000 requests are always in flight, so by Little's law the median is about 1,000 ÷ throughput whatever the code does; that row measures throughput.")
	return nil
}

var botCommands = []string{"订阅 工业", "订阅 交通 教育", "退订 交通", "关键词 添加 龙母 -广告", "关键词 删除 龙母",
	"推送时间 08:15", "/time 06:45", "时区 Europe/Berlin", "/tz Asia/Shanghai", "我的订阅", "/list", "最新 5", "更多", "帮助"}

// sender delivers one update and returns when its answer is ready.
type sender func(ctx context.Context, u chat.Update)

func direct(h func(context.Context, chat.Update) []chat.Message) sender {
	return func(ctx context.Context, u chat.Update) { h(ctx, u) }
}

// dispatched sends through a chat.Dispatcher, as a transport does; each
// simulated chat has one update in flight, so its reply wakes its sender.
func dispatched(ctx context.Context, h chat.Handler) (sender, func()) {
	var mu sync.Mutex
	waiting := map[chat.Key]chan struct{}{}
	updates := make(chan chat.Update)
	d := &chat.Dispatcher{Handler: h, Reply: func(_ context.Context, u chat.Update, _ []chat.Message) {
		mu.Lock()
		ch := waiting[u.Chat]
		mu.Unlock()
		close(ch)
	}}
	done := make(chan struct{})
	go func() { d.Run(ctx, updates); close(done) }()
	send := func(ctx context.Context, u chat.Update) {
		ch := make(chan struct{})
		mu.Lock()
		waiting[u.Chat] = ch
		mu.Unlock()
		updates <- u
		<-ch
	}
	return send, func() { close(updates); <-done }
}

func simulate(ctx context.Context, send sender, users, perUser int, prefix string, think time.Duration) ([]time.Duration, time.Duration) {
	queries := gen.Queries()
	times := make([][]time.Duration, users)
	var wg sync.WaitGroup
	start := time.Now()
	for u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(u), 7))
			key := chat.Key{Platform: "bench", ChatID: fmt.Sprintf("%s%d", prefix, u)}
			for i := range perUser {
				if think > 0 {
					time.Sleep(time.Duration(rng.ExpFloat64() * float64(think)))
				}
				text := "开始"
				if i > 0 {
					if rng.IntN(3) == 0 {
						text = "搜索 " + queries[rng.IntN(len(queries))].Text
					} else {
						text = botCommands[rng.IntN(len(botCommands))]
					}
				}
				t0 := time.Now()
				send(ctx, chat.Update{Chat: key, Kind: chat.Private, UserID: key.ChatID, Text: text})
				times[u] = append(times[u], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	var all []time.Duration
	for _, t := range times {
		all = append(all, t...)
	}
	return all, wall
}

// searchableBot is a bot over nArticles generated articles, ingested and
// optimised, and its database; done removes them.
func searchableBot(ctx context.Context, nArticles int) (b *bot.Bot, conn *db.DB, done func(), err error) {
	dir, err := os.MkdirTemp("", "wzbench-")
	if err != nil {
		return nil, nil, nil, err
	}
	_, postsDir, conn, store, err := setUp(ctx, dir, nArticles, 1)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, nil, err
	}
	done = func() { conn.Close(); os.RemoveAll(dir) }
	if _, err := store.Ingest(ctx, &source.Dir{FS: os.DirFS(postsDir), Label: "bench"}, articles.IngestOptions{}); err != nil {
		done()
		return nil, nil, nil, err
	}
	if err := store.Optimize(ctx); err != nil {
		done()
		return nil, nil, nil, err
	}
	a, err := app.New(ctx, app.Options{DB: conn})
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	return a.Bot, conn, done, nil
}
