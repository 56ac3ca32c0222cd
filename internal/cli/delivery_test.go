package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/bot/webhook"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/fakehook"
	"wzdaily/subscribers"
)

// childEnv makes the test binary run one command line and exit: the crash
// test's child process.
const childEnv = "WZDAILY_TEST_CHILD_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(childEnv); args != "" {
		os.Exit(Run(context.Background(), OSEnv(), strings.Split(args, "\x1f")))
	}
	os.Exit(m.Run())
}

// outboxOf prepares n webhook subscribers, each with one digest of
// several parts in the outbox, and returns how many parts each has.
func outboxOf(t *testing.T, dbPath string, n int) map[string]int {
	t.Helper()
	ctx := context.Background()
	a := sampleApp(t, dbPath)
	defer a.Close()
	for i := range n {
		key := chat.Key{Platform: "webhook", ChatID: fmt.Sprint("c", i)}
		if _, err := a.Subscribers.Upsert(ctx, key, chat.Private, "", func(s *subscribers.Subscriber) error {
			s.Follow("东财滚动新闻")
			s.MaxItems = 3 + i%40
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.DB.ExecContext(ctx, `UPDATE digest_state SET next_due_at = 0`); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Engine.RunDue(ctx)
	if err != nil || rep.Digests != n {
		t.Fatalf("compose: %+v %v", rep, err)
	}
	parts := map[string]int{}
	rows, err := a.DB.QueryContext(ctx, `SELECT chat_id, count(*) FROM outbox GROUP BY chat_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var chat string
		var k int
		rows.Scan(&chat, &k)
		parts[chat] = k
	}
	return parts
}

// checkDelivered compares what the receiver got with the outbox: every
// part of every digest, once, apart from at most allowedRepeats repeats.
func checkDelivered(t *testing.T, fake *fakehook.Server, parts map[string]int, allowedRepeats int) {
	t.Helper()
	byChat := fake.ByChat()
	lost := 0
	for chat, want := range parts {
		keys := map[string]bool{}
		// A dropped confirmation still delivered the message.
		for _, d := range byChat[chat] {
			keys[d.IdempotencyKey] = true
		}
		if len(keys) != want {
			lost += want - len(keys)
			t.Errorf("chat %s: %d distinct parts delivered of %d", chat, len(keys), want)
		}
	}
	repeats := 0
	for _, n := range fake.Duplicates() {
		repeats += n - 1
	}
	if lost != 0 || repeats > allowedRepeats {
		t.Errorf("lost %d parts, repeated %d (allowed %d)", lost, repeats, allowedRepeats)
	}
	t.Logf("%d chats, %d deliveries, %d repeated parts", len(parts), fake.Count(), repeats)
}

// TestDeliverySurvivesSIGKILL: a real child process delivers 2,000
// digests to a local HTTP receiver and is killed with SIGKILL at random
// points 20 times, restarting each time.
func TestDeliverySurvivesSIGKILL(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("kills child processes; .ci/run runs it without -short and without -race")
	}
	dbPath := filepath.Join(t.TempDir(), "crash.db")
	parts := outboxOf(t, dbPath, 2000)
	fake := fakehook.New(fakehook.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	// Paced so that the 20 kills fall while parts are still going out.
	child := crashChild(srv.URL, "digest", "run", "--db", dbPath, "--workers", "1", "--rate", "300")
	killAtRandom(t, child, 20, 11, nil)
	// The kills must have landed while delivering, not before it started
	// or after it ended.
	before := fake.Count()
	total := 0
	for _, n := range parts {
		total += n
	}
	if before == 0 || before >= total {
		t.Fatalf("%d of %d parts delivered before the last run: the kills missed the delivery", before, total)
	}
	t.Logf("%d of %d parts delivered across 20 killed runs", before, total)
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the last run failed: %v\n%s", err, out)
	}
	checkDelivered(t, fake, parts, 20)
}

// crashChild returns a maker of child processes that run one command
// line of wzdaily, delivering to the webhook at url.
func crashChild(url string, args ...string) func() *exec.Cmd {
	return func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\x1f"), "WZDAILY_WEBHOOK="+url)
		return cmd
	}
}

// killAtRandom starts a child and kills it with SIGKILL a while later, a
// different while each time, kills times; before(i), when given, runs
// before the i-th start.
func killAtRandom(t *testing.T, child func() *exec.Cmd, kills int, seed uint64, before func(i int)) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, seed+1))
	for kill := 0; kill < kills; kill++ {
		if before != nil {
			before(kill)
		}
		cmd := child()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+rng.IntN(400)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// TestDeliverySurvivesSIGKILLWhileReleasingHeld: 300 webhook chats behind
// a relay with a 48-hour conversation window, whose readers have been
// silent for days, so their digests are held. The readers write, a few
// at a time, while a child process delivering the released digests is
// killed 20 times: each chat gets its held digest once, merged into a
// release, every article in it, and none of the held parts as they were.
func TestDeliverySurvivesSIGKILLWhileReleasingHeld(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("kills child processes; .ci/run runs it without -short and without -race")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "held.db")
	held := outboxOf(t, dbPath, 300)
	fake := fakehook.New(fakehook.Options{Window: 48 * time.Hour})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	a, err := app.New(ctx, app.Options{Settings: app.Settings{DB: dbPath, Webhook: app.WebhookSettings{URL: srv.URL, Window: 48 * time.Hour}}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// The readers subscribed, and last wrote, long ago.
	if _, err := a.DB.ExecContext(ctx, `UPDATE digest_state SET heard_ms = 0`); err != nil {
		t.Fatal(err)
	}
	want := articleLinks(t, a)
	// Paced so that a kill falls while a batch of releases goes out.
	child := crashChild(srv.URL, "digest", "run", "--db", dbPath, "--workers", "1", "--rate", "50", "--window", "48h")
	// A first run holds every part and sends nothing.
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the first run: %v\n%s", err, out)
	}
	total := 0
	for _, n := range held {
		total += n
	}
	if b, err := a.Outbox.Backlog(ctx); err != nil || b.Held != total || b.Pending != 0 || fake.Count()+len(fake.Rejections()) != 0 {
		t.Fatalf("after the first run: %+v %v, %d sent, %d refused; want all %d parts held", b, err, fake.Count(), len(fake.Rejections()), total)
	}
	chats := slices.Sorted(maps.Keys(held))
	write := func(batch int) {
		for _, id := range chats[batch*len(chats)/20 : (batch+1)*len(chats)/20] {
			fake.Heard(id)
			sub, err := a.Subscribers.Get(ctx, chat.Key{Platform: "webhook", ChatID: id})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Deliverer.Wrote(ctx, sub); err != nil {
				t.Fatal(err)
			}
		}
	}
	killAtRandom(t, child, 20, 13, write)
	release := map[string]int{}
	released := countRelease(t, a, release)
	if before := fake.Count(); before == 0 || before >= released {
		t.Fatalf("%d of %d release parts delivered before the last run: the kills missed the delivery", before, released)
	} else {
		t.Logf("%d held parts released as %d; %d delivered across 20 killed runs", total, released, before)
	}
	if out, err := child().CombinedOutput(); err != nil {
		t.Fatalf("the last run failed: %v\n%s", err, out)
	}
	var states []string
	rows, err := a.DB.QueryContext(ctx, `SELECT o.state || ' ' || d.kind, count(*) FROM outbox o JOIN digests d ON d.id = o.digest_id GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		var n int
		rows.Scan(&s, &n)
		states = append(states, fmt.Sprint(s, ": ", n))
	}
	rows.Close()
	if got := strings.Join(states, ", "); got != fmt.Sprintf("merged scheduled: %d, sent release: %d", total, released) {
		t.Errorf("outbox after: %s", got)
	}
	checkDelivered(t, fake, release, 20)
	for id, links := range want {
		seen := map[string]bool{}
		text := ""
		for _, d := range fake.ByChat()[id] {
			if !seen[d.IdempotencyKey] {
				seen[d.IdempotencyKey] = true
				text += d.Text + "\n"
			}
		}
		if !strings.HasPrefix(text, "【你有 1 天的摘要未读") {
			t.Errorf("chat %s: the release begins %.60q", id, text)
		}
		for _, link := range links {
			if n := strings.Count(text, link+"\n"); n != 1 {
				t.Errorf("chat %s: %s came %d times", id, link, n)
			}
		}
	}
}

// articleLinks lists, by chat, the links of the articles in its outbox.
func articleLinks(t *testing.T, a *app.App) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := a.DB.QueryContext(ctx, `SELECT chat_id, message FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seqs := map[string][]int64{}
	for rows.Next() {
		var id, body string
		var p digest.Part
		if err := rows.Scan(&id, &body); err != nil || json.Unmarshal([]byte(body), &p) != nil {
			t.Fatalf("part of %s: %v", id, err)
		}
		for _, u := range p.Units {
			seqs[id] = append(seqs[id], u.Seq)
		}
	}
	out := map[string][]string{}
	for id, s := range seqs {
		list, err := a.Articles.BySeqs(ctx, s)
		if err != nil || len(list) != len(s) {
			t.Fatalf("articles of %s: %d of %d, %v", id, len(list), len(s), err)
		}
		for _, art := range list {
			out[id] = append(out[id], art.URL)
		}
	}
	return out
}

// countRelease counts, into parts, each chat's release parts, and returns
// their sum.
func countRelease(t *testing.T, a *app.App, parts map[string]int) int {
	t.Helper()
	rows, err := a.DB.QueryContext(context.Background(), `SELECT o.chat_id, count(*) FROM outbox o JOIN digests d ON d.id = o.digest_id
		WHERE d.kind = 'release' GROUP BY o.chat_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var id string
		var n int
		rows.Scan(&id, &n)
		parts[id] = n
		total += n
	}
	return total
}

// TestDeliveryUnderFaults: a fifth of the sends fail with 429, 5xx, slow
// answers past the client's timeout, or a confirmation lost on the way
// back; every digest still arrives.
func TestDeliveryUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("retries take seconds; runs in .ci/run")
	}
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "faults.db")
	parts := outboxOf(t, dbPath, 200)
	fake := fakehook.New(fakehook.Options{})
	if err := fake.SetFaults(fakehook.Faults{Fraction: 0.2, Seed: 5, Delay: 3 * time.Second,
		Kinds: []fakehook.FaultKind{fakehook.Fault429, fakehook.Fault500, fakehook.Fault502, fakehook.FaultSlow, fakehook.FaultDrop}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	defer fake.Clear()
	a, err := app.New(ctx, app.Options{Settings: app.Settings{DB: dbPath}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// The client gives up after a second, so the slow faults (3 s) time
	// out; on a loaded machine an ordinary answer may too. Either way the
	// message may have arrived unconfirmed, and only such sends may be
	// repeated: the sender counts them, part by part.
	sender := &unansweredSends{Sender: webhook.New(webhook.Options{URL: srv.URL, Client: &http.Client{Timeout: time.Second}}),
		n: map[string]int{}}
	d := digest.NewDeliverer(digest.DelivererOptions{DB: a.DB, Engine: a.Engine, Subscribers: a.Subscribers, Backoff: 50 * time.Millisecond,
		MaxBackoff: 200 * time.Millisecond, Poll: 20 * time.Millisecond,
		Platforms: map[string]*digest.Platform{"webhook": {Sender: sender}}})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(runCtx); close(done) }()
	var backlog digest.Backlog
	clocktest.Eventually(t, 2*time.Minute, "every part delivered", func() bool {
		var err error
		if backlog, err = digest.NewOutbox(a.DB).Backlog(ctx); err != nil {
			t.Fatal(err)
		}
		return backlog.Pending == 0
	})
	if backlog.Dead != 0 {
		t.Errorf("%d parts dead", backlog.Dead)
	}
	cancel()
	<-done
	if len(fake.Rejections()) == 0 {
		t.Fatalf("no fault was injected")
	}
	// A lost confirmation makes the outbox send that part again, and
	// nothing else may: a part is repeated at most as often as its sends
	// went unanswered (a dropped connection, a timeout).
	unanswered := 0
	for key, n := range fake.Duplicates() {
		if n-1 > sender.n[key] {
			t.Errorf("part %s delivered %d times after %d unanswered sends", key, n, sender.n[key])
		}
	}
	for _, n := range sender.n {
		unanswered += n
	}
	checkDelivered(t, fake, parts, unanswered)
}

// unansweredSends counts, by idempotency key, the sends that got no
// answer from the receiver: the only ones whose message may have
// arrived although the sender saw a failure.
type unansweredSends struct {
	chat.Sender
	mu sync.Mutex
	n  map[string]int
}

func (s *unansweredSends) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	id, err := s.Sender.Send(ctx, to, m)
	if err != nil && !answered(err) {
		s.mu.Lock()
		s.n[chat.IdempotencyKey(ctx)]++
		s.mu.Unlock()
	}
	return id, err
}

// answered reports whether a failed send got the receiver's answer: a
// status the webhook classified.
func answered(err error) bool {
	for _, e := range []error{webhook.ErrBlocked, webhook.ErrChatNotFound, webhook.ErrMigrated, webhook.ErrRejected,
		webhook.ErrRateLimited, webhook.ErrUnavailable, webhook.ErrBadResponse, webhook.ErrNotAccepted, webhook.ErrRedirected} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
