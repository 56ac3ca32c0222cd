package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wzdaily/bot/telegram"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/faketelegram"
	"wzdaily/internal/logtest"
)

func TestCommandMenusInChineseAndEnglish(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	waitFor(t, func() bool { return len(w.fake.Commands()) == 2 })
	cmds := w.fake.Commands()
	zh, en := cmds[""], cmds["en"]
	if len(zh) < 10 || len(zh) != len(en) {
		t.Fatalf("menus: %d Chinese, %d English", len(zh), len(en))
	}
	if zh[0].Command != en[0].Command || zh[0].Description == en[0].Description {
		t.Errorf("first entries %+v / %+v", zh[0], en[0])
	}
}

func TestWebhookMode(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	hook := httptest.NewServer(w.tg.WebhookHandler(t.Context(), "/", testSecret))
	defer hook.Close()
	body := `{"update_id":900,"message":{"message_id":5,"date":1700000000,"from":{"id":1001,"is_bot":false,"first_name":"小梧"},
		"chat":{"id":1001,"type":"private","first_name":"小梧"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	resp, err := postUpdate(hook.URL, body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("webhook POST: %v %v", resp, err)
	}
	// The transport runs its dispatcher while serving: start it as
	// RunWebhook would, without registering anything with the fake.
	go w.tg.Run(t.Context())
	if got := w.waitSent(t, reader, 1)[0]; !strings.Contains(got.Plain, "欢迎") {
		t.Errorf("reply: %q", got.Plain)
	}
	resp, _ = postUpdate(hook.URL, "{not json")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad update got %d", resp.StatusCode)
	}
}

// testSecret is the webhook secret of tests that serve WebhookHandler.
const testSecret = "test-webhook-secret"

// postUpdate POSTs an update as Telegram does, with the secret.
func postUpdate(url, body string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretTokenHeader, testSecret)
	return http.DefaultClient.Do(req)
}

// TestTheTokenIsNeverLogged runs a flow full of failures that carry
// request URLs (refused connections, timeouts, HTML error pages) and
// reads the whole log for the token.
func TestTheTokenIsNeverLogged(t *testing.T) {
	logs := logtest.Capture(t)

	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	w.fake.FailNextRaw("getUpdates", 1, http.StatusBadGateway, "<html>502 Bad Gateway</html>")
	w.fake.FailNext("sendMessage", 1, http.StatusInternalServerError, "Internal Server Error", 0)
	w.fake.Hang("answerCallbackQuery", 1)
	w.say(t, reader, reader, "/start")
	res := w.say(t, reader, reader, "/tags")
	if res.Markup != nil {
		w.fake.Press(reader, res.ID, reader, res.Markup.InlineKeyboard[0][0].CallbackData)
	}
	w.fake.BlockBot(reader)
	w.morning(t, 7, 30)
	// Telegram goes away: every poll now fails with the request URL.
	w.fake.Close()
	w.srv.Close()
	// Other calls may fail first (a button's answer, an edit); the poll's
	// failure, with its URL redacted, comes within its retry.
	clocktest.Eventually(t, 20*time.Second, "the failing poll to be logged with its URL redacted (/bot<token>/getUpdates)",
		func() bool { return strings.Contains(logs.String(), "/bot<token>/getUpdates") })
	out := logs.String()
	if strings.Contains(out, token) || strings.Contains(out, "TEST-TOKEN") {
		t.Errorf("the token is in the log:\n%s", out)
	}
}

// TestStoppingAnswersWhatWasTaken stops the transport while updates it
// took from Telegram (and so confirmed) wait for answers: every one is
// answered before Run returns.
func TestStoppingAnswersWhatWasTaken(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true, workers: 1})
	w.fake.SetLatency("sendMessage", 200*time.Millisecond)
	const n = 5
	for i := range n {
		w.fake.AddUser(faketelegram.User{ID: int64(3000 + i), FirstName: "读者"})
		w.fake.UserSays(int64(3000+i), int64(3000+i), "/help")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.tg.Run(ctx) }()
	w.waitSent(t, 3000, 1) // the first is answered; the others wait in line
	cancel()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return")
	}
	for i := range n {
		if got := len(w.fake.Sent(int64(3000 + i))); got != 1 {
			t.Errorf("chat %d got %d answers", 3000+i, got)
		}
	}
}

// TestAnUnreadableUpdateDoesNotStopTheBot feeds a group command whose
// entity is longer than its text, which makes the library slice out of
// range.
func TestAnUnreadableUpdateDoesNotStopTheBot(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	hook := httptest.NewServer(w.tg.WebhookHandler(t.Context(), "/", testSecret))
	defer hook.Close()
	bad := `{"update_id":901,"message":{"message_id":6,"date":1700000000,"from":{"id":1001,"is_bot":false,"first_name":"x"},
		"chat":{"id":-100777,"type":"supergroup","title":"x"},"text":"/s","entities":[{"type":"bot_command","offset":0,"length":40}]}}`
	if resp, err := postUpdate(hook.URL, bad); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	go w.tg.Run(t.Context())
	if got := w.say(t, reader, reader, "/start"); !strings.Contains(got.Plain, "欢迎") {
		t.Errorf("after a bad update: %q", got.Plain)
	}
}
