package cli

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/app"
	"wzdaily/internal/fakehook"
	"wzdaily/subscribers"
)

// sampleApp builds the bot over the database at dbPath, with the sample
// articles in it; the caller closes it.
func sampleApp(t *testing.T, dbPath string) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), app.Options{Settings: app.Settings{DB: dbPath}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Articles.Ingest(context.Background(), sampleSource(DefaultSite), articles.IngestOptions{}); err != nil {
		a.Close()
		t.Fatal(err)
	}
	return a
}

// chats makes a database with the sample articles and one subscriber per
// key, each changed by its function; with due, every digest is due now.
func chats(t *testing.T, dbPath string, due bool, subs map[chat.Key]func(*subscribers.Subscriber)) {
	t.Helper()
	ctx := context.Background()
	a := sampleApp(t, dbPath)
	defer a.Close()
	for key, change := range subs {
		if _, err := a.Subscribers.Upsert(ctx, key, chat.Private, "", func(s *subscribers.Subscriber) error {
			if change != nil {
				change(s)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if due {
		if _, err := a.DB.ExecContext(ctx, `UPDATE digest_state SET next_due_at = 0`); err != nil {
			t.Fatal(err)
		}
	}
}

var (
	consoleChat  = chat.Key{Platform: "console", ChatID: "local"}
	telegramChat = chat.Key{Platform: "telegram", ChatID: "1001"}
	webhookChat  = chat.Key{Platform: "webhook", ChatID: "c1"}
)

// TestSubscribersListsTheChatsAnOperatorCanPreview: the list gives each
// chat as digest preview --chat takes it, with its kind, state, tags and
// next digest in its own zone; a chat nobody has is explained.
func TestSubscribersListsTheChatsAnOperatorCanPreview(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	if code, out, _ := run(t, nil, "", "subscribers", "--db", filepath.Join(t.TempDir(), "none.db")); code != 1 || out != "" {
		t.Errorf("no database: exit %d, %q", code, out)
	}
	chats(t, dbPath, false, nil)
	if code, out, errOut := run(t, nil, "", "subscribers", "--db", dbPath); code != 0 || !strings.Contains(out, "No subscribers yet") {
		t.Errorf("no subscribers: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := run(t, nil, "", "digest", "preview", "--db", dbPath, "--chat", "console:local"); code != 2 ||
		!strings.Contains(errOut, "no subscriber console:local") || !strings.Contains(errOut, "wzdaily subscribers lists them") {
		t.Errorf("preview of a chat nobody has: exit %d, %q", code, errOut)
	}

	chats(t, dbPath, false, map[chat.Key]func(*subscribers.Subscriber){
		consoleChat: nil,
		telegramChat: func(s *subscribers.Subscriber) {
			s.Follow("工业")
			s.DeliverAt, s.Zone, s.State = 8*60+15, "Europe/Berlin", subscribers.Paused
		},
	})
	code, out, errOut := run(t, nil, "", "subscribers", "--db", dbPath)
	if code != 0 {
		t.Fatalf("subscribers: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(out, "\n")
	for i, want := range [][]string{
		{"PLATFORM", "CHAT", "KIND", "STATE", "NEXT DIGEST", "TAGS"},
		{"console", "console:local", "private", "active", "07:30 Asia/Shanghai", "梧州日报新闻"},
		{"telegram", "telegram:1001", "private", "paused", "08:15 Europe/Berlin", "梧州日报新闻,工业"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d lacks %q:\n%s", i+1, w, out)
			}
		}
	}
	if !strings.Contains(out, "Subscribers: 2.") {
		t.Errorf("no count:\n%s", out)
	}
	// The ids it gives are what preview takes.
	if code, out, errOut := run(t, nil, "", "digest", "preview", "--db", dbPath, "--chat", "console:local"); code != 0 || !strings.Contains(out, "梧州日报") {
		t.Errorf("preview of console:local: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestDigestRunSaysWhichPlatformPartsWaitFor: digests for console and
// Telegram subscribers wait for the process that serves them; the run
// says so, and a webhook run sends its own, does not wait for the others
// and does not fail because of them.
func TestDigestRunSaysWhichPlatformPartsWaitFor(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	chats(t, dbPath, true, map[chat.Key]func(*subscribers.Subscriber){consoleChat: nil, telegramChat: nil, webhookChat: nil})
	code, out, errOut := run(t, nil, "", "digest", "run", "--db", dbPath)
	for _, want := range []string{
		"waiting for console (not tried yet): they are for the terminal chat",
		"waiting for telegram (not tried yet): wzdaily serve with a Telegram token (TELEGRAM_BOT_TOKEN) sends them",
		"waiting for webhook (not tried yet): wzdaily digest run or serve with WZDAILY_WEBHOOK set sends them",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("digest run without a webhook: exit %d, output lacks %q:\n%s\n%s", code, want, out, errOut)
		}
	}

	fake := fakehook.New(fakehook.Options{})
	srv := httptest.NewServer(fake)
	defer srv.Close()
	code, out, errOut = run(t, map[string]string{"WZDAILY_WEBHOOK": srv.URL}, "", "digest", "run", "--db", dbPath, "--within", "1m")
	if code != 0 || fake.Count() == 0 || strings.Contains(out, "waiting for webhook") ||
		!strings.Contains(out, "waiting for telegram") || !strings.Contains(out, "waiting for console") {
		t.Errorf("digest run with a webhook: exit %d, %d delivered\n%s\n%s", code, fake.Count(), out, errOut)
	}
}
