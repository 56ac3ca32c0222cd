package faketelegram

import (
	"net/http"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func recv(t *testing.T, ch tgbotapi.UpdatesChannel) tgbotapi.Update {
	t.Helper()
	select {
	case u, ok := <-ch:
		if !ok {
			t.Fatal("updates channel closed")
		}
		return u
	case <-time.After(3 * time.Second):
		t.Fatal("deadlocked waiting for an update")
	}
	return tgbotapi.Update{}
}

func TestGetUpdatesChan_DeliversInjectedUpdates(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, Options{Now: clock.Now})
	srv.AddUser(reader)
	srv.AddGroup(Chat{ID: -1001234567890, Type: ChatSupergroup, Title: "Team"})

	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 1
	ch := bot.GetUpdatesChan(cfg)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			bot.StopReceivingUpdates()
		}
	})

	// A command with @bot and non-ASCII arguments: the entity length is
	// in UTF-16 units, which for the ASCII command equals its bytes.
	id := srv.UserSays(reader.ID, reader.ID, "/start@wzdaily_bot привет мир")
	u := recv(t, ch)
	if u.UpdateID != 1 || u.Message == nil || u.Message.MessageID != id {
		t.Fatalf("update = %+v, want update 1 with message %d", u, id)
	}
	m := u.Message
	if !m.IsCommand() || m.Command() != "start" || m.CommandWithAt() != "start@wzdaily_bot" || m.CommandArguments() != "привет мир" {
		t.Errorf("command = %v %q %q %q", m.IsCommand(), m.Command(), m.CommandWithAt(), m.CommandArguments())
	}
	if m.From.UserName != "reader" || m.From.LanguageCode != "en" || m.Chat.Type != "private" || m.Chat.ID != reader.ID || m.Date != int(epoch.Unix()) {
		t.Errorf("message = %+v from %+v in %+v", m, m.From, m.Chat)
	}

	// A mention is not a command.
	srv.UserSays(-1001234567890, reader.ID, "hi @wzdaily_bot, /help")
	m = recv(t, ch).Message
	if m.IsCommand() || len(m.Entities) != 2 || m.Entities[0].Type != "mention" || m.Entities[0].Offset != 3 || m.Entities[0].Length != 12 ||
		m.Entities[1].Type != "bot_command" || m.Entities[1].Offset != 17 {
		t.Errorf("group message entities = %+v, want a mention at 3 and a command at 17", m.Entities)
	}
	if m.Chat.Title != "Team" || m.Chat.Type != "supergroup" {
		t.Errorf("group chat = %+v", m.Chat)
	}

	// A button press carries the bot's message as the fake has it.
	msg := htmlMessage(reader.ID, "<b>Pick</b> one")
	msg.ReplyMarkup = keyboard("Yes", "vote:yes", "No", "vote:no")
	sent, err := bot.Send(msg)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	cb := srv.Press(reader.ID, sent.MessageID, reader.ID, "vote:yes")
	u = recv(t, ch)
	q := u.CallbackQuery
	if q == nil || q.ID != cb || q.Data != "vote:yes" || q.From.ID != reader.ID || q.ChatInstance == "" {
		t.Fatalf("callback = %+v, want %s vote:yes", q, cb)
	}
	if q.Message.Text != "Pick one" || q.Message.From.ID != bot.Self.ID || len(q.Message.ReplyMarkup.InlineKeyboard[0]) != 2 || u.FromChat().ID != reader.ID {
		t.Errorf("callback message = %+v", q.Message)
	}

	iq := srv.InlineQuery(reader.ID, "cats", "10")
	if q := recv(t, ch).InlineQuery; q == nil || q.ID != iq || q.Query != "cats" || q.Offset != "10" || q.From.ID != reader.ID {
		t.Errorf("inline query = %+v, want %s cats", q, iq)
	}

	srv.ChatMemberChanged(-1001234567890, reader.ID, StatusMember, StatusAdministrator)
	mc := recv(t, ch).MyChatMember
	if mc == nil || mc.OldChatMember.Status != "member" || mc.NewChatMember.Status != "administrator" ||
		mc.NewChatMember.User.ID != bot.Self.ID || mc.From.ID != reader.ID || mc.Chat.ID != -1001234567890 {
		t.Errorf("my_chat_member = %+v", mc)
	}

	// StopReceivingUpdates takes effect when the held poll (1s) returns.
	start := time.Now()
	bot.StopReceivingUpdates()
	stopped = true
	for range ch {
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("channel closed %v after StopReceivingUpdates, want within the 1s poll", d)
	}
}

func TestChannelPost(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddGroup(Chat{ID: -1009, Type: ChatChannel, Title: "News", Username: "news"})
	srv.ChannelPost(-1009, "/digest now")
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil || len(ups) != 1 || ups[0].ChannelPost == nil {
		t.Fatalf("updates = %+v, %v; want one channel_post", ups, err)
	}
	p := ups[0].ChannelPost
	if p.SenderChat == nil || p.SenderChat.ID != -1009 || p.From != nil || p.Command() != "digest" {
		t.Errorf("channel post = %+v", p)
	}
}

func TestGetUpdates_OffsetConfirms(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddUser(reader)
	for _, text := range []string{"one", "two", "three"} {
		srv.UserSays(reader.ID, reader.ID, text)
	}
	limited := tgbotapi.NewUpdate(0)
	limited.Limit = 2
	ups, err := bot.GetUpdates(limited)
	if err != nil || len(ups) != 2 || ups[0].UpdateID != 1 || ups[1].UpdateID != 2 {
		t.Fatalf("limit 2: %+v, %v", ups, err)
	}
	// Without an offset nothing is confirmed.
	if ups, _ := bot.GetUpdates(tgbotapi.NewUpdate(0)); len(ups) != 3 {
		t.Fatalf("second poll got %d updates, want all 3 again", len(ups))
	}
	ups, err = bot.GetUpdates(tgbotapi.NewUpdate(3))
	if err != nil || len(ups) != 1 || ups[0].Message.Text != "three" {
		t.Fatalf("offset 3: %+v, %v", ups, err)
	}
	if n := srv.Pending(); n != 1 {
		t.Errorf("pending = %d, want 1", n)
	}
	if ups, _ := bot.GetUpdates(tgbotapi.NewUpdate(4)); len(ups) != 0 || srv.Pending() != 0 {
		t.Errorf("offset 4: %d updates, %d pending; want none", len(ups), srv.Pending())
	}
	last := srv.CallsTo("getUpdates")
	if p := last[len(last)-1].Params; p["offset"] != "4" || p["allowed_updates"] != "null" {
		t.Errorf("last getUpdates params = %v", p)
	}
}

func TestGetUpdates_AllowedUpdatesFilter(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddUser(reader)
	srv.UserSays(reader.ID, reader.ID, "hello")
	srv.InlineQuery(reader.ID, "q", "")
	cfg := tgbotapi.NewUpdate(0)
	cfg.AllowedUpdates = []string{"inline_query"}
	ups, err := bot.GetUpdates(cfg)
	if err != nil || len(ups) != 1 || ups[0].InlineQuery == nil {
		t.Fatalf("updates = %+v, %v; want only the inline query", ups, err)
	}
}

func TestGetUpdates_HeldPollWakesOnUpdate(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddUser(reader)
	got := make(chan []tgbotapi.Update, 1)
	go func() {
		cfg := tgbotapi.NewUpdate(0)
		cfg.Timeout = 20
		ups, _ := bot.GetUpdates(cfg)
		got <- ups
	}()
	waitHeld(t, srv)
	srv.UserSays(reader.ID, reader.ID, "wake up")
	select {
	case ups := <-got:
		if len(ups) != 1 || ups[0].Message.Text != "wake up" {
			t.Errorf("updates = %+v", ups)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: the held poll did not wake")
	}
}

func TestGetUpdates_HoldIsCappedByMaxPoll(t *testing.T) {
	_, bot := startBot(t, Options{MaxPoll: 100 * time.Millisecond})
	cfg := tgbotapi.NewUpdate(0)
	cfg.Timeout = 30
	start := time.Now()
	ups, err := bot.GetUpdates(cfg)
	if d := time.Since(start); err != nil || len(ups) != 0 || d < 100*time.Millisecond || d > time.Second {
		t.Errorf("poll = %d updates, %v after %v; want none after ~100ms", len(ups), err, d)
	}
}

func TestGetUpdates_SecondPollEndsTheFirstWithConflict(t *testing.T) {
	srv, bot := startBot(t, Options{})
	first := make(chan error, 1)
	go func() {
		cfg := tgbotapi.NewUpdate(0)
		cfg.Timeout = 20
		_, err := bot.GetUpdates(cfg)
		first <- err
	}()
	waitHeld(t, srv)
	if _, err := bot.GetUpdates(tgbotapi.NewUpdate(0)); err != nil {
		t.Fatalf("second poll: %v", err)
	}
	select {
	case err := <-first:
		wantAPIError(t, err, http.StatusConflict, "Conflict: terminated by other getUpdates request")
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: the first poll was not ended")
	}
}

func TestGetUpdates_WebhookConflict(t *testing.T) {
	_, bot := startBot(t, Options{})
	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatalf("deleteWebhook: %v", err)
	}
	plain, _ := tgbotapi.NewWebhook("http://example.com/hook")
	_, err := bot.Request(plain)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: bad webhook: An HTTPS URL must be provided")

	hook, _ := tgbotapi.NewWebhook("https://example.com/hook")
	if _, err := bot.Request(hook); err != nil {
		t.Fatalf("setWebhook: %v", err)
	}
	_, err = bot.GetUpdates(tgbotapi.NewUpdate(0))
	wantAPIError(t, err, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active")

	if _, err := bot.Request(tgbotapi.DeleteWebhookConfig{}); err != nil {
		t.Fatalf("deleteWebhook: %v", err)
	}
	if _, err := bot.GetUpdates(tgbotapi.NewUpdate(0)); err != nil {
		t.Errorf("getUpdates after deleteWebhook: %v", err)
	}
}

func TestClose_ReleasesHeldPolls(t *testing.T) {
	srv, bot := startBot(t, Options{})
	done := make(chan error, 1)
	go func() {
		cfg := tgbotapi.NewUpdate(0)
		cfg.Timeout = 30
		_, err := bot.GetUpdates(cfg)
		done <- err
	}()
	waitHeld(t, srv)
	srv.Close()
	srv.Close() // idempotent
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("released poll: %v, want an empty answer", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("deadlocked: Close did not release the held poll")
	}
}

func TestBlockAndUnblockQueueMyChatMember(t *testing.T) {
	srv, bot := startBot(t, Options{Now: newFakeClock().Now})
	srv.AddUser(reader)
	srv.BlockBot(reader.ID)
	srv.UserSays(reader.ID, reader.ID, "/start") // writing again unblocks
	ups, err := bot.GetUpdates(tgbotapi.NewUpdate(0))
	if err != nil || len(ups) != 3 {
		t.Fatalf("updates = %+v, %v; want kicked, member, message", ups, err)
	}
	if ups[0].MyChatMember.NewChatMember.Status != "kicked" || ups[1].MyChatMember.NewChatMember.Status != "member" || !ups[2].Message.IsCommand() {
		t.Errorf("updates = %+v %+v %+v", ups[0].MyChatMember, ups[1].MyChatMember, ups[2].Message)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(reader.ID, "welcome back")); err != nil {
		t.Errorf("send after unblock: %v", err)
	}
}

func TestAutoEntities(t *testing.T) {
	tests := map[string]struct {
		text string
		want []Entity
	}{
		"command":           {"/start", []Entity{{Type: "bot_command", Offset: 0, Length: 6}}},
		"command at bot":    {"/start@wzdaily_bot x", []Entity{{Type: "bot_command", Offset: 0, Length: 18}}},
		"command later":     {"😀 /help", []Entity{{Type: "bot_command", Offset: 3, Length: 5}}},
		"not after a word":  {"and/or", nil},
		"slash alone":       {"/ x", nil},
		"mention":           {"hey @reader_b!", []Entity{{Type: "mention", Offset: 4, Length: 9}}},
		"too short mention": {"@abc", nil},
		"e-mail":            {"me@example.com", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := autoEntities(tc.text)
			if !sameJSON(got, tc.want) {
				t.Errorf("autoEntities(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}
