package faketelegram

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestSendMessage_Keyboards(t *testing.T) {
	data64 := strings.Repeat("d", 64)
	tests := map[string]struct {
		markup any
		want   string // "" for accepted, else the description's start
	}{
		"data 64 bytes":          {keyboard("A", data64), ""},
		"data 65 bytes":          {keyboard("A", data64+"d"), "Bad Request: BUTTON_DATA_INVALID"},
		"data 64 bytes of UTF-8": {keyboard("A", strings.Repeat("é", 32)), ""},
		"data 66 bytes of UTF-8": {keyboard("A", strings.Repeat("é", 33)), "Bad Request: BUTTON_DATA_INVALID"},
		"empty data":             {keyboard("A", ""), "Bad Request: BUTTON_DATA_INVALID"},
		"no action": {tgbotapi.NewInlineKeyboardMarkup([]tgbotapi.InlineKeyboardButton{{Text: "A"}}),
			"Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"},
		"empty label": {keyboard("", "x"), "Bad Request: BUTTON_TEXT_INVALID"},
		"url button": {tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonURL("Docs", "https://core.telegram.org/bots/api"))), ""},
		"localhost url": {tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonURL("Local", "http://localhost:8080/x"))), "Bad Request: inline keyboard button URL 'http://localhost:8080/x' is invalid: Wrong HTTP URL"},
		"ftp url": {tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonURL("F", "ftp://example.com/f"))), "Bad Request: inline keyboard button URL 'ftp://example.com/f' is invalid: Unsupported URL protocol"},
		"101 buttons":      {keyboard(strings.Split(strings.Repeat("b,d,", 101), ",")...), "Bad Request: reply markup is too long"},
		"reply keyboard":   {tgbotapi.NewReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton("yes"))), ""},
		"remove keyboard":  {tgbotapi.NewRemoveKeyboard(true), ""},
		"unknown markup":   {map[string]int{"nonsense": 1}, "Bad Request: can't parse reply keyboard markup JSON object"},
		"switch inline ok": {tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonSwitch("Share", "q"))), ""},
	}
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddUser(reader)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			msg := tgbotapi.NewMessage(reader.ID, "pick")
			msg.ReplyMarkup = tc.markup
			_, err := bot.Send(msg)
			if tc.want == "" && err != nil {
				t.Errorf("refused: %v", err)
			}
			if tc.want != "" {
				wantAPIError(t, err, http.StatusBadRequest, tc.want)
			}
		})
	}
	sent := srv.Sent(reader.ID)
	var sawReplyKeyboard bool
	for _, s := range sent {
		if strings.Contains(string(s.Keyboard), `"keyboard"`) && s.Markup == nil {
			sawReplyKeyboard = true
		}
	}
	if !sawReplyKeyboard {
		t.Error("the reply keyboard was not recorded in Sent.Keyboard")
	}
}

func TestSendMessage_InvalidMarkupJSON(t *testing.T) {
	srv := New(Options{Token: testToken})
	srv.AddUser(reader)
	hs := serve(t, srv)
	status, body := postForm(t, hs, testToken, "sendMessage", url.Values{"chat_id": {"42"}, "text": {"x"}, "reply_markup": {"{not json"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "can't parse reply keyboard markup JSON object") {
		t.Errorf("answer = %d %s", status, body)
	}
}

func TestSendMessage_ChatStates(t *testing.T) {
	const (
		group      = -4001
		supergroup = -1002
		channel    = -1003
		migrated   = -4002
		upgraded   = -1004
	)
	tests := map[string]struct {
		setup   func(*Server)
		chatID  int64
		text    string
		code    int
		desc    string
		migrate int64
	}{
		"unknown chat":            {nil, 12345, "x", 400, "Bad Request: chat not found", 0},
		"empty text":              {nil, reader.ID, "", 400, "Bad Request: message text is empty", 0},
		"only empty tags":         {nil, reader.ID, "<b></b>", 400, "Bad Request: message text is empty", 0},
		"blocked":                 {func(s *Server) { s.BlockBot(reader.ID) }, reader.ID, "x", 403, "Forbidden: bot was blocked by the user", 0},
		"blocked before bad HTML": {func(s *Server) { s.BlockBot(reader.ID) }, reader.ID, "<div>", 403, "Forbidden: bot was blocked by the user", 0},
		"group left":              {func(s *Server) { s.SetMember(group, DefaultBotID, StatusLeft) }, group, "x", 403, "Forbidden: bot is not a member of the group chat", 0},
		"supergroup kicked":       {func(s *Server) { s.SetMember(supergroup, DefaultBotID, StatusKicked) }, supergroup, "x", 403, "Forbidden: bot was kicked from the supergroup chat", 0},
		"channel member":          {func(s *Server) { s.SetMember(channel, DefaultBotID, StatusMember) }, channel, "x", 400, "Bad Request: need administrator rights in the channel chat", 0},
		"channel left":            {func(s *Server) { s.SetMember(channel, DefaultBotID, StatusLeft) }, channel, "x", 403, "Forbidden: bot is not a member of the channel chat", 0},
		"migrated group":          {func(s *Server) { s.Migrate(migrated, upgraded) }, migrated, "x", 400, "Bad Request: group chat was upgraded to a supergroup chat", upgraded},
		"unsupported parse mode":  {nil, reader.ID, "x", 400, "Bad Request: unsupported parse_mode", 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			srv, bot := startBot(t, noLimits(newFakeClock().Now))
			srv.AddUser(reader)
			srv.AddGroup(Chat{ID: group, Type: ChatGroup, Title: "G"})
			srv.AddGroup(Chat{ID: supergroup, Type: ChatSupergroup, Title: "S"})
			srv.AddGroup(Chat{ID: channel, Type: ChatChannel, Title: "C"})
			srv.AddGroup(Chat{ID: migrated, Type: ChatGroup, Title: "M"})
			if tc.setup != nil {
				tc.setup(srv)
			}
			msg := htmlMessage(tc.chatID, tc.text)
			if name == "unsupported parse mode" {
				msg.ParseMode = "BBCode"
			}
			_, err := bot.Send(msg)
			e := wantAPIError(t, err, tc.code, tc.desc)
			if e.Message != tc.desc || e.MigrateToChatID != tc.migrate {
				t.Errorf("error = %q migrate_to %d, want %q %d", e.Message, e.MigrateToChatID, tc.desc, tc.migrate)
			}
			rej := srv.Rejections()
			if len(rej) != 1 || rej[0].Code != tc.code || rej[0].Description != tc.desc || rej[0].MigrateToChatID != tc.migrate {
				t.Errorf("rejections = %+v", rej)
			}
			if rej[0].ChatID != tc.chatID {
				t.Errorf("rejection chat = %d, want %d", rej[0].ChatID, tc.chatID)
			}
		})
	}
}

func TestSendMessage_AfterMigrationAndInChannel(t *testing.T) {
	srv, bot := startBot(t, noLimits(newFakeClock().Now))
	srv.AddGroup(Chat{ID: -7, Type: ChatGroup, Title: "Old"})
	srv.Migrate(-7, -1007)
	m, err := bot.Send(tgbotapi.NewMessage(-1007, "moved"))
	if err != nil || m.Chat.Type != "supergroup" || m.Chat.Title != "Old" {
		t.Fatalf("send to the supergroup: %+v, %v", m.Chat, err)
	}
	srv.AddGroup(Chat{ID: -1008, Type: ChatChannel, Title: "News", Username: "news"})
	m, err = bot.Send(tgbotapi.NewMessageToChannel("@news", "post"))
	if err != nil {
		t.Fatalf("send to @news: %v", err)
	}
	if m.From != nil || m.SenderChat == nil || m.SenderChat.ID != -1008 {
		t.Errorf("channel post from %+v sender_chat %+v, want the channel as sender", m.From, m.SenderChat)
	}
	if len(srv.Sent(-1008)) != 1 {
		t.Errorf("channel messages = %+v", srv.Sent(-1008))
	}
}

func TestSendMessage_ReplyAndIDs(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, noLimits(clock.Now))
	srv.AddUser(reader)
	srv.AddUser(other)
	userMsg := srv.UserSays(reader.ID, reader.ID, "question")
	reply := tgbotapi.NewMessage(reader.ID, "answer")
	reply.ReplyToMessageID = userMsg
	m, err := bot.Send(reply)
	if err != nil {
		t.Fatal(err)
	}
	if m.MessageID != userMsg+1 || m.ReplyToMessage == nil || m.ReplyToMessage.Text != "question" || m.Date != int(epoch.Unix()) {
		t.Errorf("reply = id %d reply_to %+v date %d", m.MessageID, m.ReplyToMessage, m.Date)
	}
	// message_id counts per chat.
	if m2, _ := bot.Send(tgbotapi.NewMessage(other.ID, "hi")); m2.MessageID != 1 {
		t.Errorf("first message to the other reader has id %d, want 1", m2.MessageID)
	}
	missing := tgbotapi.NewMessage(reader.ID, "to nothing")
	missing.ReplyToMessageID = 999
	_, err = bot.Send(missing)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: message to be replied not found")
	missing.AllowSendingWithoutReply = true
	if _, err := bot.Send(missing); err != nil {
		t.Errorf("allow_sending_without_reply: %v", err)
	}
}

func TestEditMessageText(t *testing.T) {
	clock := newFakeClock()
	srv, bot := startBot(t, noLimits(clock.Now))
	srv.AddUser(reader)
	msg := htmlMessage(reader.ID, "<b>v1</b>")
	msg.ReplyMarkup = keyboard("Next", "next")
	m, err := bot.Send(msg)
	if err != nil {
		t.Fatal(err)
	}

	same := tgbotapi.NewEditMessageTextAndMarkup(reader.ID, m.MessageID, "<strong>v1</strong>", keyboard("Next", "next"))
	same.ParseMode = tgbotapi.ModeHTML
	_, err = bot.Send(same)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same")

	clock.Advance(time.Minute)
	changed := tgbotapi.NewEditMessageTextAndMarkup(reader.ID, m.MessageID, "<b>v2</b>", keyboard("Next", "next"))
	changed.ParseMode = tgbotapi.ModeHTML
	edited, err := bot.Send(changed)
	if err != nil {
		t.Fatalf("edit: %v", err)
	}
	if edited.Text != "v2" || edited.EditDate != int(epoch.Add(time.Minute).Unix()) || edited.ReplyMarkup == nil {
		t.Errorf("edited = %q edit_date %d markup %v", edited.Text, edited.EditDate, edited.ReplyMarkup)
	}

	// Without reply_markup the keyboard goes, as on Telegram.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(reader.ID, m.MessageID, "v3")); err != nil {
		t.Fatalf("edit without markup: %v", err)
	}
	s := srv.Sent(reader.ID)[0]
	if s.Text != "v3" || s.Plain != "v3" || s.ParseMode != "" || s.Markup != nil || s.Edits != 2 {
		t.Errorf("recorded = %+v", s)
	}

	_, err = bot.Send(tgbotapi.NewEditMessageText(reader.ID, 999, "x"))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: message to edit not found")

	userMsg := srv.UserSays(reader.ID, reader.ID, "mine")
	_, err = bot.Send(tgbotapi.NewEditMessageText(reader.ID, userMsg, "x"))
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: message can't be edited")

	_, err = bot.Send(tgbotapi.NewEditMessageText(reader.ID, m.MessageID, "<i>bad"))
	if err != nil {
		t.Errorf("edit without parse mode is plain text: %v", err)
	}
	bad := tgbotapi.NewEditMessageText(reader.ID, m.MessageID, "<i>bad")
	bad.ParseMode = tgbotapi.ModeHTML
	_, err = bot.Send(bad)
	wantAPIError(t, err, http.StatusBadRequest, "Bad Request: can't parse entities: Can't find end tag")

	rej := srv.Rejections()
	if len(rej) != 4 || rej[0].Method != "editMessageText" {
		t.Errorf("rejections = %+v, want 4 edit refusals", rej)
	}
}
