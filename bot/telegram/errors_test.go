package telegram

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestClassify(t *testing.T) {
	tg := func(code int, msg string, retry int, migrate int64) error {
		return &tgbotapi.Error{Code: code, Message: msg, ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: retry, MigrateToChatID: migrate}}
	}
	var syntax error = &json.SyntaxError{}
	cases := []struct {
		name      string
		err       error
		permanent bool
		retry     time.Duration
		moved     string
		refused   bool
	}{
		{"flood", tg(429, "Too Many Requests: retry after 7", 7, 0), false, 7 * time.Second, "", false},
		{"flood without a time", tg(429, "Too Many Requests", 0, 0), false, time.Second, "", false},
		{"blocked", tg(403, "Forbidden: bot was blocked by the user", 0, 0), true, 0, "", false},
		{"kicked", tg(403, "Forbidden: bot was kicked from the group chat", 0, 0), true, 0, "", false},
		{"chat not found", tg(400, "Bad Request: chat not found", 0, 0), true, 0, "", false},
		{"too long is ours", tg(400, "Bad Request: message is too long", 0, 0), false, 0, "", true},
		{"bad HTML is ours", tg(400, "Bad Request: can't parse entities: Unsupported start tag \"x\"", 0, 0), false, 0, "", true},
		{"migrated", tg(400, "Bad Request: group chat was upgraded to a supergroup chat", 0, -100123), false, 0, "-100123", false},
		{"server error", tg(500, "Internal Server Error", 0, 0), false, 0, "", false},
		{"html 502", syntax, false, 0, "", false},
		{"network", &url.Error{Op: "Post", URL: "x", Err: errors.New("connection refused")}, false, 0, "", false},
	}
	for _, c := range cases {
		se := classify(c.err)
		if se.Permanent != c.permanent || se.RetryAfter != c.retry || se.MigratedTo != c.moved || se.Refused != c.refused {
			t.Errorf("%s: %+v", c.name, se)
		}
		if !errors.Is(se, c.err) {
			t.Errorf("%s: the cause is not kept", c.name)
		}
	}
}

func TestTheTokenNeverShowsInErrors(t *testing.T) {
	const token = "123456:SECRET-token_value"
	// A refused connection: the library returns the client's *url.Error,
	// whose URL holds the token.
	tr, err := New(t.Context(), Options{Token: token, Endpoint: "http://127.0.0.1:1", Bot: nopConversation{},
		Client: &http.Client{Timeout: time.Second}})
	if err == nil {
		t.Fatalf("connected to nothing: %v", tr)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("token in the error: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, Redacted) {
		t.Errorf("want a *url.Error with the token redacted, got %#v", err)
	}
	wrapped := wrap(token, "x", errors.New("Post http://h/bot"+token+"/getMe: timeout"))
	if strings.Contains(wrapped.Error(), "SECRET") {
		t.Errorf("token in a wrapped error: %v", wrapped)
	}
}
