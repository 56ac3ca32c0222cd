package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/telegram"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

const token = "4242:TEST-TOKEN-never-logged"

func at(hour, minute int) time.Time { return time.Date(2026, 11, 26, hour, minute, 0, 0, wuzhou) }
func key(chatID int64) chat.Key {
	return chat.Key{Platform: telegram.Platform, ChatID: strconv.FormatInt(chatID, 10)}
}
func ctxFor(t *testing.T) context.Context { return t.Context() }

var wuzhou = time.FixedZone("CST", 8*3600)

// Tests with a world of their own run in parallel, except those that
// capture the log (logtest.Capture replaces the default logger): Go runs
// every sequential test before the parallel ones start, so no other world
// logs into a capture.

// world is the whole bot on Telegram: the real library against the fake
// Bot API over loopback HTTP, on a database holding the sample articles.
type world struct {
	fake      *faketelegram.Server
	srv       *httptest.Server
	clock     *clocktest.Running
	articles  *articles.Store
	subs      *subscribers.Store
	engine    *digest.Engine
	deliverer *digest.Deliverer
	tg        *telegram.Transport
}

type worldOptions struct {
	fake    faketelegram.Options // its limits are set from testLimits
	noRun   bool                 // no polling: the test drives the transport
	workers int                  // the transport's dispatcher workers
	admins  []string             // the bot's admins, "telegram:<user id>"
}

// newWorld builds the bot as serve does (internal/app), with Telegram's
// limits scaled down and short retry waits.
func newWorld(t *testing.T, o worldOptions) *world {
	t.Helper()
	w := &world{clock: clocktest.NewRunning(at(6, 0))}
	o.fake.Token = token
	o.fake.MaxPoll = 200 * time.Millisecond
	limits := testLimits()
	o.fake.GlobalRate, o.fake.ChatInterval = limits.Rate, limits.ChatEvery
	o.fake.GroupPerSpan, o.fake.GroupSpan = limits.GroupPerSpan, limits.GroupSpan
	w.fake = faketelegram.New(o.fake)
	srv := httptest.NewServer(w.fake)
	w.srv = srv
	t.Cleanup(func() { w.fake.Close(); srv.Close() })

	a, err := app.New(context.Background(), app.Options{DB: dbtest.Open(t, app.Schemas()...), Now: w.clock.Now,
		Settings: app.Settings{Telegram: app.TelegramSettings{Token: token, API: srv.URL}, Admins: o.admins},
		Tune: app.Tune{
			Telegram: func(to *telegram.Options) {
				to.PollTimeout, to.Client, to.Workers, to.Limits = time.Second, &http.Client{Timeout: 10 * time.Second}, o.workers, limits
			},
			Delivery: func(do *digest.DelivererOptions) {
				do.Backoff, do.StrikeWait, do.Poll = 200*time.Millisecond, 200*time.Millisecond, 50*time.Millisecond
			},
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.articles, w.subs, w.engine, w.deliverer, w.tg = a.Articles, a.Subscribers, a.Engine, a.Deliverer, a.Telegram
	if _, err := w.articles.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample",
		Post: source.PostOptions{SiteURL: "https://finews.withounder.com"}}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// The sample has one article on the 西江; these give search a second page.
	for i := range 15 {
		a := &articles.Article{ID: fmt.Sprint("XJ", i), Title: fmt.Sprintf("西江航运第%d季度报告", i+1),
			Body: "西江黄金水道货运量继续增长。" + strings.Repeat("梧州港", i+1), Published: at(5, i),
			URL: fmt.Sprintf("https://finews.withounder.com/xijiang/%d.html", i), Tags: []string{"梧州日报新闻"}}
		if _, err := w.articles.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { w.deliverer.Run(ctx); done <- struct{}{} }()
	runs := 1
	if !o.noRun {
		runs++
		go func() { w.tg.Run(ctx); done <- struct{}{} }()
	}
	t.Cleanup(func() {
		cancel()
		for range runs {
			<-done
		}
	})
	return w
}

// say sends text from a user into a chat and waits for the bot's next
// message there.
func (w *world) say(t *testing.T, chatID, from int64, text string) faketelegram.Sent {
	t.Helper()
	n := len(w.fake.Sent(chatID))
	w.fake.UserSays(chatID, from, text)
	return w.waitSent(t, chatID, n+1)[n]
}

func (w *world) waitSent(t *testing.T, chatID int64, n int) []faketelegram.Sent {
	t.Helper()
	return w.waitSentWithin(t, chatID, n, 30*time.Second)
}

func (w *world) waitSentWithin(t *testing.T, chatID int64, n int, d time.Duration) []faketelegram.Sent {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctxFor(t), d)
	defer cancel()
	sent, err := w.fake.WaitSent(ctx, chatID, n)
	if err != nil {
		t.Fatalf("waiting for %d messages in chat %d (have %d): %v", n, chatID, len(w.fake.Sent(chatID)), err)
	}
	return sent
}

// morning moves the clock to hh:mm and composes what is due.
func (w *world) morning(t *testing.T, hour, minute int) digest.Report {
	t.Helper()
	w.clock.Jump(at(hour, minute))
	rep, err := w.engine.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w.deliverer.Wake()
	return rep
}
