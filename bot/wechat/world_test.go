package wechat_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/articles/source"
	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/fakewechat"
	"wzdaily/internal/sample"
	"wzdaily/subscribers"
)

var wuzhou = time.FixedZone("CST", 8*3600)

func at(hour, minute int) time.Time { return time.Date(2026, 11, 26, hour, minute, 0, 0, wuzhou) }

// testPace is WeChat pacing shrunk a hundredfold, so tests stay short
// while the spacing is still measured.
var testPace = wechat.Pace{Gap: 50 * time.Millisecond, Jitter: 20 * time.Millisecond, ReplyGap: 10 * time.Millisecond, DailyCap: 1000}

// world is the bot on WeChat: the real openwechat against the fake
// web-WeChat server over loopback HTTP, on the sample articles.
type world struct {
	fake      *fakewechat.Server
	clock     *clocktest.Running
	subs      *subscribers.Store
	engine    *digest.Engine
	deliverer *digest.Deliverer
	dir       string
	db        *db.DB
	lost      chan error
	runs      sync.WaitGroup
	tune      func(*digest.DelivererOptions) // a test's own delivery settings, if any
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{clock: clocktest.NewRunning(at(6, 0)), dir: t.TempDir(), lost: make(chan error, 8)}
	w.fake = fakewechat.New(fakewechat.Options{SyncHold: 100 * time.Millisecond, LoginHold: 100 * time.Millisecond, NickName: "梧州日报助手"})
	if _, err := w.fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.fake.Close)
	for _, err := range []error{
		w.fake.AddFriend(fakewechat.Person{ID: "reader", NickName: "老梧"}),
		w.fake.AddFriend(fakewechat.Person{ID: "editor", NickName: "编辑"}),
		w.fake.AddFriend(fakewechat.Person{ID: "owner", NickName: "群主", RemarkName: "wzd-owner"}),
		w.fake.AddStranger(fakewechat.Person{ID: "visitor", NickName: "路人"}),
		w.fake.AddGroup(fakewechat.Group{ID: "team", NickName: "梧州街坊群", SelfDisplayName: "梧州日报助手",
			Members: []fakewechat.Member{{ID: "owner"}, {ID: "visitor", DisplayName: "路人甲"}}}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	conn := dbtest.Open(t, app.Schemas()...)
	w.db = conn
	store := articles.NewStore(conn, articles.StoreOptions{Now: w.clock.Now})
	if _, err := store.Ingest(context.Background(), &source.Dir{FS: sample.FS(), Label: "sample",
		Post: source.PostOptions{SiteURL: "https://finews.withounder.com"}}, articles.IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		a := &articles.Article{ID: fmt.Sprint("XJ", i), Title: fmt.Sprintf("西江航运第%d季度报告", i+1),
			Body: "西江黄金水道货运量继续增长。", Published: at(5, i), Tags: []string{"梧州日报新闻"},
			URL: fmt.Sprintf("https://finews.withounder.com/xijiang/%d.html", i)}
		if _, err := store.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// start builds the bot on WeChat as serve does (internal/app), with pacing
// and waits shrunk, and runs its transport and deliverer until the test
// ends or stop is called: a process that starts, and stops.
func (w *world) start(t *testing.T, change func(*wechat.Options)) (tr *wechat.Transport, stop func()) {
	t.Helper()
	a, err := app.New(context.Background(), app.Options{DB: w.db, Now: w.clock.Now,
		Settings: app.Settings{Admins: []string{"wechat:wzd-owner"}, WeChat: app.WeChatSettings{Enabled: true, Endpoint: w.fake.URL(),
			Session: filepath.Join(w.dir, "session.json"), QR: filepath.Join(w.dir, "qr.png"),
			Gap: testPace.Gap, Jitter: testPace.Jitter, ReplyGap: testPace.ReplyGap, DailyCap: testPace.DailyCap}},
		Tune: app.Tune{
			WeChat: func(o *wechat.Options) {
				o.RetryLogin = 50 * time.Millisecond
				o.OnSessionLost = func(_ context.Context, err error) { w.lost <- err }
				if change != nil {
					change(o)
				}
			},
			Delivery: func(o *digest.DelivererOptions) {
				o.Backoff, o.StrikeWait, o.Poll = 100*time.Millisecond, 100*time.Millisecond, 20*time.Millisecond
				if w.tune != nil {
					w.tune(o)
				}
			},
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.subs, w.engine, w.deliverer = a.Subscribers, a.Engine, a.Deliverer
	tr = a.WeChat
	ctx, cancel := context.WithCancel(context.Background())
	w.runs.Add(2)
	go func() { defer w.runs.Done(); tr.Run(ctx) }()
	go func() { defer w.runs.Done(); a.Deliverer.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); w.runs.Wait() }) }
	t.Cleanup(stop)
	return tr, stop
}

// loggedIn waits until the transport is logged in with its contacts read.
func loggedIn(t *testing.T, tr *wechat.Transport) {
	t.Helper()
	waitFor(t, "login", func() bool { s, _, _ := tr.Status(); return s == wechat.LoggedIn })
}

// sends returns what the fake accepted for a contact, by its stable id.
func (w *world) sends(to string) []fakewechat.Send {
	var out []fakewechat.Send
	for _, s := range w.fake.Accepted() {
		if s.To == to {
			out = append(out, s)
		}
	}
	return out
}

// say injects a friend's text and waits for the bot's next message to them.
func (w *world) say(t *testing.T, from, text string) string {
	t.Helper()
	n := len(w.sends(from))
	if _, err := w.fake.InjectText(from, text); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a reply to "+text, func() bool { return len(w.sends(from)) > n })
	return w.sends(from)[n].Content
}

// chatOf returns the chat the bot keeps for a friend, by the fake's stable
// id: the subscriber whose kept identity has the friend's UserName in this
// session. It waits for the identity to be kept, which follows a reply.
func (w *world) chatOf(t *testing.T, id string) chat.Key {
	t.Helper()
	var key chat.Key
	waitFor(t, "the chat of "+id, func() bool {
		un, ok := w.fake.UserName(id)
		if !ok {
			return false
		}
		ids, err := w.subs.Identities(context.Background(), wechat.Platform)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range ids {
			if strings.Contains(c.Text, `"user":"`+un+`"`) {
				key = c.Key
				return true
			}
		}
		return false
	})
	return key
}

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

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	clocktest.Eventually(t, 20*time.Second, what, cond)
}

func contains(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
