package cli

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/db/dbtest"
	"wzdaily/internal/fakehook"
)

// outboxRows is every outbox row as text, to tell whether a command
// touched any.
func outboxRows(t *testing.T, dbPath string) string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var rows string
	if err := conn.QueryRow(`SELECT group_concat(id || ':' || state || ':' || attempts || ':' || next_attempt_ms || ':' || last_error, ',')
		FROM outbox`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

func lastErrors(t *testing.T, dbPath string) string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var errs string
	if err := conn.QueryRow(`SELECT coalesce(group_concat(last_error, '|'), '') FROM outbox`).Scan(&errs); err != nil {
		t.Fatal(err)
	}
	return errs
}

func TestDigestRunStopsWithinItsBound(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	parts := outboxOf(t, dbPath, 3)
	fake := fakehook.New(fakehook.Options{})
	if err := fake.SetFaults(fakehook.Faults{Fraction: 1, Kinds: []fakehook.FaultKind{fakehook.Fault500}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	code, out, errOut := run(t, map[string]string{"WZDAILY_WEBHOOK": srv.URL}, "", "digest", "run", "--db", dbPath, "--within", "1500ms")
	pending := 0
	for _, n := range parts {
		pending += n
	}
	if code != 1 || !strings.Contains(out, "pending") || !strings.Contains(out, "waiting for webhook: transient: webhook: unable to send message") ||
		!strings.Contains(errOut, "still pending after 1.5s") {
		t.Errorf("a run against a receiver that always fails: exit %d\n%s\n%s", code, out, errOut)
	}
	if fake.Count() != 0 || len(fake.Rejections()) == 0 {
		t.Errorf("%d delivered, %d refused", fake.Count(), len(fake.Rejections()))
	}
	// Once the receiver works, the next run delivers it all and succeeds.
	fake.Clear()
	code, out, errOut = run(t, map[string]string{"WZDAILY_WEBHOOK": srv.URL}, "", "digest", "run", "--db", dbPath, "--within", "1m")
	if code != 0 || !strings.Contains(out, " 0 pending") {
		// The failed parts wait out their backoff (seconds) within the minute.
		t.Errorf("second run: exit %d\n%s\n%s", code, out, errOut)
	}
	if fake.Count() != pending {
		t.Errorf("%d of %d parts delivered by the second run", fake.Count(), pending)
	}
}

func TestTheWebhookURLIsASecret(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	outboxOf(t, dbPath, 2)
	srv := httptest.NewServer(fakehook.New(fakehook.Options{}))
	srv.Close() // nobody answers: every error quotes the address
	secretURL := strings.Replace(srv.URL, "http://", "http://bot:pa55word@", 1) + "/private-path?token=s3cret"
	env := map[string]string{"WZDAILY_WEBHOOK": secretURL}
	leaks := func(what, text string) {
		t.Helper()
		for _, s := range []string{"pa55word", "s3cret", "private-path"} {
			if strings.Contains(text, s) {
				t.Errorf("%s shows %q:\n%s", what, s, text)
			}
		}
	}

	code, out, errOut := run(t, env, "", "config", "check", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "webhook.url") {
		t.Fatalf("config check: %d\n%s\n%s", code, out, errOut)
	}
	leaks("config check", out+errOut)

	code, out, errOut = run(t, env, "", "digest", "run", "--db", dbPath, "--within", "300ms")
	if code != 1 {
		t.Errorf("digest run to nobody: exit %d\n%s\n%s", code, out, errOut)
	}
	leaks("digest run", out+errOut)
	if errs := lastErrors(t, dbPath); !strings.Contains(errs, "connection refused") {
		t.Errorf("the outbox does not say why: %q", errs)
	} else {
		leaks("the outbox", errs)
	}
	if code, out, errOut := run(t, nil, "", "digest", "deadletters", "--db", dbPath); code != 0 {
		t.Errorf("digest deadletters: exit %d\n%s", code, errOut)
	} else {
		leaks("digest deadletters", out+errOut)
	}

	for _, args := range [][]string{{"serve", "--webhook", secretURL}, {"digest", "run", "--webhook", secretURL}} {
		code, _, errOut := run(t, nil, "", append(args, "--db", dbPath)...)
		if code != 2 || !strings.Contains(errOut, "WZDAILY_WEBHOOK") {
			t.Errorf("%s: exit %d, want a refusal naming WZDAILY_WEBHOOK\n%s", args[0], code, errOut)
		}
	}
}

func TestDemoOnALiveDatabaseDoesNotDeliver(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "live.db")
	outboxOf(t, dbPath, 5)
	before := outboxRows(t, dbPath)
	lock, err := digest.AcquireLock(dbPath) // serve, delivering
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, out, errOut := run(t, nil, "帮助\n搜索 梧州\n", "demo", "--db", dbPath)
	if code != 0 || !strings.Contains(out, "Another process delivers from") {
		t.Errorf("demo on a live database: exit %d\n%s\n%s", code, out, errOut)
	}
	if after := outboxRows(t, dbPath); after != before {
		t.Errorf("the demo touched the live outbox:\nbefore %s\nafter  %s", before, after)
	}
	var articles int
	conn, _ := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro")
	defer conn.Close()
	conn.QueryRowContext(context.Background(), `SELECT count(*) FROM articles`).Scan(&articles)
	if articles != 105 {
		t.Errorf("%d articles after the demo, want the 105 that were there", articles)
	}
}

func TestServeRefusesADatabaseThatTakesNoWrite(t *testing.T) {
	dir, fill := dbtest.SmallDisk(t, "16m")
	dbPath := filepath.Join(dir, "full.db")
	outboxOf(t, dbPath, 3)
	before := outboxRows(t, dbPath)
	fill()
	fake := fakehook.New(fakehook.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	code, out, errOut := run(t, map[string]string{"WZDAILY_WEBHOOK": srv.URL}, "", "serve", "--db", dbPath, "--poll", "0")
	if code == 0 || !strings.Contains(errOut, "does not take a committed write") || !strings.Contains(errOut, "full") {
		t.Errorf("serve on a full disk: exit %d\n%s\n%s", code, out, errOut)
	}
	if fake.Count() != 0 || outboxRows(t, dbPath) != before {
		t.Errorf("serve delivered %d parts from a database it cannot record in", fake.Count())
	}
}

// TestAReaderWhoComesBackIsNotKeptWaiting: a reader blocks the bot without
// the platform saying so; the next digest meets a 403 and waits an hour.
// When the reader writes again, it goes at once; and /digest answers even
// while the platform makes its parts wait.
func TestAReaderWhoComesBackIsNotKeptWaiting(t *testing.T) {
	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "x.db")
	parts := outboxOf(t, dbPath, 1)["c0"]
	fake := fakehook.New(fakehook.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.Block("c0")
	a, err := app.New(ctx, app.Options{Settings: app.Settings{DB: dbPath, Webhook: app.WebhookSettings{URL: srv.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { a.Deliverer.Run(run); close(done) }()
	defer func() { stop(); <-done }()
	eventually(t, "the first part to meet the block", func() bool { return len(fake.Rejections()) == 1 })

	fake.Restore("c0")
	key := chat.Key{Platform: "webhook", ChatID: "c0"}
	a.Bot.Handle(ctx, chat.Update{Chat: key, Kind: chat.Private, Text: "/start"})
	eventually(t, "the digest once the reader wrote", func() bool { return len(fake.ByChat()["c0"]) == parts })

	if err := fake.SetFaults(fakehook.Faults{Fraction: 1, Kinds: []fakehook.FaultKind{fakehook.Fault429}}); err != nil {
		t.Fatal(err)
	}
	replies := a.Bot.Handle(ctx, chat.Update{Chat: key, Kind: chat.Private, Text: "/digest"})
	if len(replies) != 1 || !strings.Contains(chat.PlainText(replies[0]), "排队") {
		t.Errorf("/digest while the platform makes parts wait answered %d messages: %v", len(replies), replies)
	}
}

// A webhook with a conversation window: a run holds the parts of a chat
// whose reader has not written within it, and says so; digest heard,
// when the relay says the reader wrote, releases them to the next run.
func TestDigestHeardReleasesAHeldDigest(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	outboxOf(t, dbPath, 1)
	conn, err := sql.Open("sqlite3", "file:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(`UPDATE digest_state SET heard_ms = 0`); err != nil { // the reader wrote long ago
		t.Fatal(err)
	}
	conn.Close()
	fake := fakehook.New(fakehook.Options{Window: time.Hour})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	env := map[string]string{"WZDAILY_WEBHOOK": srv.URL}
	code, out, errOut := run(t, env, "", "digest", "run", "--db", dbPath, "--window", "1h")
	if code != 0 || !strings.Contains(out, "held until their readers write") || fake.Count()+len(fake.Rejections()) != 0 {
		t.Fatalf("a run with the window closed: exit %d, %d sent\n%s\n%s", code, fake.Count(), out, errOut)
	}
	if code, _, errOut := run(t, env, "", "digest", "heard", "--db", dbPath, "--chat", "webhook:c0"); code != 2 || !strings.Contains(errOut, "--window") {
		t.Errorf("heard without a window: exit %d\n%s", code, errOut)
	}
	code, out, errOut = run(t, env, "", "digest", "heard", "--db", dbPath, "--chat", "webhook:c0", "--window", "1h")
	if code != 0 || !strings.Contains(out, "webhook:c0 wrote: 1 parts of held digests released") {
		t.Fatalf("heard: exit %d\n%s\n%s", code, out, errOut)
	}
	fake.Heard("c0")
	code, out, errOut = run(t, env, "", "digest", "run", "--db", dbPath, "--window", "1h")
	if d := fake.Deliveries(); code != 0 || len(d) != 1 || !strings.HasPrefix(d[0].Text, "【你有 1 天的摘要未读】") {
		t.Errorf("the run after: exit %d, delivered %+v\n%s\n%s", code, d, out, errOut)
	}
}
