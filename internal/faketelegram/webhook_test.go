package faketelegram

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// setWebhook registers a webhook through the library's MakeRequest, as
// v5.5.1's WebhookConfig has no secret_token.
func setWebhook(bot *tgbotapi.BotAPI, params tgbotapi.Params) error {
	_, err := bot.MakeRequest("setWebhook", params)
	return err
}

func TestSetWebhook_SecretTokenIsCheckedAsTelegramChecksIt(t *testing.T) {
	for name, tc := range map[string]struct {
		secret string
		want   string // "" for accepted
	}{
		"one character":       {secret: "a"},
		"every allowed class": {secret: "AZaz09_-"},
		"256 characters":      {secret: strings.Repeat("x", 256)},
		"257 characters":      {secret: strings.Repeat("x", 257), want: "Bad Request: secret token is too long"},
		"a colon (a bot token)": {secret: "123456:ABC-def",
			want: "Bad Request: secret token contains unallowed characters"},
		"a space":        {secret: "two words", want: "Bad Request: secret token contains unallowed characters"},
		"base64 padding": {secret: "abc+def/ghi=", want: "Bad Request: secret token contains unallowed characters"},
		"non-ASCII":      {secret: "密钥", want: "Bad Request: secret token contains unallowed characters"},
	} {
		t.Run(name, func(t *testing.T) {
			_, bot := startBot(t, Options{})
			err := setWebhook(bot, tgbotapi.Params{"url": "https://bot.example/hook", "secret_token": tc.secret})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("secret %q refused: %v", tc.secret, err)
				}
				return
			}
			wantAPIError(t, err, http.StatusBadRequest, tc.want)
			// With a webhook set, getUpdates would answer 409.
			if _, err := bot.GetUpdates(tgbotapi.NewUpdate(0)); err != nil {
				t.Errorf("a refused setWebhook set a webhook: %v", err)
			}
		})
	}
}

// hookRecorder is a bot's webhook endpoint that records what reaches it
// and answers with the status the test sets.
type hookRecorder struct {
	mu       sync.Mutex
	status   int
	got      []hookRequest
	received chan struct{}
}

type hookRequest struct {
	path, secret, contentType string
	update                    map[string]json.RawMessage
}

func newHookRecorder() *hookRecorder {
	return &hookRecorder{status: http.StatusOK, received: make(chan struct{}, 100)}
}

func (h *hookRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := hookRequest{path: r.URL.RequestURI(), secret: r.Header.Get(SecretTokenHeader), contentType: r.Header.Get("Content-Type")}
	_ = json.Unmarshal(body, &req.update)
	h.mu.Lock()
	h.got = append(h.got, req)
	status := h.status
	h.mu.Unlock()
	w.WriteHeader(status)
	select {
	case h.received <- struct{}{}:
	default: // the test has signals enough waiting
	}
}

func (h *hookRecorder) setStatus(s int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = s
}

func (h *hookRecorder) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.got...)
}

func (h *hookRecorder) wait(t *testing.T) {
	t.Helper()
	select {
	case <-h.received:
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: no webhook request came")
	}
}

func TestWebhook_UpdatesArePostedWithTheSecret(t *testing.T) {
	hook := newHookRecorder()
	hs := httptest.NewServer(hook)
	defer hs.Close()
	srv, bot := startBot(t, Options{WebhookTarget: hs.URL, WebhookRetry: 10 * time.Millisecond})
	srv.AddUser(reader)
	srv.UserSays(reader.ID, reader.ID, "queued before the webhook")
	if err := setWebhook(bot, tgbotapi.Params{"url": "https://bot.example/tg/s3cr3t-path?x=1", "secret_token": "Sekr1t_-"}); err != nil {
		t.Fatal(err)
	}
	hook.wait(t)
	srv.UserSays(reader.ID, reader.ID, "/start")
	hook.wait(t)
	got := hook.requests()
	if len(got) != 2 {
		t.Fatalf("%d webhook requests, want 2", len(got))
	}
	for i, r := range got {
		if r.path != "/tg/s3cr3t-path?x=1" || r.secret != "Sekr1t_-" || r.contentType != "application/json" {
			t.Errorf("request %d: path %q, secret %q, type %q", i, r.path, r.secret, r.contentType)
		}
		if string(r.update["update_id"]) != []string{"1", "2"}[i] || r.update["message"] == nil {
			t.Errorf("request %d: update %v", i, r.update)
		}
	}
	waitFor(t, srv, "the update taken", func() bool { return srv.Pending() == 0 })
	if d := srv.WebhookDeliveries(); len(d) != 2 || d[0].Status != http.StatusOK || d[1].UpdateID != 2 {
		t.Errorf("deliveries %+v", d)
	}
}

func TestWebhook_AFailedDeliveryIsRetriedAndReported(t *testing.T) {
	hook := newHookRecorder()
	hook.setStatus(http.StatusForbidden) // the bot refuses: a wrong secret
	hs := httptest.NewServer(hook)
	defer hs.Close()
	srv, bot := startBot(t, Options{WebhookTarget: hs.URL, WebhookRetry: 10 * time.Millisecond})
	srv.AddUser(reader)
	if err := setWebhook(bot, tgbotapi.Params{"url": "https://bot.example/hook"}); err != nil {
		t.Fatal(err)
	}
	srv.UserSays(reader.ID, reader.ID, "/start")
	hook.wait(t)
	hook.wait(t) // tried again
	if d := srv.WebhookDeliveries(); srv.Pending() != 1 || len(d) == 0 || d[0].Status != http.StatusForbidden || d[0].Error != "Wrong response from the webhook: 403 Forbidden" {
		t.Fatalf("%d pending, deliveries %+v", srv.Pending(), d)
	}
	if r := hook.requests()[0]; r.secret != "" {
		t.Errorf("a webhook without a secret sent the header %q", r.secret)
	}
	hook.setStatus(http.StatusNoContent) // any 2xx takes the update
	waitFor(t, srv, "the update taken", func() bool { return srv.Pending() == 0 })
	n := len(hook.requests())
	srv.UserSays(reader.ID, reader.ID, "/help")
	hook.wait(t)
	for len(hook.requests()) < n+1 {
		hook.wait(t)
	}
	if got := hook.requests()[len(hook.requests())-1]; string(got.update["update_id"]) != "2" {
		t.Errorf("after the retries, the next update: %v", got.update)
	}
}

func TestWebhook_RedirectsAreNotFollowed(t *testing.T) {
	elsewhere := newHookRecorder()
	other := httptest.NewServer(elsewhere)
	defer other.Close()
	redirect := httptest.NewServer(http.RedirectHandler(other.URL+"/stolen", http.StatusFound))
	defer redirect.Close()
	srv, bot := startBot(t, Options{WebhookTarget: redirect.URL, WebhookRetry: time.Hour})
	srv.AddUser(reader)
	if err := setWebhook(bot, tgbotapi.Params{"url": "https://bot.example/hook"}); err != nil {
		t.Fatal(err)
	}
	srv.UserSays(reader.ID, reader.ID, "/start")
	waitFor(t, srv, "a delivery", func() bool { return len(srv.WebhookDeliveries()) == 1 })
	if d := srv.WebhookDeliveries()[0]; d.Status != http.StatusFound || d.Error != "Wrong response from the webhook: 302 Found" {
		t.Errorf("delivery %+v", d)
	}
	if n := len(elsewhere.requests()); n != 0 || srv.Pending() != 1 {
		t.Errorf("the redirect was followed (%d requests) or the update taken (%d pending)", n, srv.Pending())
	}
}

func TestWebhook_DeleteStopsDeliveriesAndPollingResumes(t *testing.T) {
	hook := newHookRecorder()
	hs := httptest.NewServer(hook)
	defer hs.Close()
	srv, bot := startBot(t, Options{WebhookTarget: hs.URL})
	srv.AddUser(reader)
	if err := setWebhook(bot, tgbotapi.Params{"url": "https://bot.example/hook", "secret_token": "abc"}); err != nil {
		t.Fatal(err)
	}
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatal(err)
	}
	srv.UserSays(reader.ID, reader.ID, "/start")
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil || len(ups) != 1 {
		t.Fatalf("getUpdates after deleteWebhook: %d updates, %v", len(ups), err)
	}
	if n := len(hook.requests()); n != 0 {
		t.Errorf("%d webhook requests after deleteWebhook", n)
	}
}

func TestWebhook_WithoutATargetNothingIsPosted(t *testing.T) {
	srv, bot := startBot(t, Options{})
	srv.AddUser(reader)
	if err := setWebhook(bot, tgbotapi.Params{"url": "https://unreachable.invalid/hook", "secret_token": "abc"}); err != nil {
		t.Fatal(err)
	}
	srv.UserSays(reader.ID, reader.ID, "/start")
	// No delivery is started without a target, so there is nothing to wait for.
	if d := srv.WebhookDeliveries(); len(d) != 0 || srv.Pending() != 1 {
		t.Errorf("deliveries %+v, %d pending", d, srv.Pending())
	}
}

func TestNew_PanicsOnABadWebhookTarget(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for WebhookTarget \"ftp://x\"")
		}
	}()
	New(Options{Token: testToken, WebhookTarget: "ftp://x"})
}
