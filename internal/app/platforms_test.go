package app

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"wzdaily/bot"
	"wzdaily/bot/telegram"
	"wzdaily/chat"
	"wzdaily/internal/faketelegram"
	"wzdaily/subscribers"
)

type nobody struct{}

func (nobody) Handle(context.Context, chat.Update) []chat.Message { return nil }
func (nobody) Inline(context.Context, string, string) ([]bot.InlineResult, string, error) {
	return nil, "", nil
}
func (nobody) ChatGone(context.Context, chat.Key, subscribers.State) error { return nil }
func (nobody) ChatBack(context.Context, chat.Key) error                    { return nil }
func (nobody) ChatMoved(context.Context, chat.Key, string) error           { return nil }
func (nobody) ThreadGone(context.Context, chat.Key, string) error          { return nil }

func TestALostWeChatSessionIsToldToTelegramAdmins(t *testing.T) {
	fake := faketelegram.New(faketelegram.Options{Token: "1:t"})
	srv := httptest.NewServer(fake)
	defer func() { fake.Close(); srv.Close() }()
	fake.AddUser(faketelegram.User{ID: 77, FirstName: "管理员"})
	tg, err := telegram.New(context.Background(), telegram.Options{Token: "1:t", Endpoint: srv.URL, Bot: nobody{}})
	if err != nil {
		t.Fatal(err)
	}
	a := &App{Telegram: tg, Settings: Settings{Admins: []string{"telegram:77", "wechat:wzd-x", "console:local"}}}
	a.Alert(context.Background(), "WeChat: failed login check; /var/lib/wzdaily/qr.png")
	sent := fake.Sent(77)
	if len(sent) != 1 || !strings.Contains(sent[0].Plain, "failed login check") || !strings.Contains(sent[0].Plain, "qr.png") {
		t.Fatalf("admin got %+v", sent)
	}
	(&App{Settings: Settings{Admins: []string{"telegram:77"}}}).Alert(context.Background(), "x") // no Telegram: nothing, no panic
}
