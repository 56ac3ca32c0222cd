package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/internal/faketelegram"
)

const testToken = "123456:test-token"

var reader = faketelegram.User{ID: 42, FirstName: "Reader", Username: "reader", LanguageCode: "en"}

// startBot serves a fake with no flood limits and returns a real tgbotapi
// client on it, as the bot would be.
func startBot(t *testing.T) (*faketelegram.Server, *tgbotapi.BotAPI) {
	t.Helper()
	srv := faketelegram.New(faketelegram.Options{Token: testToken, GlobalRate: -1, ChatInterval: -1, GroupPerSpan: -1})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		srv.Close() // first: wakes held polls so hs.Close does not wait
		hs.Close()
	})
	bot, err := tgbotapi.NewBotAPIWithClient(testToken, srv.Endpoint(hs.URL), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("NewBotAPIWithClient: %v", err)
	}
	return srv, bot
}

// syncBuffer is console output that a test can wait on.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed and replaced on each write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.written)
	b.written = make(chan struct{})
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor blocks until the output contains s.
func (b *syncBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		b.mu.Lock()
		out, written := b.buf.String(), b.written
		b.mu.Unlock()
		if strings.Contains(out, s) {
			return
		}
		select {
		case <-written:
		case <-deadline:
			t.Fatalf("deadlocked waiting for %q in console output:\n%s", s, out)
		}
	}
}

// nextUpdate long-polls for one update past offset.
func nextUpdate(t *testing.T, bot *tgbotapi.BotAPI, offset int) tgbotapi.Update {
	t.Helper()
	cfg := tgbotapi.NewUpdate(offset)
	cfg.Timeout = 2
	ups, err := bot.GetUpdates(cfg)
	if err != nil || len(ups) != 1 {
		t.Fatalf("updates after %d = %+v, %v; want one", offset, ups, err)
	}
	return ups[0]
}

func TestConsole(t *testing.T) {
	srv, bot := startBot(t)
	in, typing := io.Pipe()
	out := newSyncBuffer()
	done := make(chan error, 1)
	go func() { done <- runConsole(context.Background(), srv, in, out, reader) }()
	out.waitFor(t, "Chatting with @wzdaily_bot as Reader")

	// A line is a message from the reader in their private chat.
	if _, err := io.WriteString(typing, "/start now\n"); err != nil {
		t.Fatal(err)
	}
	u := nextUpdate(t, bot, 0)
	if u.Message.Command() != "start" || u.Message.CommandArguments() != "now" || u.Message.Chat.ID != reader.ID {
		t.Fatalf("message = %+v", u.Message)
	}

	msg := tgbotapi.NewMessage(reader.ID, "Hello <b>Reader</b>\nPick one")
	msg.ParseMode = tgbotapi.ModeHTML
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Yes", "yes"), tgbotapi.NewInlineKeyboardButtonData("No", "no")),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Docs", "https://example.com/docs")))
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "bot:\n    Hello Reader\n    Pick one\n    [1] Yes  [2] No  [3] Docs\n")

	if _, err := io.WriteString(typing, "!press 2\n"); err != nil {
		t.Fatal(err)
	}
	u = nextUpdate(t, bot, u.UpdateID+1)
	if u.CallbackQuery == nil || u.CallbackQuery.Data != "no" || u.CallbackQuery.Message.MessageID != sent.MessageID {
		t.Fatalf("callback = %+v", u.CallbackQuery)
	}
	if _, err := bot.Request(tgbotapi.NewCallback(u.CallbackQuery.ID, "Noted")); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "bot (notice): Noted\n")
	if _, err := bot.Send(tgbotapi.NewEditMessageText(reader.ID, sent.MessageID, "You said no")); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "bot (edited message 2):\n    You said no\n")

	if _, err := io.WriteString(typing, "!press 3\n"); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "(no message with buttons yet)") // the edit removed the keyboard

	if _, err := io.WriteString(typing, "!inline cats\n"); err != nil {
		t.Fatal(err)
	}
	u = nextUpdate(t, bot, u.UpdateID+1)
	if u.InlineQuery == nil || u.InlineQuery.Query != "cats" {
		t.Fatalf("inline query = %+v", u.InlineQuery)
	}
	inline := tgbotapi.InlineConfig{InlineQueryID: u.InlineQuery.ID, Results: []any{
		tgbotapi.NewInlineQueryResultArticle("1", "Tabby", "tabby"),
		tgbotapi.NewInlineQueryResultArticle("2", "Siamese", "siamese"),
	}}
	if _, err := bot.Request(inline); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "inline results for \"cats\":\n  1. Tabby\n  2. Siamese\n")

	if _, err := io.WriteString(typing, "!block\n"); err != nil {
		t.Fatal(err)
	}
	out.waitFor(t, "(you blocked the bot)")
	_, err = bot.Send(tgbotapi.NewMessage(reader.ID, "anyone?"))
	var tgErr *tgbotapi.Error
	if !errors.As(err, &tgErr) || tgErr.Code != http.StatusForbidden || tgErr.Message != "Forbidden: bot was blocked by the user" {
		t.Errorf("a send after !block: %v", err)
	}

	typing.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Console at EOF: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: Console did not return at EOF")
	}
}

func TestConsole_StopsWithContext(t *testing.T) {
	srv := faketelegram.New(faketelegram.Options{Token: testToken})
	in, typing := io.Pipe()
	defer typing.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runConsole(ctx, srv, in, io.Discard, reader) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Console after cancel: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: Console did not return when ctx ended")
	}
}
