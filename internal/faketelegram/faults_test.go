package faketelegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestFailNext(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)

	srv.FailNext("sendMessage", 1, http.StatusTooManyRequests, "Too Many Requests: retry after 5", 5)
	srv.FailNext("SENDMESSAGE", 2, http.StatusForbidden, "Forbidden: bot was blocked by the user", 0)
	srv.FailNext(AnyMethod, 1, http.StatusInternalServerError, "Internal Server Error", 0)

	e := wantAPIError(t, sendText(bot, reader.ID, "1"), 429, "Too Many Requests: retry after 5")
	if e.RetryAfter != 5 {
		t.Errorf("retry_after = %d, want 5", e.RetryAfter)
	}
	wantAPIError(t, sendText(bot, reader.ID, "2"), 403, "Forbidden: bot was blocked by the user")
	wantAPIError(t, sendText(bot, reader.ID, "3"), 403, "Forbidden: bot was blocked by the user")
	// The any-method fault is next, for whatever method comes.
	_, err := bot.GetMe()
	wantAPIError(t, err, 500, "Internal Server Error")
	if err := sendText(bot, reader.ID, "4"); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	if s := srv.Sent(reader.ID); len(s) != 1 || s[0].Text != "4" {
		t.Errorf("sent = %+v, want only the last message", s)
	}
	if rej := srv.Rejections(); len(rej) != 3 || rej[0].RetryAfter != 5 || rej[2].Code != 403 {
		t.Errorf("rejections = %+v", rej)
	}
	calls := srv.Calls()
	if calls[len(calls)-2].Method != "getMe" || calls[len(calls)-2].Status != 500 || calls[len(calls)-2].Error != "Internal Server Error" {
		t.Errorf("getMe call = %+v", calls[len(calls)-2])
	}
}

func TestFailNextRaw_BadGatewayHTML(t *testing.T) {
	srv, bot := startBot(t, Options{})
	srv.AddUser(reader)
	srv.FailNextRaw("sendMessage", 1, http.StatusBadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>\n")
	err := sendText(bot, reader.ID, "x")
	var syntax *json.SyntaxError
	if !errors.As(err, &syntax) {
		t.Fatalf("error = %T %v, want *json.SyntaxError", err, err)
	}
	var apiErr *tgbotapi.Error
	if errors.As(err, &apiErr) {
		t.Errorf("error is a *tgbotapi.Error, want a decoding error")
	}
	calls := srv.CallsTo("sendMessage")
	if calls[0].Status != http.StatusBadGateway {
		t.Errorf("call = %+v", calls[0])
	}
	if rej := srv.Rejections(); len(rej) != 1 || rej[0].Code != http.StatusBadGateway {
		t.Errorf("rejections = %+v", rej)
	}
}

func TestHang_ClientTimeout(t *testing.T) {
	srv := New(Options{Token: testToken})
	srv.AddUser(reader)
	hs := serve(t, srv)
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, srv.Endpoint(hs.URL), &http.Client{Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv.Hang("sendMessage", 1)
	err = sendText(bot, reader.ID, "lost")
	var uerr *url.Error
	if !errors.As(err, &uerr) || !uerr.Timeout() {
		t.Fatalf("error = %T %v, want a client timeout", err, err)
	}
	waitFor(t, srv, "the hung call to end", func() bool {
		c := srv.CallsTo("sendMessage")
		return len(c) == 1 && c[0].Error != ""
	})
	if c := srv.CallsTo("sendMessage")[0]; c.Status != 0 {
		t.Errorf("hung call = %+v, want no status", c)
	}
	if len(srv.Sent(reader.ID)) != 0 {
		t.Error("a hung message was recorded as sent")
	}
	if err := sendText(bot, reader.ID, "next"); err != nil {
		t.Errorf("after the hang: %v", err)
	}
}

func TestHang_EndsOnClose(t *testing.T) {
	srv, bot := startBot(t, Options{})
	srv.Hang("getMe", 1)
	done := make(chan error, 1)
	go func() {
		_, err := bot.GetMe()
		done <- err
	}()
	waitFor(t, srv, "the hung call", func() bool { return len(srv.CallsTo("getMe")) == 2 })
	srv.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("hung call succeeded, want a dropped connection")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: Close did not end the hang")
	}
}

func TestSetLatency(t *testing.T) {
	opts := noLimits(nil)
	opts.Token = testToken
	srv := New(opts)
	srv.AddUser(reader)
	hs := serve(t, srv)
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, srv.Endpoint(hs.URL), &http.Client{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	srv.SetLatency("sendMessage", 150*time.Millisecond)
	start := time.Now()
	if err := sendText(bot, reader.ID, "slow"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("slow send took %v, want at least 150ms", d)
	}

	// A client that gives up gets nothing delivered.
	srv.SetLatency("sendMessage", time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	form := url.Values{"chat_id": {"42"}, "text": {"gave up"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+"/bot"+testToken+"/sendMessage?"+form.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("request with a 100ms deadline succeeded against a minute of latency")
	}
	waitFor(t, srv, "the abandoned call to end", func() bool {
		c := srv.CallsTo("sendMessage")
		return len(c) == 2 && c[1].Error != ""
	})
	if n := len(srv.Sent(reader.ID)); n != 1 {
		t.Errorf("sent %d messages, want only the first", n)
	}

	// Close answers a delayed call at once.
	done := make(chan error, 1)
	go func() { done <- sendText(bot, reader.ID, "released") }()
	waitFor(t, srv, "the delayed call", func() bool { return len(srv.CallsTo("sendMessage")) == 3 })
	srv.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("delayed send after Close: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: Close did not end the latency")
	}
	srv.SetLatency("sendMessage", 0)
}

func TestWaitSent(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)
	go func() {
		for _, text := range []string{"one", "two"} {
			_ = sendText(bot, reader.ID, text)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	sent, err := srv.WaitSent(ctx, reader.ID, 2)
	if err != nil || len(sent) != 2 || sent[1].Text != "two" {
		t.Fatalf("WaitSent = %+v, %v", sent, err)
	}

	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	sent, err = srv.WaitSent(short, reader.ID, 3)
	if !errors.Is(err, context.DeadlineExceeded) || len(sent) != 2 {
		t.Errorf("WaitSent past the deadline = %d messages, %v; want 2 and DeadlineExceeded", len(sent), err)
	}
}
