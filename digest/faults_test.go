package digest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db"
	"wzdaily/internal/logtest"
	"wzdaily/subscribers"
)

// Tests of delivery when the database, the part or the platform fails.

func (w *world) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := w.engine.opts.DB.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (w *world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.engine.opts.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// redeliver replaces the world's deliverer with one on a single worker,
// quick to pause and to poll.
func (w *world) redeliver(change func(*DelivererOptions)) {
	opts := w.deliver.opts
	opts.Platforms = map[string]*Platform{"t": {Sender: w.sender, Workers: 1}}
	opts.PauseWait, opts.MaxPauseWait, opts.Poll = 2*time.Millisecond, 5*time.Millisecond, 2*time.Millisecond
	if change != nil {
		change(&opts)
	}
	w.deliver = NewDeliverer(opts)
}

// run runs the deliverer until the test ends.
func (w *world) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	d := w.deliver
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func (w *world) onDemand(t *testing.T, key chat.Key) *subscribers.Subscriber {
	t.Helper()
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.engine.Now(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	return sub
}

func (f *fakeSender) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

// repeatedKeys lists the idempotency keys sent more than once.
func (f *fakeSender) repeatedKeys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]int{}
	var out []string
	for _, k := range f.keys {
		if seen[k]++; seen[k] == 2 {
			out = append(out, k)
		}
	}
	return out
}

func (w *world) status(t *testing.T) Status {
	t.Helper()
	st, err := w.deliver.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// morning gives n chats a digest due now.
func (w *world) morning(t *testing.T, n int) {
	t.Helper()
	w.publish(t, "新闻")
	for i := range n {
		w.subscribe(t, fmt.Sprint(i), nil)
	}
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != n {
		t.Fatalf("composed %+v, want %d digests", rep, n)
	}
}

func TestASentPartWhoseRecordFailsIsNeverSentAgain(t *testing.T) {
	// One worker: the send that found out is the only one. Eight: those
	// under way when the pause began are held too, and none is lost.
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprint(workers, " workers"), func(t *testing.T) { sentButUnrecorded(t, workers) })
	}
}

func sentButUnrecorded(t *testing.T, workers int) {
	logs := logtest.Capture(t)
	w := newWorld(t)
	w.redeliver(func(o *DelivererOptions) { o.Platforms["t"].Workers = workers })
	w.morning(t, 20)
	// The database takes no "sent" record, as on a full disk.
	w.exec(t, `CREATE TRIGGER full BEFORE UPDATE OF state ON outbox WHEN NEW.state = 'sent'
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
	w.run(t)
	clocktest.Eventually(t, 10*time.Second, "delivery to pause and retry its record many times", func() bool {
		return logs.Count("The database still refuses writes") >= 20
	})
	sent := w.sender.total()
	if sent < 1 || sent > workers {
		t.Errorf("%d sends while the database refused to record them, want 1 to %d: those under way", sent, workers)
	}
	st := w.status(t)
	if !st.Paused || st.Unrecorded != sent || !strings.Contains(st.Reason, "disk is full") {
		t.Errorf("status while paused after %d sends: %+v", sent, st)
	}
	if err := w.deliver.Flush(context.Background(), 1); !errors.Is(err, ErrPaused) {
		t.Errorf("Flush while paused: %v, want ErrPaused", err)
	}

	w.exec(t, `DROP TRIGGER full`)
	clocktest.Eventually(t, 10*time.Second, "every part delivered", func() bool {
		return w.count(t, `SELECT count(*) FROM outbox WHERE state = 'pending'`) == 0
	})
	if n, repeated := w.sender.total(), w.sender.repeatedKeys(); n != 20 || len(repeated) > 0 {
		t.Errorf("%d sends for 20 parts; sent more than once: %v", n, repeated)
	}
	if p, r := logs.Count("Delivery paused"), logs.Count("Delivery resumed"); p != 1 || r != 1 {
		t.Errorf("logged %d pauses and %d resumptions, want one each:\n%s", p, r, logs)
	}
	if st := w.status(t); st.Paused || st.Unrecorded != 0 {
		t.Errorf("status after: %+v", st)
	}
}

func TestAFailureThatCannotBeRecordedIsNotRetriedAtOnce(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t)
	w.redeliver(nil)
	w.morning(t, 3)
	var failing atomic.Bool
	failing.Store(true)
	w.sender.fail = func(chatID string, call int) error {
		if failing.Load() {
			return errors.New("502 Bad Gateway")
		}
		return nil
	}
	w.exec(t, `CREATE TRIGGER readonly BEFORE UPDATE OF attempts ON outbox
		BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END`)
	w.run(t)
	clocktest.Eventually(t, 10*time.Second, "delivery to pause and retry its record many times", func() bool {
		return logs.Count("The database still refuses writes") >= 20
	})
	if n := w.sender.total(); n != 1 {
		t.Errorf("%d sends while failures could not be recorded, want 1", n)
	}
	w.exec(t, `DROP TRIGGER readonly`)
	failing.Store(false)
	clocktest.Eventually(t, 10*time.Second, "every part delivered", func() bool {
		w.clock.Add(time.Minute) // the failed part's backoff
		return w.count(t, `SELECT count(*) FROM outbox WHERE state = 'pending'`) == 0
	})
	if n := w.sender.total(); n != 4 {
		t.Errorf("%d sends, want 4: one failure, then each of 3 parts once", n)
	}
}

func TestAPartThatCannotBeBuiltBacksOffThenIsADeadLetter(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t)
	w.redeliver(nil)
	w.morning(t, 2)
	broken := w.subscribe(t, "broken", nil)
	sub := w.onDemand(t, broken)
	w.publish(t, "后来的新闻")
	w.onDemand(t, broken) // a second digest, behind the broken one
	w.exec(t, `UPDATE outbox SET message = '{"l": "zh", "u": [' WHERE id = (SELECT min(id) FROM outbox WHERE subscriber_id = ?)`, sub.ID)
	w.run(t)
	clocktest.Eventually(t, 10*time.Second, "the broken part to become a dead letter and the rest to go", func() bool {
		w.clock.Add(time.Minute) // backoffs come due
		return w.count(t, `SELECT count(*) FROM outbox WHERE state = 'pending'`) == 0
	})
	if got := w.count(t, `SELECT build_failures FROM outbox WHERE state = 'dead'`); got != 3 {
		t.Errorf("%d build failures before the dead letter, want 3", got)
	}
	if n := logs.Count("Unable to build a part"); n != 2 {
		t.Errorf("%d build failures logged before the dead letter, want 2:\n%s", n, logs)
	}
	if n := logs.Count("could not be built; it is a dead letter"); n != 1 {
		t.Errorf("dead letter logged %d times", n)
	}
	if st := w.status(t); st.BuildFailures != 3 || st.Failing != 0 {
		t.Errorf("status: %+v", st)
	}
	for _, chatID := range []string{"0", "1"} {
		if got := w.sender.texts(chatID); len(got) != 1 {
			t.Errorf("chat %s got %d digests", chatID, len(got))
		}
	}
	if got := w.sender.texts("broken"); len(got) != 1 || !strings.Contains(got[0], "后来的新闻") {
		t.Errorf("the digest after the broken part: %q", got)
	}
}

func TestAFailingBuildShowsInStatus(t *testing.T) {
	w := newWorld(t)
	w.redeliver(nil)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	sub := w.onDemand(t, key)
	w.exec(t, `UPDATE outbox SET message = 'x' WHERE subscriber_id = ?`, sub.ID)
	if err := w.deliver.Flush(context.Background(), sub.ID); err != nil {
		t.Fatal(err)
	}
	if st := w.status(t); st.BuildFailures != 1 || st.Failing != 1 {
		t.Errorf("status after one failed build: %+v", st)
	}
	// Backed off: flushing again at once builds nothing.
	w.deliver.Flush(context.Background(), sub.ID)
	if st := w.status(t); st.BuildFailures != 1 {
		t.Errorf("built again before its backoff: %+v", st)
	}
}

func TestIdempotencyKeysAreNeverReused(t *testing.T) {
	w := newWorld(t)
	w.publish(t, "新闻")
	first := w.subscribe(t, "1", nil)
	w.flush(t, w.onDemand(t, first).Key)
	// /stop deletes the subscriber and its digests, so SQLite would give
	// the next digest the same row id.
	if err := w.subs.Delete(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	second := w.subscribe(t, "2", nil)
	w.flush(t, w.onDemand(t, second).Key)
	keys := w.sender.keys
	if len(keys) != 2 || keys[0] == keys[1] || !strings.HasPrefix(keys[0], "digest-") || !strings.HasSuffix(keys[0], "-part-1") {
		t.Errorf("keys of two digests to two chats: %q", keys)
	}
}

func TestRetryAfterIsNeverCutShort(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(string, int) error {
		return &chat.SendError{RetryAfter: 1500 * time.Millisecond, Err: errors.New("Too Many Requests")}
	}
	sent := w.clock.Now()
	w.flush(t, w.onDemand(t, key).Key)
	for _, c := range []struct {
		after time.Duration
		due   int
	}{{time.Second, 0}, {1499 * time.Millisecond, 0}, {1500 * time.Millisecond, 1}} {
		parts, err := claimable(context.Background(), w.engine.opts.DB.DB, claim{now: sent.Add(c.after), platforms: []string{"t"}, limit: 10})
		if err != nil || len(parts) != c.due {
			t.Errorf("%s after a 1.5 s Retry-After: %d parts due (%v), want %d", c.after, len(parts), err, c.due)
		}
	}
}

func TestARetryAfterHoldsTheWholePlatform(t *testing.T) {
	w := newWorld(t)
	w.morning(t, 20)
	w.sender.fail = func(string, int) error {
		return &chat.SendError{RetryAfter: 30 * time.Second, Err: errors.New("Too Many Requests")}
	}
	for i := range 20 {
		w.flush(t, chat.Key{Platform: "t", ChatID: fmt.Sprint(i)})
	}
	if n := w.sender.total(); n != 1 {
		t.Fatalf("%d sends within a 30 s Retry-After, want the one that got it", n)
	}
	if st := w.status(t); st.Held["t"].IsZero() {
		t.Errorf("status does not show the hold: %+v", st)
	}
	w.sender.fail = nil
	w.clock.Add(30 * time.Second)
	for i := range 20 {
		w.flush(t, chat.Key{Platform: "t", ChatID: fmt.Sprint(i)})
	}
	if n := w.sender.total(); n != 21 {
		t.Errorf("%d sends after the hold, want 21", n)
	}
}

func TestADelivererLeavesOtherPlatformsAlone(t *testing.T) {
	w := newWorld(t)
	w.redeliver(nil)
	w.publish(t, "新闻")
	for i := range 3 {
		w.subscribe(t, fmt.Sprint(i), nil)
		if _, err := w.subs.Upsert(context.Background(), chat.Key{Platform: "webhook", ChatID: fmt.Sprint(i)}, chat.Private, "",
			func(*subscribers.Subscriber) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	w.runDue(t)
	rows := `SELECT group_concat(id || ':' || next_attempt_ms || ':' || attempts || ':' || last_error, ',') FROM outbox WHERE platform = 'webhook'`
	var before, after string
	w.engine.opts.DB.QueryRow(rows).Scan(&before)
	w.run(t)
	clocktest.Eventually(t, 10*time.Second, "this deliverer's parts to go", func() bool {
		return w.count(t, `SELECT count(*) FROM outbox WHERE platform = 't' AND state = 'pending'`) == 0
	})
	other, err := w.subs.Get(context.Background(), chat.Key{Platform: "webhook", ChatID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	w.deliver.Flush(context.Background(), other.ID)
	w.engine.opts.DB.QueryRow(rows).Scan(&after)
	if pending := w.count(t, `SELECT count(*) FROM outbox WHERE platform = 'webhook' AND state = 'pending'`); pending != 3 || after != before {
		t.Errorf("another platform's parts were touched: %d pending, rows %s, were %s", pending, after, before)
	}
}

func TestAMovedChatAndItsPartsMoveTogether(t *testing.T) {
	w := newWorld(t)
	w.redeliver(nil)
	key := w.subscribe(t, "-100", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, _ int) error {
		if chatID == "-100" {
			return &chat.SendError{MigratedTo: "-1009", Err: errors.New("group migrated to supergroup")}
		}
		return nil
	}
	sub := w.onDemand(t, key)
	w.exec(t, `CREATE TRIGGER io BEFORE UPDATE OF chat_id ON outbox BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`)
	w.deliver.Flush(context.Background(), sub.ID)
	if _, err := w.subs.Get(context.Background(), key); err != nil {
		t.Fatalf("the subscriber moved without its parts: %v", err)
	}
	if !w.status(t).Paused {
		t.Error("a move that could not be written did not pause delivery")
	}
	w.exec(t, `DROP TRIGGER io`)
	w.run(t)
	moved := chat.Key{Platform: "t", ChatID: "-1009"}
	clocktest.Eventually(t, 10*time.Second, "the digest to follow the chat", func() bool {
		return len(w.sender.texts("-1009")) == 1
	})
	if _, err := w.subs.Get(context.Background(), moved); err != nil {
		t.Errorf("subscriber not moved: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM outbox WHERE chat_id = '-100'`); n != 0 {
		t.Errorf("%d parts still name the old chat", n)
	}
}

func TestAZoneThatNoLongerLoadsDoesNotStopTheMorning(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.exec(t, `UPDATE subscribers SET tz = 'Mars/Olympus_Mons'`)
	w.clock.Set(time.Date(2026, 11, 26, 7, 30, 0, 0, wuzhou))
	if rep := w.runDue(t); rep.Digests != 1 {
		t.Fatalf("morning with a zone that does not load: %+v", rep)
	}
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.engine.Preview(context.Background(), sub); err != nil {
		t.Errorf("preview: %v", err)
	}
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 {
		t.Errorf("sent %q", got)
	}
}

func TestAReaderWhoComesBackIsServedAtOnce(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.sender.fail = func(chatID string, call int) error {
		if call == 1 {
			return &chat.SendError{Permanent: true, Err: errors.New("Forbidden: bot was blocked by the user")}
		}
		return nil
	}
	sub := w.onDemand(t, key)
	w.flush(t, key)
	if w.sender.calls["1"] != 1 || w.count(t, `SELECT strikes FROM digest_state`) != 1 {
		t.Fatalf("setup: %d calls", w.sender.calls["1"])
	}
	// Unblocked, the reader writes: what waited on the strike is due now.
	if err := w.deliver.Reachable(context.Background(), sub.ID); err != nil {
		t.Fatal(err)
	}
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 {
		t.Errorf("after the reader came back: %q", got)
	}
	if n := w.count(t, `SELECT strikes FROM digest_state`); n != 0 {
		t.Errorf("%d strikes left", n)
	}
}

func TestAChatBackFromBlockedGetsItsWaitingParts(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	sub := w.onDemand(t, key)
	w.exec(t, `UPDATE outbox SET next_attempt_ms = ?`, w.clock.Now().Add(time.Hour).UnixMilli())
	for _, s := range []subscribers.State{subscribers.Blocked, subscribers.Active} {
		if _, err := w.subs.Update(context.Background(), key, func(x *subscribers.Subscriber) error { x.State = s; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.deliver.Flush(context.Background(), sub.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.sender.texts("1"); len(got) != 1 {
		t.Errorf("after the chat came back: %q", got)
	}
}

// migrated opens a database of the digest schema as its first steps left
// it, with rows, and migrates it to the latest.
func migrated(t *testing.T, steps int, rows ...string) *db.DB {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	before := Schema()
	before.Steps = before.Steps[:steps]
	old, err := db.Open(ctx, path, articles.Schema(), subscribers.Schema(), before)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range rows {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	conn, err := db.Open(ctx, path, articles.Schema(), subscribers.Schema(), Schema())
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestTheMigrationGivesEveryDigestItsOwnTokenAndKeepsRetryTimes(t *testing.T) {
	conn := migrated(t, 1,
		`INSERT INTO subscribers (id, platform, chat_id, kind, name, lang, deliver_minute, tz, max_items, empty_notice, state, created_at, updated_at)
			VALUES (1, 'webhook', '1', 'private', '', 'zh', 450, 'Asia/Shanghai', 30, 1, 'active', 0, 0)`,
		`INSERT INTO digests (id, subscriber_id, kind, created_at, from_seq, to_seq, items, parts) VALUES
			(1, 1, 'scheduled', 0, 0, 0, 1, 1), (2, 1, 'scheduled', 0, 0, 0, 1, 1), (3, 1, 'scheduled', 0, 0, 0, 1, 1)`,
		`INSERT INTO outbox (digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, next_attempt_at)
			VALUES (3, 1, 'webhook', '1', 'private', 1, '{}', 1764000000)`)
	defer conn.Close()
	var tokens, distinct, shortest int
	if err := conn.QueryRow(`SELECT count(*), count(DISTINCT token), min(length(token)) FROM digests`).Scan(&tokens, &distinct, &shortest); err != nil {
		t.Fatal(err)
	}
	if tokens != 3 || distinct != 3 || shortest != 32 {
		t.Errorf("after migrating: %d digests, %d distinct tokens, the shortest %d characters", tokens, distinct, shortest)
	}
	var ms int64
	if err := conn.QueryRow(`SELECT next_attempt_ms FROM outbox`).Scan(&ms); err != nil || ms != 1764000000*1000 {
		t.Errorf("next attempt %d ms (%v), want the old time in milliseconds", ms, err)
	}
}
