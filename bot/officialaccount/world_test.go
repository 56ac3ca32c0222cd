package officialaccount_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/officialaccount"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/fakeoa"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

var wuzhou = time.FixedZone("CST", 8*3600)

func at(hour, minute int) time.Time { return time.Date(2026, 11, 26, hour, minute, 0, 0, wuzhou) }

// Deadlines shrunk for tests: WeChat's 5 s, and the bot's 4.5 s.
const (
	platformDeadline = 2 * time.Second
	botDeadline      = 1500 * time.Millisecond
)

// world is the bot as an Official Account's server, built as serve builds
// it (internal/app), with the real silenceper/wechat library against the
// fake platform over loopback HTTP, on the sample articles and one of the
// morning.
type world struct {
	fake  *fakeoa.Server
	clock *clocktest.Running
	app   *app.App
	tr    *officialaccount.Transport
	gate  *gate
	// requests counts the requests WeChat made to the server URL.
	requests atomic.Int32
}

// options shape a world.
type options struct {
	aesKey           string
	platformDeadline time.Duration // default platformDeadline
	botDeadline      time.Duration // default botDeadline
}

func newWorld(t *testing.T, o options) *world {
	t.Helper()
	if o.platformDeadline == 0 {
		o.platformDeadline = platformDeadline
	}
	if o.botDeadline == 0 {
		o.botDeadline = botDeadline
	}
	w := &world{clock: clocktest.NewRunning(at(6, 0))}
	fake, err := fakeoa.New(fakeoa.Options{EncodingAESKey: o.aesKey, Now: w.clock.Now, ReplyDeadline: o.platformDeadline})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	w.fake = fake

	conn := dbtest.Open(t, app.Schemas()...)
	store := articles.NewStore(conn, articles.StoreOptions{Now: w.clock.Now})
	if _, err := store.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample",
		Post: source.PostOptions{SiteURL: "https://finews.withounder.com"}}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	// The morning's news, for the digest.
	news := &articles.Article{ID: "XJ1", Title: "西江航运第四季度报告", Body: "西江黄金水道货运量继续增长。", Published: at(5, 0),
		Tags: []string{"梧州日报新闻"}, URL: "https://finews.withounder.com/xijiang/1.html"}
	if _, err := store.Save(context.Background(), news); err != nil {
		t.Fatal(err)
	}

	a, err := app.New(context.Background(), app.Options{DB: conn, Now: w.clock.Now,
		Settings: app.Settings{OfficialAccount: app.OfficialAccountSettings{AppID: fake.AppID(), AppSecret: fake.AppSecret(),
			Token: fake.Token(), AESKey: o.aesKey, API: fake.URL(), Listen: "127.0.0.1:0", Path: "/wechat",
			ReplyDeadline: o.botDeadline}},
		Tune: app.Tune{
			OfficialAccount: func(oo *officialaccount.Options) {
				w.gate = &gate{next: oo.Bot, held: map[string]chan struct{}{}}
				oo.Bot = w.gate
			},
			Delivery: func(o *digest.DelivererOptions) {
				o.Backoff, o.StrikeWait, o.Poll = 100*time.Millisecond, 100*time.Millisecond, 20*time.Millisecond
			},
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.app, w.tr = a, a.OfficialAccount
	mux := http.NewServeMux()
	mux.Handle("/wechat", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.requests.Add(1)
		w.tr.ServeHTTP(rw, r)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	var runs sync.WaitGroup
	runs.Go(func() { w.tr.Run(ctx) })
	runs.Go(func() { a.Deliverer.Run(ctx) })
	t.Cleanup(func() { cancel(); runs.Wait() })
	if err := fake.SetServer(srv.URL + "/wechat"); err != nil {
		t.Fatal(err)
	}
	if err := fake.Verify(context.Background()); err != nil {
		t.Fatalf("WeChat's check of the server URL: %v", err)
	}
	return w
}

// gate is the bot, with texts that wait until the test lets them through:
// a search that takes as long as the test says.
type gate struct {
	next officialaccount.Conversation

	mu      sync.Mutex
	held    map[string]chan struct{}
	handled map[string]int
	answers map[string][]chat.Message
}

func (g *gate) hold(text string) (release func()) {
	ch := make(chan struct{})
	g.mu.Lock()
	g.held[text] = ch
	g.mu.Unlock()
	return sync.OnceFunc(func() { close(ch) })
}

func (g *gate) times(text string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.handled[text]
}

func (g *gate) Handle(ctx context.Context, u chat.Update) []chat.Message {
	g.mu.Lock()
	if g.handled == nil {
		g.handled = map[string]int{}
	}
	g.handled[u.Text]++
	ch := g.held[u.Text]
	g.mu.Unlock()
	if ch != nil {
		<-ch
	}
	out := g.next.Handle(ctx, u)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.answers == nil {
		g.answers = map[string][]chat.Message{}
	}
	g.answers[u.Text] = out
	return out
}

// answer is what the bot last answered text with.
func (g *gate) answer(text string) []chat.Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.answers[text]
}

func (g *gate) ChatGone(ctx context.Context, k chat.Key, s subscribers.State) error {
	return g.next.ChatGone(ctx, k, s)
}
func (g *gate) ChatBack(ctx context.Context, k chat.Key) error { return g.next.ChatBack(ctx, k) }

func key(openID string) chat.Key { return chat.Key{Platform: officialaccount.Platform, ChatID: openID} }

// sub returns the follower's subscriber.
func (w *world) sub(t *testing.T, openID string) *subscribers.Subscriber {
	t.Helper()
	s, err := w.app.Subscribers.Get(context.Background(), key(openID))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// say has openID write text and returns the push, failing the test on a
// fake's error.
func (w *world) say(t *testing.T, openID, text string) fakeoa.Push {
	t.Helper()
	p, err := w.fake.Say(context.Background(), openID, text)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) follow(t *testing.T, openID string) fakeoa.Push {
	t.Helper()
	p, err := w.fake.Follow(context.Background(), openID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// next waits for the next message to openID that no push returned: a
// customer-service message.
func (w *world) next(t *testing.T, openID string) fakeoa.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	m, err := w.fake.WaitMessage(ctx, openID)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func contains(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
