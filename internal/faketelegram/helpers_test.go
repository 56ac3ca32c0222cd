package faketelegram

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/internal/clocktest"
)

const testToken = "123456:test-token"

var (
	epoch  = time.Date(2024, 5, 6, 7, 30, 0, 0, time.UTC)
	reader = User{ID: 42, FirstName: "Reader", Username: "reader", LanguageCode: "en"}
	other  = User{ID: 43, FirstName: "Other", Username: "other_reader"}
)

func TestMain(m *testing.M) {
	// GetUpdatesChan logs every failed poll; the tests cause some on purpose.
	_ = tgbotapi.SetLogger(log.New(io.Discard, "", 0))
	os.Exit(m.Run())
}

// newFakeClock is a clock the test moves by hand.
func newFakeClock() *clocktest.Manual { return clocktest.NewManual(epoch) }

// serve serves srv over loopback for the length of the test; Close runs
// first so that held polls and hangs do not hold up the HTTP server.
func serve(t *testing.T, srv *Server) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return hs
}

// startBot builds a fake with opts (the test token unless set) and a real
// tgbotapi client on it.
func startBot(t *testing.T, opts Options) (*Server, *tgbotapi.BotAPI) {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	srv := New(opts)
	hs := serve(t, srv)
	bot, err := tgbotapi.NewBotAPIWithClient(opts.Token, srv.Endpoint(hs.URL), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return srv, bot
}

// noLimits turns every flood limit off, for tests about something else.
func noLimits(now func() time.Time) Options {
	return Options{Now: now, GlobalRate: -1, ChatInterval: -1, GroupPerSpan: -1}
}

// apiError returns err as a *tgbotapi.Error, failing the test otherwise.
func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %T %v, want *tgbotapi.Error", err, err)
	}
	return e
}

// wantAPIError checks that err is a *tgbotapi.Error with code and a
// message that starts with prefix.
func wantAPIError(t *testing.T, err error, code int, prefix string) *tgbotapi.Error {
	t.Helper()
	e := apiError(t, err)
	if e.Code != code || !strings.HasPrefix(e.Message, prefix) {
		t.Fatalf("error = %d %q, want %d %q...", e.Code, e.Message, code, prefix)
	}
	return e
}

// waitFor blocks until cond holds, re-checking on every change the fake
// records, or fails the test after two seconds.
func waitFor(t *testing.T, srv *Server, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(2 * time.Second)
	for {
		srv.mu.Lock()
		changed := srv.changed
		srv.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("deadlocked waiting for %s", what)
		}
	}
}

// waitHeld waits until a getUpdates request is being held.
func waitHeld(t *testing.T, srv *Server) {
	t.Helper()
	waitFor(t, srv, "a held poll", func() bool {
		srv.mu.Lock()
		defer srv.mu.Unlock()
		return srv.poll != nil
	})
}

// postForm calls method on the fake with a raw form, for what tgbotapi
// cannot send.
func postForm(t *testing.T, hs *httptest.Server, token, method string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(hs.URL+"/bot"+token+"/"+method, form)
	if err != nil {
		t.Fatalf("POST %s: %v", method, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s answer: %v", method, err)
	}
	return resp.StatusCode, string(b)
}

// keyboard is an inline keyboard with one row of callback buttons given
// as label, data pairs.
func keyboard(pairs ...string) tgbotapi.InlineKeyboardMarkup {
	var row []tgbotapi.InlineKeyboardButton
	for i := 0; i+1 < len(pairs); i += 2 {
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(pairs[i], pairs[i+1]))
	}
	return tgbotapi.NewInlineKeyboardMarkup(row)
}

// htmlMessage is a sendMessage in HTML parse mode.
func htmlMessage(chatID int64, text string) tgbotapi.MessageConfig {
	m := tgbotapi.NewMessage(chatID, text)
	m.ParseMode = tgbotapi.ModeHTML
	return m
}
