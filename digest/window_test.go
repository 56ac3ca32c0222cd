package digest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/clocktest"
	"wzdaily/subscribers"
)

// Tests of conversation windows: parts held while a chat's window is
// closed, and released, merged, when the reader writes.

// windowed gives the world's platform a conversation window.
func (w *world) windowed(win Window) {
	w.redeliver(func(o *DelivererOptions) { o.Platforms["t"].Window = &win })
}

// heard is the reader of key writing to the bot.
func (w *world) heard(t *testing.T, key chat.Key) {
	t.Helper()
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.deliver.Heard(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
}

// longNews publishes n articles, each named by a number: 第007条 is
// article 7, so a test can count which came.
func (w *world) longNews(t *testing.T, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		w.publish(t, fmt.Sprintf("第%03d条新闻", i)+strings.Repeat("很长的标题", 10))
	}
}

var articleNumber = regexp.MustCompile(`第(\d{3})条新闻`)

// articlesIn counts each article named in texts.
func articlesIn(texts []string) map[string]int {
	out := map[string]int{}
	for _, text := range texts {
		for _, m := range articleNumber.FindAllStringSubmatch(text, -1) {
			out[m[1]]++
		}
	}
	return out
}

func (w *world) states(t *testing.T) map[string]int {
	t.Helper()
	rows, err := w.engine.opts.DB.QueryContext(context.Background(), `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

func TestAWindowThatClosesMidDigestHoldsTheRest(t *testing.T) {
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour})
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 200 })
	w.longNews(t, 0, 150)
	w.clock.Add(47 * time.Hour) // the reader subscribed 47 hours ago, and was silent since
	sub := w.onDemand(t, key)
	parts := w.count(t, `SELECT count(*) FROM outbox`)
	if parts < 3 {
		t.Fatalf("want a digest of several parts, got %d", parts)
	}
	w.sender.fail = func(_ string, call int) error {
		if call == 1 {
			w.clock.Add(2 * time.Hour) // the window closes while part 1 goes out
		}
		return nil
	}
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 {
		t.Fatalf("%d parts sent, want part 1 only", len(got))
	}
	if st := w.states(t); st["sent"] != 1 || st["held"] != parts-1 || st["pending"]+st["dead"] != 0 {
		t.Errorf("outbox %v, want 1 sent and %d held", st, parts-1)
	}
	if n := w.count(t, `SELECT strikes FROM digest_state WHERE subscriber_id = ?`, sub.ID); n != 0 {
		t.Errorf("%d strikes for a closed window", n)
	}
	backlog, err := NewOutbox(w.engine.opts.DB).Backlog(context.Background())
	if err != nil || backlog.Held != parts-1 || backlog.Pending != 0 || backlog.Dead != 0 {
		t.Errorf("backlog %+v (%v), want %d held", backlog, err, parts-1)
	}
	// Nothing goes until the reader writes, however long delivery runs.
	w.clock.Add(24 * time.Hour)
	w.flush(t, key)
	if n := w.sender.total(); n != 1 {
		t.Fatalf("%d sends while the window was closed", n)
	}

	w.heard(t, key)
	got := w.sender.texts("1")
	release := got[1:]
	if len(release) == 0 || !strings.Contains(release[0], "你有 1 天的摘要未读") {
		t.Fatalf("release:\n%s", strings.Join(release, "\n----\n"))
	}
	first, rest := articlesIn(got[:1]), articlesIn(release)
	for n, c := range rest {
		if c != 1 || first[n] > 0 {
			t.Errorf("article %s: %d times in the release, %d in part 1", n, c, first[n])
		}
	}
	if len(first)+len(rest) != 150 {
		t.Errorf("%d articles in part 1 and %d in the release, want all 150", len(first), len(rest))
	}
	last := release[len(release)-1]
	if !strings.Contains(last, "回复「1」明天继续收到摘要") || strings.Contains(release[0], "回复「1」") && len(release) > 1 {
		t.Errorf("the invitation is not on the last part alone:\n%s", strings.Join(release, "\n----\n"))
	}
	if st := w.states(t); st["held"] != 0 || st["merged"] != parts-1 || st["pending"] != 0 {
		t.Errorf("outbox after the release %v", st)
	}
}

func TestTheCountUsedUpHoldsTheRest(t *testing.T) {
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour, Messages: 1})
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 200 })
	w.longNews(t, 0, 150)
	w.onDemand(t, key)
	parts := w.count(t, `SELECT count(*) FROM outbox`)
	if parts < 3 {
		t.Fatalf("want a digest of at least 3 parts, got %d", parts)
	}
	w.flush(t, key)
	if n := len(w.sender.texts("1")); n != 1 {
		t.Fatalf("%d parts sent, want the window's 1", n)
	}
	if st := w.states(t); st["held"] != parts-1 {
		t.Errorf("outbox %v, want %d held", st, parts-1)
	}
	counts, err := w.deliver.Windows(context.Background())
	if c := counts["t"]; err != nil || c.Open != 0 || c.Closed != 1 || c.HeldParts != parts-1 || c.HeldChats != 1 {
		t.Errorf("windows %+v (%v)", counts, err)
	}
	// Writing gives one more message: the release's first part goes,
	// the rest are held again for the next message, and nothing is lost.
	seen := map[string]int{}
	for try := 0; w.count(t, `SELECT count(*) FROM outbox WHERE state = 'held'`) > 0; try++ {
		if try == 20 {
			t.Fatalf("still held after 20 messages")
		}
		w.heard(t, key)
	}
	for n, c := range articlesIn(w.sender.texts("1")) {
		seen[n] += c
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("article %s came %d times", n, c)
		}
	}
	if len(seen) != 150 {
		t.Errorf("%d of 150 articles came", len(seen))
	}
}

// A reader silent for days gets nothing until they write, then the held
// digests, merged into one, before anything else.
func TestAReaderWhoWritesGetsTheHeldDigestsMergedOnce(t *testing.T) {
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour, Messages: 20})
	key := w.subscribe(t, "1", nil) // 25 Nov 20:00: the window is open until 27 Nov 20:00
	var days []string
	for day := 26; day <= 29; day++ {
		w.clock.Set(time.Date(2026, 11, day, 6, 0, 0, 0, wuzhou))
		w.longNews(t, day*10, 3)
		w.clock.Set(time.Date(2026, 11, day, 7, 30, 0, 0, wuzhou))
		if rep := w.runDue(t); rep.Digests != 1 {
			t.Fatalf("%d Nov: %+v", day, rep)
		}
		w.flush(t, key)
		days = append(days, fmt.Sprint(len(w.sender.texts("1"))))
	}
	if got := strings.Join(days, ","); got != "1,2,2,2" {
		t.Errorf("messages after each morning: %s, want the 26th and 27th only", got)
	}
	if st := w.states(t); st["held"] != 2 {
		t.Errorf("outbox %v, want the digests of the 28th and 29th held", st)
	}
	w.heard(t, key)
	got := w.sender.texts("1")
	if len(got) != 3 {
		t.Fatalf("%d messages, want 2 digests and 1 release:\n%s", len(got), strings.Join(got, "\n----\n"))
	}
	release := got[2]
	if !strings.Contains(release, "你有 2 天的摘要未读") || !strings.Contains(release, "回复「1」明天继续收到摘要") {
		t.Errorf("release:\n%s", release)
	}
	want := map[string]int{"280": 1, "281": 1, "282": 1, "290": 1, "291": 1, "292": 1}
	if n := articlesIn([]string{release}); fmt.Sprint(n) != fmt.Sprint(want) {
		t.Errorf("the release lists %v, want %v", n, want)
	}
	// Writing again releases nothing more.
	w.heard(t, key)
	if n, err := w.engine.release(context.Background(), mustSub(t, w, key)); n != 0 || err != nil {
		t.Errorf("a second release: %d parts, %v", n, err)
	}
	if n := len(w.sender.texts("1")); n != 3 {
		t.Errorf("%d messages after writing again, want still 3", n)
	}
	// The reader wrote: the next morning goes out.
	w.clock.Set(time.Date(2026, 11, 30, 7, 30, 0, 0, wuzhou))
	w.runDue(t)
	w.flush(t, key)
	if n := len(w.sender.texts("1")); n != 4 {
		t.Errorf("%d messages after the next morning, want 4", n)
	}
}

func mustSub(t *testing.T, w *world, key chat.Key) *subscribers.Subscriber {
	t.Helper()
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// heldWorld is a chat on a platform with a 48-hour window whose reader
// has been silent for three days, and whose digest of news articles is
// held.
func heldWorld(t *testing.T, news int) (*world, chat.Key) {
	t.Helper()
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour})
	key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 200 })
	w.longNews(t, 0, news)
	w.clock.Add(72 * time.Hour)
	w.onDemand(t, key)
	w.flush(t, key)
	if st := w.states(t); st["held"] == 0 || st["pending"]+st["sent"] > 0 {
		t.Fatalf("outbox %v, want the digest held", st)
	}
	return w, key
}

// Two messages from the reader at once release the held digest once.
func TestConcurrentWritesReleaseOnce(t *testing.T) {
	w, key := heldWorld(t, 5)
	sub := mustSub(t, w, key)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.deliver.Heard(context.Background(), sub); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := w.sender.texts("1"); len(got) != 1 || len(articlesIn(got)) != 5 {
		t.Errorf("after 4 writes at once: %q", got)
	}
	if n := w.count(t, `SELECT count(*) FROM digests WHERE kind = 'release'`); n != 1 {
		t.Errorf("%d release digests", n)
	}
}

// The platform's own word that the window is closed holds the part, even
// on a platform that declared no window; the reader's next message
// releases it.
func TestAClosedAnswerHoldsTheChatsParts(t *testing.T) {
	for _, win := range []*Window{{Span: 48 * time.Hour}, nil} {
		t.Run(fmt.Sprint("window ", win != nil), func(t *testing.T) {
			w := newWorld(t)
			w.redeliver(func(o *DelivererOptions) { o.Platforms["t"].Window = win })
			key := w.subscribe(t, "1", func(s *subscribers.Subscriber) { s.MaxItems = 200 })
			w.longNews(t, 0, 150)
			sub := w.onDemand(t, key)
			parts := w.count(t, `SELECT count(*) FROM outbox`)
			closed := true
			w.sender.fail = func(string, int) error {
				if closed {
					return &chat.SendError{Closed: true, Err: errors.New("errcode 45015: response out of time limit")}
				}
				return nil
			}
			w.flush(t, key)
			w.flush(t, key)
			if calls := w.sender.calls["1"]; calls != 1 {
				t.Errorf("%d sends after the platform said the window was closed, want 1", calls)
			}
			if st := w.states(t); st["held"] != parts {
				t.Errorf("outbox %v, want all %d parts held", st, parts)
			}
			if n := w.count(t, `SELECT strikes FROM digest_state WHERE subscriber_id = ?`, sub.ID); n != 0 {
				t.Errorf("%d strikes", n)
			}
			if got := mustSub(t, w, key); got.State != subscribers.Active {
				t.Errorf("state %s", got.State)
			}
			if win != nil {
				if rw, err := w.deliver.ReaderWindow(context.Background(), sub); err != nil || rw.Open || rw.HeldDigests != 1 || rw.HeldParts != parts {
					t.Errorf("reader's window %+v (%v)", rw, err)
				}
			}
			closed = false
			w.heard(t, key)
			got := w.sender.texts("1")
			if len(got) == 0 || !strings.Contains(got[0], "你有 1 天的摘要未读") || len(articlesIn(got)) != 150 {
				t.Errorf("after the reader wrote, %d messages:\n%s", len(got), strings.Join(got, "\n----\n"))
			}
			if win != nil {
				if rw, err := w.deliver.ReaderWindow(context.Background(), sub); err != nil || !rw.Open || rw.HeldParts != 0 {
					t.Errorf("reader's window after writing %+v (%v)", rw, err)
				}
			}
		})
	}
}

// Held parts are not failures: a blocked or departed chat drops them, as
// its pending parts are dropped after its strikes; a paused chat keeps
// them, since pausing stops new digests, not those composed.
func TestHeldPartsOfAChatThatLeavesAreDropped(t *testing.T) {
	for _, state := range []subscribers.State{subscribers.Blocked, subscribers.Left, subscribers.Paused} {
		t.Run(string(state), func(t *testing.T) {
			w, key := heldWorld(t, 3)
			if _, err := w.subs.Update(context.Background(), key, func(s *subscribers.Subscriber) error { s.State = state; return nil }); err != nil {
				t.Fatal(err)
			}
			w.heard(t, key)
			st := w.states(t)
			sent := len(w.sender.texts("1"))
			if state == subscribers.Paused {
				if st["sent"] != 1 || sent != 1 {
					t.Errorf("paused: outbox %v, %d sent; want the held digest released", st, sent)
				}
				return
			}
			if st["dead"] != 1 || sent != 0 {
				t.Errorf("%s: outbox %v, %d sent; want the held part dropped", state, st, sent)
			}
			dead, err := NewOutbox(w.engine.opts.DB).DeadLetters(context.Background(), 5)
			if err != nil || len(dead) != 1 || !strings.Contains(dead[0].Error, string(state)) {
				t.Errorf("dead letters %+v %v", dead, err)
			}
		})
	}
}

// A failure inside the release transaction leaves the held parts held,
// and the next message releases them once: the merge is all or nothing.
func TestAReleaseThatFailsHalfwayLosesNothing(t *testing.T) {
	w, key := heldWorld(t, 150)
	held := w.count(t, `SELECT count(*) FROM outbox WHERE state = 'held'`)
	// The release's second part cannot be written, after its first was.
	w.exec(t, `CREATE TRIGGER crash BEFORE INSERT ON outbox WHEN NEW.part = 2
		BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`)
	if err := w.deliver.Heard(context.Background(), mustSub(t, w, key)); err == nil || !strings.Contains(err.Error(), "disk I/O error") {
		t.Fatalf("Heard: %v", err)
	}
	if st := w.states(t); st["held"] != held || st["merged"]+st["pending"] != 0 || w.count(t, `SELECT count(*) FROM digests`) != 1 {
		t.Fatalf("after a failed release: outbox %v", st)
	}
	w.exec(t, `DROP TRIGGER crash`)
	w.heard(t, key)
	got := w.sender.texts("1")
	for n, c := range articlesIn(got) {
		if c != 1 {
			t.Errorf("article %s came %d times", n, c)
		}
	}
	if len(articlesIn(got)) != 150 || len(w.sender.repeatedKeys()) > 0 {
		t.Errorf("%d articles came in %d messages; repeated: %v", len(articlesIn(got)), len(got), w.sender.repeatedKeys())
	}
}

// With Run delivering, a closed window holds the morning; the reader's
// message releases it at once, on the ordinary outbox path.
func TestRunHoldsAndReleases(t *testing.T) {
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour})
	var keys []chat.Key
	for i := range 10 {
		keys = append(keys, w.subscribe(t, fmt.Sprint(i), nil))
	}
	w.longNews(t, 0, 4)
	w.clock.Set(time.Date(2026, 11, 28, 7, 30, 0, 0, wuzhou)) // past every window
	if rep := w.runDue(t); rep.Digests != 10 {
		t.Fatalf("%+v", rep)
	}
	w.run(t)
	clocktest.Eventually(t, 10*time.Second, "every part held", func() bool {
		return w.count(t, `SELECT count(*) FROM outbox WHERE state = 'held'`) == 10
	})
	if n := w.sender.total(); n != 0 {
		t.Errorf("%d sends to closed windows", n)
	}
	if held, _ := w.deliver.WindowCounts(); held != 10 {
		t.Errorf("%d parts counted held", held)
	}
	for _, k := range keys[:5] {
		w.heard(t, k)
	}
	clocktest.Eventually(t, 10*time.Second, "the released digests sent", func() bool {
		return w.sender.total() == 5
	})
	for i, k := range keys {
		if got := w.sender.texts(k.ChatID); (i < 5) != (len(got) == 1) {
			t.Errorf("chat %s got %d messages", k.ChatID, len(got))
		}
	}
	if _, released := w.deliver.WindowCounts(); released != 5 {
		t.Errorf("%d releases counted", released)
	}
}

// On a platform without a window, a reader's message costs one read and
// no write, and digests carry no invitation.
func TestNoWindowNoInvitationNoWrite(t *testing.T) {
	w := newWorld(t)
	key := w.subscribe(t, "1", nil)
	w.publish(t, "新闻")
	w.onDemand(t, key)
	w.flush(t, key)
	w.exec(t, `CREATE TRIGGER nowrite BEFORE UPDATE ON digest_state BEGIN SELECT RAISE(ABORT, 'a write'); END`)
	w.heard(t, key)
	if got := w.sender.texts("1"); len(got) != 1 || strings.Contains(got[0], "回复「1」") {
		t.Errorf("without a window: %q", got)
	}
	if w.deliver.WindowOf("t") != nil {
		t.Errorf("a window without one declared")
	}
}

// The windows migration makes outbox and digests again to widen their
// checks: every row comes through, the outbox still refers to digests,
// and a subscriber's window starts at its last change.
func TestTheWindowsMigrationKeepsEveryDigestAndPart(t *testing.T) {
	ctx := context.Background()
	conn := migrated(t, 2,
		`INSERT INTO subscribers (id, platform, chat_id, kind, name, lang, deliver_minute, tz, max_items, empty_notice, state, created_at, updated_at)
			VALUES (1, 'webhook', '1', 'private', '', 'zh', 450, 'Asia/Shanghai', 30, 1, 'active', 0, 1764000000)`,
		`INSERT INTO digest_state (subscriber_id, cursor_seq, next_due_at, strikes) VALUES (1, 7, 1764100000, 2)`,
		`INSERT INTO digests (id, subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token) VALUES
			(1, 1, 'scheduled', 10, 0, 5, 3, 2, 'a'), (2, 1, 'on_demand', 20, 5, 7, 1, 1, 'b')`,
		`INSERT INTO outbox (id, digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, state, attempts, next_attempt_ms,
			last_error, message_id, sent_at, build_failures) VALUES
			(1, 1, 1, 'webhook', '1', 'private', 1, '{"n":1}', 'sent', 1, 5, '', 'm1', 11, 0),
			(2, 1, 1, 'webhook', '1', 'private', 2, '{"n":2}', 'dead', 3, 6, 'blocked', '', 0, 1),
			(3, 2, 1, 'webhook', '1', 'private', 1, '{"n":1}', 'pending', 2, 7, '502', '', 0, 2)`)
	defer conn.Close()
	var rows []string
	r, err := conn.QueryContext(ctx, `SELECT o.id, o.digest_id, d.kind, d.token, o.part, o.message, o.state, o.attempts, o.next_attempt_ms,
		o.last_error, o.message_id, o.sent_at, o.build_failures FROM outbox o JOIN digests d ON d.id = o.digest_id ORDER BY o.id`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var id, digest, part, attempts, next, sent, failures int64
		var kind, token, message, state, lastErr, messageID string
		if err := r.Scan(&id, &digest, &kind, &token, &part, &message, &state, &attempts, &next, &lastErr, &messageID, &sent, &failures); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, strings.TrimSpace(fmt.Sprintln(id, digest, kind, token, part, message, state, attempts, next, lastErr, messageID, sent, failures)))
	}
	r.Close()
	want := []string{
		`1 1 scheduled a 1 {"n":1} sent 1 5  m1 11 0`,
		`2 1 scheduled a 2 {"n":2} dead 3 6 blocked  0 1`,
		`3 2 on_demand b 1 {"n":1} pending 2 7 502  0 2`,
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the migration:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	var heard, strikes int64
	if err := conn.QueryRowContext(ctx, `SELECT heard_ms, strikes FROM digest_state WHERE subscriber_id = 1`).Scan(&heard, &strikes); err != nil ||
		heard != 1764000000*1000 || strikes != 2 {
		t.Errorf("digest_state: heard %d, strikes %d (%v)", heard, strikes, err)
	}
	for _, q := range []string{
		`UPDATE outbox SET state = 'held' WHERE id = 3`,
		`UPDATE outbox SET state = 'merged' WHERE id = 3`,
		`INSERT INTO digests (subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token) VALUES (1, 'release', 30, 0, 7, 1, 1, 'c')`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	if _, err := conn.ExecContext(ctx, `UPDATE outbox SET state = 'lost' WHERE id = 3`); err == nil {
		t.Errorf("the state check is gone")
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO digests (subscriber_id, kind, created_at, from_seq, to_seq, items, parts, token)
		VALUES (1, 'scheduled', 30, 0, 7, 1, 1, 'a')`); err == nil {
		t.Errorf("a token repeated")
	}
	// The outbox still refers to digests: deleting one deletes its parts.
	if _, err := conn.ExecContext(ctx, `DELETE FROM digests WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d parts left after deleting digest 1 (%v), want 1", left, err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO outbox (digest_id, subscriber_id, platform, chat_id, chat_kind, part, message, next_attempt_ms)
		VALUES (99, 1, 'webhook', '1', 'private', 1, '{}', 0)`); err == nil {
		t.Errorf("a part of a digest that does not exist was stored")
	}
}

// The reader writes while a send to them is under way, and the platform
// then answers that the window was closed: its answer is older than the
// reader's message, so the part is released at once, not held until the
// next message.
func TestAWindowClosedWhileTheReaderWritesIsReleased(t *testing.T) {
	w := newWorld(t)
	w.windowed(Window{Span: 48 * time.Hour})
	key := w.subscribe(t, "1", nil)
	w.longNews(t, 0, 3)
	inFlight, answer := make(chan struct{}), make(chan struct{})
	w.sender.fail = func(_ string, call int) error {
		if call > 1 {
			return nil
		}
		close(inFlight)
		<-answer
		return &chat.SendError{Closed: true, Err: errors.New("errcode 45015: response out of time limit")}
	}
	sub := w.onDemand(t, key)
	flushed := make(chan error)
	go func() { flushed <- w.deliver.Flush(context.Background(), sub.ID) }()
	<-inFlight
	w.heard(t, key)
	close(answer)
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	w.flush(t, key)
	if got := w.sender.texts("1"); len(got) != 1 || len(articlesIn(got)) != 3 {
		t.Errorf("after the reader wrote during a send the platform refused: %q", got)
	}
	if st := w.states(t); st["held"] != 0 || st["sent"] != 1 {
		t.Errorf("outbox %v", st)
	}
}
