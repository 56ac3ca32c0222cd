package telegram_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"wzdaily/bot/telegram"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/logtest"
	"wzdaily/subscribers"
)

// hookWorld is the bot receiving updates by webhook: the fake Telegram
// POSTs them to the bot's listener, as the TLS proxy in front of it would.
type hookWorld struct {
	*world
	base string // http://127.0.0.1:port: what the proxy forwards to
	done chan error
}

func newHookWorld(t *testing.T, o telegram.WebhookOptions) *hookWorld {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	w := newWorld(t, worldOptions{noRun: true, fake: faketelegram.Options{WebhookTarget: base, WebhookRetry: 50 * time.Millisecond}})
	hw := &hookWorld{world: w, base: base, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	o.Listener = ln
	go func() { hw.done <- w.tg.RunWebhook(ctx, o) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-hw.done:
		case <-time.After(20 * time.Second):
			t.Error("RunWebhook did not return")
		}
	})
	waitFor(t, func() bool { return len(w.fake.CallsTo("setWebhook")) == 1 })
	return hw
}

// post sends body to the bot's listener as anyone on the network could.
func (hw *hookWorld) post(t *testing.T, method, path, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, hw.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegram.SecretTokenHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

const (
	forger = int64(6666)
	// forgedStart is a /start from a user the bot has never seen.
	forgedStart = `{"update_id":901,"message":{"message_id":5,"date":1700000000,"from":{"id":6666,"is_bot":false,"first_name":"x"},
		"chat":{"id":6666,"type":"private","first_name":"x"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	// forgedBlock says the reader blocked the bot.
	forgedBlock = `{"update_id":902,"my_chat_member":{"chat":{"id":1001,"type":"private","first_name":"小梧"},
		"from":{"id":1001,"is_bot":false,"first_name":"小梧"},"date":1700000000,
		"old_chat_member":{"user":{"id":777000111,"is_bot":true,"first_name":"bot"},"status":"member"},
		"new_chat_member":{"user":{"id":777000111,"is_bot":true,"first_name":"bot"},"status":"kicked"}}}`
)

func TestWebhookRefusesForgedUpdates(t *testing.T) {
	logs := logtest.Capture(t)

	const path, secret = "/tg-Hook-7f3a9c", "Sekr1t-webhook_TOKEN"
	hw := newHookWorld(t, telegram.WebhookOptions{URL: "https://bot.example" + path, Secret: secret})
	set := hw.fake.CallsTo("setWebhook")[0].Params
	if set["url"] != "https://bot.example"+path || set["secret_token"] != secret || !strings.Contains(set["allowed_updates"], "my_chat_member") {
		t.Fatalf("setWebhook params %v", set)
	}
	hw.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	if got := hw.say(t, reader, reader, "/start"); !strings.Contains(got.Plain, "欢迎") {
		t.Fatalf("a real update through the webhook: %q", got.Plain)
	}

	for name, tc := range map[string]struct {
		method, path, secret, body string
		want                       int
	}{
		"no secret":                  {"POST", path, "", forgedStart, http.StatusForbidden},
		"a wrong secret":             {"POST", path, "Sekr1t-webhook_TOKEM", forgedStart, http.StatusForbidden},
		"the secret's prefix":        {"POST", path, "Sekr1t", forgedStart, http.StatusForbidden},
		"the secret and more":        {"POST", path, secret + "x", forgedStart, http.StatusForbidden},
		"a block with no secret":     {"POST", path, "", forgedBlock, http.StatusForbidden},
		"the root":                   {"POST", "/", secret, forgedStart, http.StatusNotFound},
		"another path":               {"POST", "/other", secret, forgedStart, http.StatusNotFound},
		"below the path":             {"POST", path + "/x", secret, forgedStart, http.StatusNotFound},
		"the path with a slash":      {"POST", path + "/", secret, forgedStart, http.StatusNotFound},
		"the path in another case":   {"POST", strings.ToLower(path), secret, forgedStart, http.StatusNotFound},
		"a doubled slash":            {"POST", "/" + path, secret, forgedStart, http.StatusNotFound},
		"GET":                        {"GET", path, secret, "", http.StatusMethodNotAllowed},
		"a right secret, a bad body": {"POST", path, secret, "{not json", http.StatusBadRequest},
	} {
		if got := hw.post(t, tc.method, tc.path, tc.secret, tc.body); got != tc.want {
			t.Errorf("%s: %s %s got %d, want %d", name, tc.method, tc.path, got, tc.want)
		}
	}
	// Nothing forged reached the bot: a real message is answered after
	// them, and neither the forger nor the reader's block was recorded.
	if got := hw.say(t, reader, reader, "/list"); !strings.Contains(got.Plain, "推送中") {
		t.Errorf("the reader after the forgeries: %q", got.Plain)
	}
	if _, err := hw.subs.Get(context.Background(), key(forger)); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("a forged /start made a subscriber: %v", err)
	}
	if sub, err := hw.subs.Get(context.Background(), key(reader)); err != nil || sub.State != subscribers.Active {
		t.Errorf("the reader after a forged block: %+v, %v", sub, err)
	}
	if n := len(hw.fake.Sent(forger)); n != 0 {
		t.Errorf("the forger got %d messages", n)
	}
	// Telegram's own requests carried the secret and were all taken.
	for _, d := range hw.fake.WebhookDeliveries() {
		if d.Status != http.StatusOK {
			t.Errorf("Telegram's delivery of update %d got %d: %s", d.UpdateID, d.Status, d.Error)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "Receiving Telegram updates by webhook") {
		t.Fatalf("nothing was logged: the test proves nothing:\n%s", out)
	}
	if strings.Contains(out, secret) || strings.Contains(out, path) || strings.Contains(out, "7f3a9c") {
		t.Errorf("the webhook's secret or path is in the log:\n%s", out)
	}
}

func TestWebhookAtTheRootServesOnlyTheRoot(t *testing.T) {
	t.Parallel()
	const secret = "root-secret"
	hw := newHookWorld(t, telegram.WebhookOptions{URL: "https://bot.example/", Secret: secret})
	for _, p := range []string{"/start", "/x/y", "/bot", "/webhook"} {
		if got := hw.post(t, "POST", p, secret, forgedStart); got != http.StatusNotFound {
			t.Errorf("POST %s got %d, want 404", p, got)
		}
	}
	if _, err := hw.subs.Get(context.Background(), key(forger)); !errors.Is(err, subscribers.ErrNotFound) {
		t.Errorf("a POST to another path made a subscriber: %v", err)
	}
	hw.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	if got := hw.say(t, reader, reader, "/start"); !strings.Contains(got.Plain, "欢迎") {
		t.Fatalf("Telegram's update to the root: %q", got.Plain)
	}
}

// TestWebhookWithoutASecretMakesOne: an operator who gives no secret still
// gets one, random at each start, which Telegram accepts and sends back.
func TestWebhookWithoutASecretMakesOne(t *testing.T) {
	t.Parallel()
	hw := newHookWorld(t, telegram.WebhookOptions{URL: "https://bot.example/hook"})
	secret := hw.fake.CallsTo("setWebhook")[0].Params["secret_token"]
	if err := telegram.CheckSecretToken(secret); err != nil || len(secret) < 40 {
		t.Fatalf("generated secret of %d characters: %v", len(secret), err)
	}
	hw.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	if got := hw.say(t, reader, reader, "/start"); !strings.Contains(got.Plain, "欢迎") {
		t.Fatalf("an update with the generated secret: %q", got.Plain)
	}
	if got := hw.post(t, "POST", "/hook", "", forgedStart); got != http.StatusForbidden {
		t.Errorf("a POST without the generated secret got %d", got)
	}
	if got := hw.post(t, "POST", "/hook", secret, forgedStart); got != http.StatusOK {
		t.Errorf("a POST with the generated secret got %d", got)
	}
}

func TestRunWebhookRefusesBadSettingsWithoutRepeatingThem(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true})
	for name, o := range map[string]telegram.WebhookOptions{
		"http":                {URL: "http://bot.example/hook-Qz9", Listen: "127.0.0.1:0"},
		"no host":             {URL: "https:///hook-Qz9", Listen: "127.0.0.1:0"},
		"a password":          {URL: "https://u:pw-Qz9@bot.example/hook", Listen: "127.0.0.1:0"},
		"a secret with ':'":   {URL: "https://bot.example/hook", Secret: "123:Qz9", Listen: "127.0.0.1:0"},
		"a secret with space": {URL: "https://bot.example/hook", Secret: "a Qz9", Listen: "127.0.0.1:0"},
		"a secret too long":   {URL: "https://bot.example/hook", Secret: strings.Repeat("Qz9", 90), Listen: "127.0.0.1:0"},
	} {
		err := w.tg.RunWebhook(t.Context(), o)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if strings.Contains(err.Error(), "Qz9") {
			t.Errorf("%s: the error repeats the secret: %v", name, err)
		}
	}
	if n := len(w.fake.CallsTo("setWebhook")); n != 0 {
		t.Errorf("%d setWebhook calls for bad settings", n)
	}
}
