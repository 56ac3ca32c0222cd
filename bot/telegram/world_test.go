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
	"wzdaily/bot"
	"wzdaily/bot/telegram"
	"wzdaily/digest"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

const token = "4242:TEST-TOKEN-never-logged"

func at(hour, minute int) time.Time { return time.Date(2026, 11, 26, hour, minute, 0, 0, wuzhou) }
func key(chatID int64) subscribers.Key {
	return subscribers.Key{Platform: telegram.Platform, ChatID: strconv.FormatInt(chatID, 10)}
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
	fake     faketelegram.Options // its limits are set from testLimits
	platform digest.Platform      // Sender is set here
	noRun    bool                 // no polling: the test drives the transport
	workers  int                  // the transport's dispatcher workers
}

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

	conn := dbtest.Open(t, articles.Schema(), subscribers.Schema(), digest.Schema())
	w.articles = articles.NewStore(conn, articles.StoreOptions{Now: w.clock.Now})
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
	w.subs = subscribers.NewStore(conn, w.clock.Now)
	w.engine = digest.New(digest.Options{DB: conn, Articles: w.articles, Subscribers: w.subs, Now: w.clock.Now,
		Limits: map[string]digest.Limits{telegram.Platform: {MaxLength: telegram.MaxLength, Measure: telegram.Length}}})
	var deliverer *digest.Deliverer
	b := bot.New(bot.Options{Articles: w.articles, Subscribers: w.subs, Now: w.clock.Now,
		Digest: func(ctx context.Context, sub *subscribers.Subscriber) ([]bot.Message, error) {
			if _, err := w.engine.Now(ctx, sub); err != nil {
				return nil, err
			}
			return nil, deliverer.Flush(ctx, sub.ID)
		},
		DigestMore: w.engine.More})
	tg, err := telegram.New(context.Background(), telegram.Options{Token: token, Endpoint: srv.URL, Bot: b,
		PollTimeout: time.Second, Client: &http.Client{Timeout: 10 * time.Second}, Now: w.clock.Now, Workers: o.workers,
		Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	w.tg = tg
	p := o.platform
	p.Sender = tg
	deliverer = digest.NewDeliverer(digest.DelivererOptions{DB: conn, Engine: w.engine, Subscribers: w.subs, Now: w.clock.Now,
		Backoff: 200 * time.Millisecond, StrikeWait: 200 * time.Millisecond, Poll: 50 * time.Millisecond,
		Platforms: map[string]*digest.Platform{telegram.Platform: &p}})
	w.deliverer = deliverer

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { deliverer.Run(ctx); done <- struct{}{} }()
	runs := 1
	if !o.noRun {
		runs++
		go func() { tg.Run(ctx); done <- struct{}{} }()
	}
	t.Cleanup(func() {
		cancel()
		for range runs {
			<-done
		}
	})
	return w
}

// telegramPace is the pacing serve uses for Telegram, at testLimits.
func telegramPace() digest.Platform {
	l := testLimits()
	return digest.Platform{ChatInterval: l.ChatEvery, GroupInterval: l.GroupEvery(), Workers: 8}
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
