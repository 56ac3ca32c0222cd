package digest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db"
	"wzdaily/internal/db/dbtest"
	"wzdaily/subscribers"
)

// clock is a time tests move by hand.
type clock struct{ t atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.t.Load()) }
func (c *clock) Set(t time.Time)     { c.t.Store(t.UnixNano()) }
func (c *clock) Add(d time.Duration) { c.t.Add(int64(d)) }
func newClock(t time.Time) *clock    { c := &clock{}; c.Set(t); return c }

// fakeSender records sends and fails on demand, per chat.
type fakeSender struct {
	mu    sync.Mutex
	sent  map[string][]string // chat → plain text of each message, in order
	msgs  map[string][]chat.Message
	calls map[string]int
	keys  []string // the idempotency key of every call, in order
	fail  func(chatID string, call int) error
}

func (f *fakeSender) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[to.ChatID]++
	f.keys = append(f.keys, chat.IdempotencyKey(ctx))
	if f.fail != nil {
		if err := f.fail(to.ChatID, f.calls[to.ChatID]); err != nil {
			return "", err
		}
	}
	f.sent[to.ChatID] = append(f.sent[to.ChatID], chat.PlainText(m))
	if f.msgs == nil {
		f.msgs = map[string][]chat.Message{}
	}
	f.msgs[to.ChatID] = append(f.msgs[to.ChatID], m)
	return fmt.Sprint(len(f.sent[to.ChatID])), nil
}

func (f *fakeSender) texts(chatID string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent[chatID]...)
}

type world struct {
	clock    *clock
	articles *articles.Store
	subs     *subscribers.Store
	engine   *Engine
	deliver  *Deliverer
	sender   *fakeSender
	seq      int
}

var wuzhou = time.FixedZone("CST", 8*3600)

func newWorld(t *testing.T) *world {
	t.Helper()
	conn := dbtest.Open(t, articles.Schema(), subscribers.Schema(), Schema())
	w := &world{clock: newClock(time.Date(2026, 11, 25, 20, 0, 0, 0, wuzhou)), sender: &fakeSender{sent: map[string][]string{}, calls: map[string]int{}}}
	w.articles = articles.NewStore(conn, articles.StoreOptions{Now: w.clock.Now})
	w.subs, w.engine = wire(conn, w.articles, w.clock.Now)
	w.deliver = NewDeliverer(DelivererOptions{DB: conn, Engine: w.engine, Subscribers: w.subs, Now: w.clock.Now, Backoff: time.Second,
		StrikeWait: time.Hour, Poll: 10 * time.Millisecond,
		Platforms: map[string]*Platform{"t": {Sender: w.sender}}})
	return w
}

// wire builds the schedule, the subscribers store that reports to it, and
// the engine, as internal/app does.
func wire(conn *db.DB, store *articles.Store, now func() time.Time) (*subscribers.Store, *Engine) {
	sched := NewSchedule(ScheduleOptions{Articles: store, Now: now})
	subs := subscribers.NewStore(conn, subscribers.Options{Now: now, OnChange: sched.Changed})
	return subs, New(Options{DB: conn, Articles: store, Subscribers: subs, Schedule: sched})
}

// publish stores a new 梧州日报 article now.
func (w *world) publish(t *testing.T, title string) {
	t.Helper()
	w.seq++
	a := &articles.Article{ID: fmt.Sprint("NW", w.seq), Title: title, Body: title + "。正文第" + fmt.Sprint(w.seq) + "段，内容各不相同" + strings.Repeat(fmt.Sprint(w.seq), 5),
		Published: w.clock.Now(), Tags: []string{"梧州日报新闻"}}
	if _, err := w.articles.Save(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func (w *world) subscribe(t *testing.T, chatID string, change func(*subscribers.Subscriber)) chat.Key {
	t.Helper()
	key := chat.Key{Platform: "t", ChatID: chatID}
	if _, err := w.subs.Upsert(context.Background(), key, chat.Private, "", func(s *subscribers.Subscriber) error {
		if change != nil {
			change(s)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return key
}

func (w *world) runDue(t *testing.T) Report {
	t.Helper()
	rep, err := w.engine.RunDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (w *world) flush(t *testing.T, key chat.Key) {
	t.Helper()
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.deliver.Flush(context.Background(), sub.ID); err != nil {
		t.Fatal(err)
	}
}

func TestScheduledDigestOncePerMorning(t *testing.T) {
	w := newWorld(t)
	w.publish(t, "昨晚的新闻")
	key := w.subscribe(t, "1", nil)
	w.clock.Set(time.Date(2026, 11, 26, 7, 29, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 0 {
		t.Fatalf("a digest before 07:30: %+v", rep)
	}
	w.clock.Add(time.Minute)
	if rep := w.runDue(t); rep.Digests != 1 || rep.Parts != 1 {
		t.Fatalf("at 07:30: %+v", rep)
	}
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 || !strings.Contains(got[0], "昨晚的新闻") {
		t.Fatalf("sent %q", got)
	}
	w.clock.Add(time.Hour)
	if rep := w.runDue(t); rep.Digests != 0 {
		t.Errorf("a second digest the same morning: %+v", rep)
	}
	// The next morning, with nothing new: the short notice.
	w.clock.Set(time.Date(2026, 11, 27, 7, 30, 0, 0, wuzhou))
	w.runDue(t)
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 2 || !strings.Contains(got[1], "今天没有") {
		t.Fatalf("empty day: %q", got)
	}
	// With the notice off, nothing is sent, but the day still counts.
	w.subs.Update(context.Background(), key, func(s *subscribers.Subscriber) error { s.EmptyNotice = false; return nil })
	w.clock.Set(time.Date(2026, 11, 28, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 1 || rep.Parts != 0 || rep.Empty != 1 {
		t.Errorf("empty day, notice off: %+v", rep)
	}
}

func TestCatchUpAfterDowntimeIsOneDigest(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "停机前的新闻")
	// Down for three days: one catch-up digest, then the normal schedule.
	w.clock.Set(time.Date(2026, 11, 29, 10, 0, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 1 {
		t.Fatalf("catch-up: %+v", rep)
	}
	if rep := w.runDue(t); rep.Digests != 0 {
		t.Fatalf("a second catch-up: %+v", rep)
	}
	w.flush(t, key)
	w.clock.Set(time.Date(2026, 11, 30, 7, 29, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 0 {
		t.Errorf("early next morning: %+v", rep)
	}
	w.clock.Set(time.Date(2026, 11, 30, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 1 {
		t.Errorf("next morning: %+v", rep)
	}
}

func TestOnDemandThenMorningRepeatsNothing(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.Zone = "Europe/Berlin" })
	w.publish(t, "甲新闻")
	sub, _ := w.subs.Get(context.Background(), key)
	if n, err := w.engine.Now(context.Background(), sub); err != nil || n != 1 {
		t.Fatalf("on demand: %d %v", n, err)
	}
	w.flush(t, key)
	w.publish(t, "乙新闻")
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, mustZone(t, "Europe/Berlin")))
	if rep := w.runDue(t); rep.Digests != 1 {
		t.Fatalf("morning: %+v", rep)
	}
	w.flush(t, key)
	got := w.sender.texts("1")
	if len(got) != 2 || !strings.Contains(got[0], "甲新闻") || strings.Contains(got[1], "甲新闻") || !strings.Contains(got[1], "乙新闻") {
		t.Errorf("on demand then morning:\n%s", strings.Join(got, "\n----\n"))
	}
}

func TestPermanentFailureBlocksWithoutARetryStorm(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, _ int) error {
		return &chat.SendError{Permanent: true, Err: errors.New("Forbidden: bot was blocked by the user")}
	}
	sub, _ := w.subs.Get(context.Background(), key)
	w.engine.Now(context.Background(), sub)
	for range 10 {
		w.flush(t, key)
		w.clock.Add(time.Hour)
	}
	if calls := w.sender.calls["1"]; calls != 3 {
		t.Errorf("%d sends to a blocked chat, want 3 strikes", calls)
	}
	got, _ := w.subs.Get(context.Background(), key)
	if got.State != subscribers.Blocked {
		t.Errorf("state %s, want blocked", got.State)
	}
	dead, err := NewOutbox(w.engine.opts.DB).DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 || !strings.Contains(dead[0].Error, "blocked by the user") {
		t.Errorf("dead letters %+v %v", dead, err)
	}
	// Blocked subscribers get no more digests.
	w.clock.Add(48 * time.Hour)
	if rep := w.runDue(t); rep.Digests != 0 || rep.Skipped != 1 {
		t.Errorf("a blocked subscriber's morning: %+v", rep)
	}
}

func TestARefusedMessageIsADeadLetterNotAStrike(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, call int) error {
		if call == 1 {
			return &chat.SendError{Refused: true, Err: errors.New("Bad Request: message is too long")}
		}
		return nil
	}
	sub, _ := w.subs.Get(context.Background(), key)
	w.engine.Now(context.Background(), sub)
	for range 3 {
		w.flush(t, key)
		w.clock.Add(time.Hour)
	}
	if calls := w.sender.calls["1"]; calls != 1 {
		t.Errorf("a refused part was sent %d times", calls)
	}
	dead, err := NewOutbox(w.engine.opts.DB).DeadLetters(context.Background(), 10)
	if err != nil || len(dead) != 1 || !strings.Contains(dead[0].Error, "too long") {
		t.Errorf("dead letters %+v %v", dead, err)
	}
	if got, _ := w.subs.Get(context.Background(), key); got.State != subscribers.Active {
		t.Errorf("the chat paid for the bot's bug: state %s", got.State)
	}
	// The next digest goes out as usual.
	w.publish(t, "又一条新闻")
	w.engine.Now(context.Background(), sub)
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 || !strings.Contains(got[0], "又一条新闻") {
		t.Errorf("after a refused part: %q", got)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, call int) error {
		if call == 1 {
			return &chat.SendError{RetryAfter: 30 * time.Second, Err: errors.New("Too Many Requests")}
		}
		return nil
	}
	sub, _ := w.subs.Get(context.Background(), key)
	w.engine.Now(context.Background(), sub)
	w.flush(t, key)
	w.flush(t, key)
	if len(w.sender.texts("1")) != 0 || w.sender.calls["1"] != 1 {
		t.Fatalf("retried before retry_after: calls %d", w.sender.calls["1"])
	}
	w.clock.Add(30 * time.Second)
	w.flush(t, key)
	if len(w.sender.texts("1")) != 1 {
		t.Errorf("not sent after retry_after")
	}
}

func TestMigratedChatMovesTheSubscriber(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "-100", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, _ int) error {
		if chatID == "-100" {
			return &chat.SendError{MigratedTo: "-1009", Err: errors.New("group migrated to supergroup")}
		}
		return nil
	}
	sub, _ := w.subs.Get(context.Background(), key)
	w.engine.Now(context.Background(), sub)
	w.flush(t, key)
	moved := chat.Key{Platform: "t", ChatID: "-1009"}
	if _, err := w.subs.Get(context.Background(), moved); err != nil {
		t.Fatalf("subscriber not moved: %v", err)
	}
	w.flush(t, moved)
	if len(w.sender.texts("-1009")) != 1 {
		t.Errorf("the digest did not follow the chat: %v", w.sender.sent)
	}
}

func TestARestartSendsOnlyWhatWasNotConfirmed(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 200 })
	for i := range 150 {
		w.publish(t, fmt.Sprintf("第%03d条新闻", i)+strings.Repeat("很长的标题", 10))
	}
	sub, _ := w.subs.Get(context.Background(), key)
	parts, err := w.engine.Now(context.Background(), sub)
	if err != nil || parts < 3 {
		t.Fatalf("want a digest of several parts: %d %v", parts, err)
	}
	// Part 2 fails the first time: "the process died" before confirming it.
	w.sender.fail = func(chatID string, call int) error {
		if call == 2 {
			return errors.New("connection reset")
		}
		return nil
	}
	w.flush(t, key)
	if n := len(w.sender.texts("1")); n != 1 {
		t.Fatalf("%d parts before the failure, want 1", n)
	}
	// A new deliverer (a restart) on the same database.
	again := NewDeliverer(w.deliver.opts)
	w.clock.Add(time.Hour)
	again.Flush(context.Background(), sub.ID)
	got := w.sender.texts("1")
	if len(got) != parts {
		t.Fatalf("%d messages for %d parts", len(got), parts)
	}
	for i, text := range got {
		if !strings.Contains(text, fmt.Sprintf("（%d/%d）", i+1, parts)) {
			t.Errorf("message %d is not part %d: parts out of order or repeated", i+1, i+1)
		}
	}
}

func TestRunDeliversEverythingDespiteFaults(t *testing.T) {
	w := newWorld(t)
	w.publish(t, "新闻")
	var keys []chat.Key
	for i := range 40 {
		keys = append(keys, w.subscribe(t, fmt.Sprint(i), nil))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var rmu sync.Mutex
	w.sender.fail = func(string, int) error {
		rmu.Lock()
		defer rmu.Unlock()
		switch rng.IntN(10) {
		case 0:
			return &chat.SendError{RetryAfter: time.Second, Err: errors.New("429")}
		case 1:
			return errors.New("502 Bad Gateway")
		}
		return nil
	}
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 40 {
		t.Fatalf("%+v", rep)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.deliver.Run(ctx); close(done) }()
	clocktest.Eventually(t, 20*time.Second, "every part delivered (deadlocked?)", func() bool {
		w.clock.Add(2 * time.Second) // let retries come due
		backlog, _ := NewOutbox(w.engine.opts.DB).Backlog(context.Background())
		return backlog.Pending == 0
	})
	cancel()
	<-done
	for _, k := range keys {
		if got := w.sender.texts(k.ChatID); len(got) != 1 {
			t.Errorf("chat %s got %d digests", k.ChatID, len(got))
		}
	}
}

func TestSecondDelivererIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	first, err := AcquireLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := AcquireLock(path); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "stop the other process") {
		t.Fatalf("second lock: %v", err)
	}
	first.Release()
	again, err := AcquireLock(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}

// TestFlushAndRunNeverSendAPartTwice: /digest flushes while the
// background deliverer runs; each part still goes out once.
func TestFlushAndRunNeverSendAPartTwice(t *testing.T) {
	w := newWorld(t)
	w.clock.Set(time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.deliver.Run(ctx); close(done) }()
	for i := range 20 {
		key := w.subscribe(t, fmt.Sprint(i), nil)
		w.publish(t, fmt.Sprint("新闻", i))
		sub, _ := w.subs.Get(context.Background(), key)
		if _, err := w.engine.Now(context.Background(), sub); err != nil {
			t.Fatal(err)
		}
		w.deliver.Wake()
		w.flush(t, key)
	}
	clocktest.Eventually(t, 10*time.Second, "nothing left due (deadlocked?)", func() bool {
		n, _ := NewOutbox(w.engine.opts.DB).Due(context.Background(), w.clock.Now())
		return n == 0
	})
	cancel()
	<-done
	for i := range 20 {
		if got := w.sender.texts(fmt.Sprint(i)); len(got) != 1 {
			t.Errorf("chat %d got %d messages, want 1", i, len(got))
		}
	}
}

// TestAChatThatWritesDuringAFailingSendIsNotStruck: the reader writes (so
// Reachable runs) while a send to them is failing; the failure comes after
// Reachable forgave the strikes, and must not set the part back an hour.
func TestAChatThatWritesDuringAFailingSendIsNotStruck(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	inFlight, release := make(chan struct{}), make(chan struct{})
	w.sender.fail = func(_ string, call int) error {
		if call > 1 {
			return nil
		}
		close(inFlight)
		<-release
		return &chat.SendError{Permanent: true, Err: errors.New("Forbidden: bot was blocked by the user")}
	}
	sub := w.onDemand(t, key)
	flushed := make(chan error)
	go func() { flushed <- w.deliver.Flush(context.Background(), sub.ID) }()
	<-inFlight
	if err := w.deliver.Reachable(context.Background(), sub.ID); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	w.flush(t, key) // the clock has not moved: only a part due at once goes
	if got := w.sender.texts("1"); len(got) != 1 || !strings.Contains(got[0], "新闻") {
		t.Errorf("after the reader wrote during a failing send, the chat got %q; want the digest at once", got)
	}
	if n := w.count(t, `SELECT strikes FROM digest_state WHERE subscriber_id = ?`, sub.ID); n != 0 {
		t.Errorf("%d strikes, want none", n)
	}
}
