package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/bot/telegram"
	"wzdaily/chat"
	"wzdaily/internal/app"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/gen"
)

const benchToken = "4242:bench"

// benchTelegram measures the Telegram transport through the real library
// against internal/faketelegram over loopback HTTP: the round trip of a
// command at a steady rate, and the delivery rate of a morning's digests.
func benchTelegram(ctx context.Context, rate, seconds, users, nArticles, deliverN int) error {
	b, conn, done, err := searchableBot(ctx, nArticles)
	if err != nil {
		return err
	}
	defer done()

	fmt.Printf("## Telegram: command round trip at %d updates/s\n\n", rate)
	fmt.Printf("Command: `go run -tags sqlite_fts5 ./cmd/wzbench telegram -rate %d -seconds %d -users %d -articles %d -deliver %d`  \n", rate, seconds, users, nArticles, deliverN)
	fmt.Printf("Machine: %d CPUs, %s. The real go-telegram-bot-api v5 long-polls internal/faketelegram over loopback HTTP. %d users send %d updates a second in all (the same command mix as the chat benchmark, one in three a search of %d generated articles), each at most one a second; the round trip runs from the update entering the fake to the reply being accepted by it. The fake's 30 messages/s limit is off here: %d replies a second is beyond it.\n\n",
		runtime.NumCPU(), runtime.Version(), users, rate, nArticles, rate)
	fmt.Println("| receiver | updates | answered | median ms | p99 ms | max ms |\n|---|---|---|---|---|---|")

	ours, err := roundTrips(ctx, rate, seconds, users, func(endpoint string) (func(ctx context.Context), error) {
		a, err := app.New(ctx, app.Options{DB: conn, Settings: app.Settings{Telegram: app.TelegramSettings{Token: benchToken, API: endpoint}},
			Tune: app.Tune{Telegram: func(o *telegram.Options) {
				o.Limits, o.PollTimeout, o.Client = telegram.Limits{Rate: -1}, time.Second, &http.Client{Timeout: 10 * time.Second}
			}}})
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context) { a.Telegram.Run(ctx) }, nil
	})
	if err != nil {
		return err
	}
	printTrips("ours: bot/telegram, dispatcher, paced sends", ours)
	naive, err := roundTrips(ctx, rate, seconds, users, func(endpoint string) (func(ctx context.Context), error) {
		return naiveLoop(endpoint, b)
	})
	if err != nil {
		return err
	}
	printTrips("naive: GetUpdatesChan, one update at a time", naive)
	fmt.Printf("\np99 ratio, naive ÷ ours: %.1f×\n\n", float64(pct(naive.times, .99))/float64(max(pct(ours.times, .99), 1)))
	return benchTelegramDelivery(ctx, deliverN)
}

type trips struct {
	sent   int
	times  []time.Duration
	failed int
}

func printTrips(name string, t trips) {
	fmt.Printf("| %s | %d | %d | %s | %s | %s |\n", name, t.sent, len(t.times), ms(pct(t.times, .5)), ms(pct(t.times, .99)), ms(pct(t.times, 1)))
}

// roundTrips runs a fake, starts a receiver on it, and sends rate updates a
// second for the given seconds, timing each reply.
func roundTrips(ctx context.Context, rate, seconds, users int, start func(endpoint string) (func(ctx context.Context), error)) (trips, error) {
	fake := faketelegram.New(faketelegram.Options{Token: benchToken, GlobalRate: -1, MaxPoll: time.Second})
	srv := httptest.NewServer(fake)
	defer func() { fake.Close(); srv.Close() }()
	run, err := start(srv.URL)
	if err != nil {
		return trips{}, err
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { run(runCtx); close(done) }()
	defer func() { stop(); <-done }()

	for u := range users {
		fake.AddUser(faketelegram.User{ID: int64(10000 + u), FirstName: fmt.Sprint("读者", u)})
	}
	queries := gen.Queries()
	rng := rand.New(rand.NewPCG(3, 7))
	last := make([]time.Time, users)
	sent := make([]int, users) // replies each user has waited for
	var mu sync.Mutex
	var res trips
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for range rate * seconds {
		<-tick.C
		u := rng.IntN(users)
		for time.Since(last[u]) < time.Second { // a person types at most once a second
			u = rng.IntN(users)
		}
		text := "开始"
		if sent[u] > 0 {
			if rng.IntN(3) == 0 {
				text = "搜索 " + queries[rng.IntN(len(queries))].Text
			} else {
				text = botCommands[rng.IntN(len(botCommands))]
			}
		}
		chatID := int64(10000 + u)
		last[u] = time.Now()
		sent[u]++
		want := sent[u]
		t0 := time.Now()
		fake.UserSays(chatID, chatID, text)
		res.sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			got, err := fake.WaitSent(wctx, chatID, want)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.failed++
				return
			}
			res.times = append(res.times, got[want-1].Time.Sub(t0))
		}()
	}
	wg.Wait()
	sort.Slice(res.times, func(i, j int) bool { return res.times[i] < res.times[j] })
	return res, nil
}

// naiveLoop is how bots are commonly written on this library: the update
// channel read in one loop, each update handled and answered in turn.
func naiveLoop(endpoint string, h chat.Handler) (func(ctx context.Context), error) {
	api, err := tgbotapi.NewBotAPIWithClient(benchToken, endpoint+"/bot%s/%s", &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context) {
		cfg := tgbotapi.NewUpdate(0)
		cfg.Timeout = 1
		updates := api.GetUpdatesChan(cfg)
		go func() { <-ctx.Done(); api.StopReceivingUpdates() }()
		for up := range updates {
			if up.Message == nil {
				continue
			}
			key := chat.Key{Platform: "telegram", ChatID: fmt.Sprint(up.Message.Chat.ID)}
			for _, m := range h.Handle(ctx, chat.Update{Chat: key, Kind: chat.Private, UserID: key.ChatID, Text: up.Message.Text}) {
				msg := tgbotapi.NewMessage(up.Message.Chat.ID, chat.PlainText(m))
				for {
					_, err := api.Send(msg)
					var tgErr *tgbotapi.Error
					if err == nil || ctx.Err() != nil || !asTG(err, &tgErr) || tgErr.RetryAfter == 0 {
						break
					}
					time.Sleep(time.Duration(tgErr.RetryAfter) * time.Second)
				}
			}
		}
	}, nil
}

// benchTelegramDelivery sends n one-part digests through the transport to
// the fake with Telegram's limits on, against a naive sender.
func benchTelegramDelivery(ctx context.Context, n int) error {
	fmt.Printf("## Telegram: a morning's delivery against the fake's 30 messages/s\n\n")
	fmt.Printf("%d private chats, one part each, through the digest outbox and bot/telegram to internal/faketelegram with Telegram's limits (30 messages/s over a sliding second, 1 a second per chat with bursts of 3, 429 with retry_after beyond).\n\n", n)
	fmt.Println("| sender | sent | msg/s, first to last | msg/s, start to last | 429s | 429s after the first second |\n|---|---|---|---|---|---|")

	fake := faketelegram.New(faketelegram.Options{Token: benchToken})
	srv := httptest.NewServer(fake)
	defer func() { fake.Close(); srv.Close() }()
	for i := range n {
		fake.AddUser(faketelegram.User{ID: int64(i + 1), FirstName: "读者"})
	}
	a, done, err := outbox(ctx, n, telegram.Platform, app.Settings{Telegram: app.TelegramSettings{Token: benchToken, API: srv.URL}})
	if err != nil {
		return err
	}
	defer done()
	start := time.Now()
	if err := drainOutbox(ctx, a); err != nil {
		return err
	}
	reportTelegram("ours: outbox Deliverer + bot/telegram windows", fake, start)

	naive := faketelegram.New(faketelegram.Options{Token: benchToken})
	nsrv := httptest.NewServer(naive)
	defer func() { naive.Close(); nsrv.Close() }()
	for i := range n {
		naive.AddUser(faketelegram.User{ID: int64(i + 1), FirstName: "读者"})
	}
	api, err := tgbotapi.NewBotAPIWithClient(benchToken, nsrv.URL+"/bot%s/%s", &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	start = time.Now()
	naiveSenders(n, func(i int) time.Duration {
		_, err := api.Send(tgbotapi.NewMessage(int64(i+1), "digest"))
		var tgErr *tgbotapi.Error
		if err == nil || !asTG(err, &tgErr) {
			return 0
		}
		return time.Duration(max(tgErr.RetryAfter, 1)) * time.Second
	})
	reportTelegram("naive: 8 senders as fast as possible, retry after 429", naive, start)
	return nil
}

func reportTelegram(name string, fake *faketelegram.Server, start time.Time) {
	var ok []time.Time
	for _, c := range fake.CallsTo("sendMessage") {
		if c.Status == http.StatusOK {
			ok = append(ok, c.Time)
		}
	}
	late := 0
	rej := fake.Rejections()
	for _, r := range rej {
		if r.Time.Sub(start) > time.Second {
			late++
		}
	}
	if len(ok) < 2 {
		fmt.Printf("| %s | %d | - | - | %d | %d |\n", name, len(ok), len(rej), late)
		return
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].Before(ok[j]) })
	last := ok[len(ok)-1]
	fmt.Printf("| %s | %d | %.2f | %.2f | %d | %d |\n", name, len(ok), float64(len(ok)-1)/last.Sub(ok[0]).Seconds(),
		float64(len(ok))/last.Sub(start).Seconds(), len(rej), late)
}

func asTG(err error, target **tgbotapi.Error) bool { return errors.As(err, target) }
