package cli

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wzdaily/bot/webhook"
	"wzdaily/digest"
	"wzdaily/internal/app"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/db"
	"wzdaily/internal/fakehook"
)

// sentPart is an outbox row marked sent: the idempotency key the
// deliverer gave it (digest/outbox.go) and the id the receiver answered.
type sentPart struct{ key, messageID string }

func sentParts(t *testing.T, q *sql.DB) map[int64]sentPart {
	t.Helper()
	rows, err := q.Query(`SELECT o.id, d.token, o.part, o.message_id FROM outbox o JOIN digests d ON d.id = o.digest_id
		WHERE o.state = 'sent'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]sentPart{}
	for rows.Next() {
		var id int64
		var token string
		var part int
		var messageID string
		if err := rows.Scan(&id, &token, &part, &messageID); err != nil {
			t.Fatal(err)
		}
		out[id] = sentPart{key: fmt.Sprintf("digest-%s-part-%d", token, part), messageID: messageID}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// runDeliverer runs d until the returned stop is called; stop waits for
// the part in flight and may be called again.
func runDeliverer(d *digest.Deliverer) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}, &out, &errOut
}

// TestBackupDuringDeliveryHoldsEveryDeliveredRow: a backup taken during a
// delivery run opens cleanly and holds every delivered row.
func TestBackupDuringDeliveryHoldsEveryDeliveredRow(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	parts := outboxOf(t, dbPath, 200)
	total := 0
	for _, n := range parts {
		total += n
	}
	fake := fakehook.New(fakehook.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	a, err := app.New(ctx, app.Options{Settings: app.Settings{DB: dbPath}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// Paced so that delivery runs for seconds, long past the backup.
	d := digest.NewDeliverer(digest.DelivererOptions{DB: a.DB, Engine: a.Engine, Subscribers: a.Subscribers, Poll: 20 * time.Millisecond,
		Platforms: map[string]*digest.Platform{"webhook": {Sender: webhook.New(webhook.Options{URL: srv.URL}), Rate: 150, Workers: 4}}})
	stop := runDeliverer(d)
	defer stop()

	clocktest.Eventually(t, time.Minute, "delivery to start (30 parts sent)", func() bool { return len(sentParts(t, a.DB.DB)) >= 30 })
	before := sentParts(t, a.DB.DB)
	backupPath := filepath.Join(dir, "backup.db")
	env, out, errOut := testEnv()
	started := time.Now()
	if err := runBackup(ctx, env, []string{"--db", dbPath, backupPath}); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut)
	}
	took := time.Since(started)
	after := sentParts(t, a.DB.DB)
	if len(after) >= total {
		t.Fatalf("delivery ended before the backup did (%d of %d parts sent): nothing was in progress", len(after), total)
	}
	if !strings.Contains(out.String(), backupPath) || !strings.Contains(out.String(), "bytes") {
		t.Errorf("output %q does not name the file and its size", out)
	}
	stop()
	final := sentParts(t, a.DB.DB)

	cp, err := db.Open(ctx, backupPath, app.Schemas()...)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	var check string
	if err := cp.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check of the backup: %q %v", check, err)
	}
	backup := sentParts(t, cp.DB)
	for id, want := range before {
		if got, ok := backup[id]; !ok || got != want {
			t.Errorf("outbox row %d was sent as %+v before the backup began; the backup has %+v (present %v)", id, want, got, ok)
		}
	}
	received := map[string]map[string]bool{}
	for _, dl := range fake.Deliveries() {
		if received[dl.IdempotencyKey] == nil {
			received[dl.IdempotencyKey] = map[string]bool{}
		}
		received[dl.IdempotencyKey][dl.MessageID] = true
	}
	for id, p := range backup {
		if !received[p.key][p.messageID] {
			t.Errorf("outbox row %d is sent in the backup as %+v, which the receiver never confirmed", id, p)
		}
	}
	cp.Close()
	t.Logf("%d parts; sent: %d when the backup began, %d in it, %d when it ended, %d when delivery stopped; backup took %v",
		total, len(before), len(backup), len(after), len(final), took.Round(time.Millisecond))

	// Restored as the help says, the backup delivers the rest: nothing it
	// holds as sent goes out again, only what was sent after it began.
	a.Close()
	b, err := os.ReadFile(backupPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(dbPath + "-wal")
	os.Remove(dbPath + "-shm")
	restored, err := app.New(ctx, app.Options{Settings: app.Settings{DB: dbPath}})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	d = digest.NewDeliverer(digest.DelivererOptions{DB: restored.DB, Engine: restored.Engine, Subscribers: restored.Subscribers, Poll: 20 * time.Millisecond,
		Platforms: map[string]*digest.Platform{"webhook": {Sender: webhook.New(webhook.Options{URL: srv.URL})}}})
	stop = runDeliverer(d)
	defer stop()
	clocktest.Eventually(t, time.Minute, "the restored outbox to be delivered", func() bool {
		backlog, err := digest.NewOutbox(restored.DB).Backlog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return backlog.Pending == 0
	})
	stop()
	for key, n := range fake.Duplicates() {
		for _, p := range backup {
			if p.key == key {
				t.Errorf("part %s, sent before the backup, was sent %d times", key, n)
			}
		}
	}
	checkDelivered(t, fake, parts, len(final)-len(backup))
}

func TestBackupRefusesToReplaceOrToInvent(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "live.db")
	conn, err := app.Open(ctx, dbPath, db.Create)
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	existing := filepath.Join(dir, "old.db")
	os.WriteFile(existing, []byte("last week"), 0o600)
	cases := map[string]struct {
		args []string
		want error
		gone string // a file that must not appear
	}{
		"existing backup":  {args: []string{"--db", dbPath, existing}, want: errUsage},
		"missing database": {args: []string{"--db", filepath.Join(dir, "typo.db"), filepath.Join(dir, "new.db")}, want: db.ErrNoDatabase, gone: filepath.Join(dir, "typo.db")},
		"no file named":    {args: []string{"--db", dbPath}, want: errUsage},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env, _, _ := testEnv()
			if err := runBackup(ctx, env, c.args); !errors.Is(err, c.want) {
				t.Errorf("runBackup(%q) = %v, want %v", c.args, err, c.want)
			}
			if c.gone != "" {
				if _, err := os.Stat(c.gone); err == nil {
					t.Errorf("%s was created", c.gone)
				}
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "last week" {
		t.Errorf("the existing backup was changed: %q", b)
	}
}
