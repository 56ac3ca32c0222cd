package faketelegram

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestNewBotAPIWithAPIEndpoint_GetMe(t *testing.T) {
	srv := New(Options{Token: testToken})
	hs := serve(t, srv)
	bot, err := tgbotapi.NewBotAPIWithAPIEndpoint(testToken, srv.Endpoint(hs.URL+"/"))
	if err != nil {
		t.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	if bot.Self.ID != DefaultBotID || bot.Self.UserName != DefaultBotUsername || !bot.Self.IsBot {
		t.Errorf("Self = %+v, want bot %d @%s", bot.Self, DefaultBotID, DefaultBotUsername)
	}
	if calls := srv.Calls(); len(calls) != 1 || calls[0].Method != "getMe" || calls[0].Status != http.StatusOK {
		t.Errorf("calls = %+v, want one getMe answered 200", calls)
	}
}

func TestOptions_BotIdentity(t *testing.T) {
	_, bot := startBot(t, Options{BotID: 99, BotUsername: "other_bot"})
	if bot.Self.ID != 99 || bot.Self.UserName != "other_bot" {
		t.Errorf("Self = %+v, want 99 @other_bot", bot.Self)
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	srv := New(Options{Token: testToken})
	hs := serve(t, srv)
	_, err := tgbotapi.NewBotAPIWithAPIEndpoint("123456:wrong", srv.Endpoint(hs.URL))
	wantAPIError(t, err, http.StatusUnauthorized, "Unauthorized")

	status, body := postForm(t, hs, "123456:wrong", "getMe", nil)
	if status != http.StatusUnauthorized || body != `{"ok":false,"error_code":401,"description":"Unauthorized"}`+"\n" {
		t.Errorf("answer = %d %s, want 401 Unauthorized envelope", status, body)
	}
}

func TestUnknownMethodIsNotFound(t *testing.T) {
	srv := New(Options{Token: testToken})
	hs := serve(t, srv)
	status, body := postForm(t, hs, testToken, "sendTelepathy", nil)
	if status != http.StatusNotFound || !strings.Contains(body, `"error_code":404,"description":"Not Found"`) {
		t.Errorf("answer = %d %s, want 404 Not Found", status, body)
	}
	status, _ = postForm(t, hs, testToken, "", nil)
	if status != http.StatusNotFound {
		t.Errorf("empty method: status %d, want 404", status)
	}
}

func TestMethodNamesAreCaseInsensitive(t *testing.T) {
	srv := New(Options{Token: testToken})
	srv.AddUser(reader)
	hs := serve(t, srv)
	status, body := postForm(t, hs, testToken, "SENDMESSAGE", url.Values{"chat_id": {"42"}, "text": {"hi"}})
	if status != http.StatusOK {
		t.Fatalf("SENDMESSAGE: %d %s", status, body)
	}
	if calls := srv.Calls(); calls[0].Method != "sendMessage" {
		t.Errorf("recorded method %q, want the canonical sendMessage", calls[0].Method)
	}
}

func TestNullParametersAreAbsent(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddUser(reader)
	// tgbotapi sends entities=null for a nil slice.
	if _, err := bot.Send(tgbotapi.NewMessage(reader.ID, "plain")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	last := srv.CallsTo("sendMessage")[0]
	if last.Params["entities"] != "null" {
		t.Errorf("recorded entities = %q, want the raw null", last.Params["entities"])
	}
	if sent := srv.Sent(reader.ID); len(sent) != 1 || sent[0].Entities != nil {
		t.Errorf("sent = %+v, want one message without entities", sent)
	}
	// Any parameter may be null: parse_mode "null" is no parse mode, not
	// an unsupported one.
	status, body := postForm(t, serve(t, srv), testToken, "sendMessage", url.Values{
		"chat_id": {"42"}, "text": {"<plain>"}, "parse_mode": {"null"}, "reply_markup": {"null"}, "entities": {"null"},
	})
	if status != http.StatusOK {
		t.Errorf("null parameters: %d %s", status, body)
	}
}

func TestGetWithQueryAndJSONBody(t *testing.T) {
	srv := New(Options{Token: testToken, Now: newFakeClock().Now})
	srv.AddUser(reader)
	hs := serve(t, srv)

	resp, err := http.Get(hs.URL + "/bot" + testToken + "/sendMessage?chat_id=42&text=via+GET")
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET status %d", resp.StatusCode)
	}

	body := `{"chat_id":42,"text":"via JSON","reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}}`
	resp, err = http.Post(hs.URL+"/bot"+testToken+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("POST JSON: %v", err)
	}
	var env struct {
		OK     bool
		Result tgbotapi.Message
	}
	err = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if err != nil || !env.OK || env.Result.ReplyMarkup == nil {
		t.Fatalf("JSON answer = %+v, %v; want ok with the keyboard", env, err)
	}
	sent := srv.Sent(reader.ID)
	if len(sent) != 2 || sent[0].Text != "via GET" || sent[1].Text != "via JSON" || sent[1].Markup.Buttons()[0].CallbackData != "a" {
		t.Errorf("sent = %+v", sent)
	}
}

func TestListen(t *testing.T) {
	srv := New(Options{Token: testToken})
	base, stop, err := Listen(context.Background(), "127.0.0.1:0", srv)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer stop()
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, srv.Endpoint(base), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPI on %s: %v", base, err)
	}
	// A held poll must not keep stop from returning.
	done := make(chan error, 1)
	go func() {
		u := tgbotapi.NewUpdate(0)
		u.Timeout = 30
		_, err := bot.GetUpdates(u)
		done <- err
	}()
	waitHeld(t, srv)
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("held poll after stop: %v, want an empty answer", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: stop did not release the held poll")
	}
	stop() // idempotent
	if _, err := bot.GetMe(); err == nil {
		t.Error("GetMe after stop succeeded, want a connection error")
	}
}

func TestListenStopsWithContext(t *testing.T) {
	srv := New(Options{Token: testToken})
	ctx, cancel := context.WithCancel(context.Background())
	base, stop, err := Listen(ctx, "127.0.0.1:0", srv)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	defer stop()
	cancel()
	select {
	case <-srv.done:
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: ending the context did not close the fake")
	}
	stop() // waits for the shutdown the context started
	if _, err := http.Get(base + "/bot" + testToken + "/getMe"); err == nil {
		t.Error("request after the context ended succeeded, want a connection error")
	}
}
