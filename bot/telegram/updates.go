package telegram

import (
	"context"
	"log/slog"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// ref is what a reply needs to know about the update it answers.
type ref struct {
	chatID     int64
	messageID  int    // the user's message, or the message whose button was pressed
	callbackID string // set for a button press: it must be answered
	thread     int    // the forum topic it came from, where the answer goes; 0 for none
}

// route handles one update from Telegram: chat messages and button presses
// go to the dispatcher; inline queries and membership changes are handled
// here, as they belong to no conversation.
func (t *Transport) route(ctx context.Context, up incoming) {
	// The library slices texts by entity lengths it trusts; an update it
	// cannot read is dropped, not allowed to stop the bot.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("Unable to read a Telegram update", slog.Int("update", up.UpdateID), slog.Any("panic", r))
		}
	}()
	switch {
	case up.Message != nil:
		t.message(ctx, up.Message, false, up.thread)
	case up.ChannelPost != nil:
		t.message(ctx, up.ChannelPost, true, 0)
	case up.CallbackQuery != nil:
		t.callback(ctx, up.CallbackQuery, up.thread)
	case up.InlineQuery != nil:
		t.answerInline(ctx, up.InlineQuery)
	case up.MyChatMember != nil:
		t.membership(ctx, up.MyChatMember)
	}
}

// threadKey writes a topic's id as chat.Update.Thread has it: "" for none.
func threadKey(thread int) string {
	if thread == 0 {
		return ""
	}
	return strconv.Itoa(thread)
}

func key(chatID int64) chat.Key {
	return chat.Key{Platform: Platform, ChatID: strconv.FormatInt(chatID, 10)}
}

func kindOf(c *tgbotapi.Chat) chat.Kind {
	switch c.Type {
	case "private":
		return chat.Private
	case "channel":
		return chat.Channel
	}
	return chat.Group
}

func chatName(c *tgbotapi.Chat) string {
	if c.Title != "" {
		return c.Title
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

func (t *Transport) message(ctx context.Context, m *tgbotapi.Message, channel bool, thread int) {
	if m.Chat == nil {
		return
	}
	if m.MigrateToChatID != 0 {
		// The group became a supergroup: follow it before anything is sent.
		if err := t.opts.Bot.ChatMoved(ctx, key(m.Chat.ID), strconv.FormatInt(m.MigrateToChatID, 10)); err != nil {
			slog.Error("Unable to follow a migrated Telegram group", slog.Any("error", err))
		}
		return
	}
	if m.Text == "" {
		return
	}
	kind := kindOf(m.Chat)
	u := chat.Update{Chat: key(m.Chat.ID), Kind: kind, ChatName: chatName(m.Chat), Text: m.Text, Thread: threadKey(thread)}
	r := &ref{chatID: m.Chat.ID, messageID: m.MessageID, thread: thread}
	if m.From != nil {
		u.UserID, u.UserName, u.LangHint = strconv.FormatInt(m.From.ID, 10), m.From.UserName, m.From.LanguageCode
	}
	switch {
	case kind == chat.Private:
		u.Addressed, u.Text = true, t.stripSelf(m)
	case channel:
		// Only a channel's admins can post in it, and every post is by
		// one: commands are for the bot, the rest is the channel's news.
		u.IsAdmin = true
		u.Addressed = m.IsCommand() && t.commandIsOurs(m)
		u.Text = t.stripSelf(m)
	default:
		u.Addressed = t.addressed(m)
		u.Text = t.stripSelf(m)
		switch {
		case m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID:
			u.IsAdmin = true // an anonymous admin writes as the group
		case m.From != nil:
			u.AskAdmin = t.askAdmin(m.Chat.ID, m.From.ID)
		}
	}
	if !u.Addressed && kind != chat.Private {
		return
	}
	u.Ref = r
	t.enqueue(ctx, u)
}

// addressed says a group message is meant for this bot: a command for it
// (with no @name, or ours), an @-mention, or a reply to one of its messages.
func (t *Transport) addressed(m *tgbotapi.Message) bool {
	if m.IsCommand() {
		return t.commandIsOurs(m)
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == t.api.Self.ID {
		return true
	}
	return t.mention(m.Text) >= 0
}

func (t *Transport) commandIsOurs(m *tgbotapi.Message) bool {
	_, at, found := strings.Cut(m.CommandWithAt(), "@")
	return !found || strings.EqualFold(at, t.api.Self.UserName)
}

// stripSelf removes "@ourname" from the text, wherever it is: "/sub@bot 工业"
// and "@bot 搜索 西江" become commands the bot reads.
func (t *Transport) stripSelf(m *tgbotapi.Message) string {
	text := m.Text
	if i := t.mention(text); i >= 0 {
		text = text[:i] + " " + text[i+1+len(t.api.Self.UserName):]
	}
	return strings.TrimSpace(text)
}

// mention finds "@ourname" in text, in any letter case, and returns its
// byte offset or -1. It compares in place: lowering the whole text could
// change its length and misplace the cut.
func (t *Transport) mention(text string) int {
	name := t.api.Self.UserName
	for i := 0; i+1+len(name) <= len(text); i++ {
		if text[i] == '@' && strings.EqualFold(text[i+1:i+1+len(name)], name) {
			return i
		}
	}
	return -1
}

func (t *Transport) callback(ctx context.Context, q *tgbotapi.CallbackQuery, thread int) {
	if q.Message == nil || q.Message.Chat == nil {
		// A button under an inline-mode message: it carries no chat, and
		// the bot puts no buttons there. Answer so the spinner stops.
		t.answerCallback(ctx, q.ID)
		return
	}
	c := q.Message.Chat
	u := chat.Update{Chat: key(c.ID), Kind: kindOf(c), ChatName: chatName(c), Callback: q.Data, Addressed: true, Thread: threadKey(thread)}
	r := &ref{chatID: c.ID, messageID: q.Message.MessageID, callbackID: q.ID, thread: thread}
	if q.From != nil {
		u.UserID, u.UserName, u.LangHint = strconv.FormatInt(q.From.ID, 10), q.From.UserName, q.From.LanguageCode
		// Anyone who sees a group's or a channel's message can press its
		// buttons; only admins may change the chat's subscription.
		if u.Kind != chat.Private {
			u.AskAdmin = t.askAdmin(c.ID, q.From.ID)
		}
	}
	u.Ref = r
	t.enqueue(ctx, u)
}

func (t *Transport) enqueue(ctx context.Context, u chat.Update) {
	t.feedMu.RLock()
	defer t.feedMu.RUnlock()
	if t.fed {
		return
	}
	select {
	case t.updates <- u:
	case <-ctx.Done():
	}
}

// membership follows the bot's own status in a chat: blocked by a user,
// removed from a group, or back again.
func (t *Transport) membership(ctx context.Context, m *tgbotapi.ChatMemberUpdated) {
	k := key(m.Chat.ID)
	var err error
	switch m.NewChatMember.Status {
	case "kicked", "left":
		state := subscribers.Left
		if m.Chat.Type == "private" {
			state = subscribers.Blocked
		}
		slog.Info("Telegram chat gone", slog.String("chat", k.String()), slog.String("state", string(state)))
		err = t.opts.Bot.ChatGone(ctx, k, state)
	case "member", "administrator", "creator":
		err = t.opts.Bot.ChatBack(ctx, k)
	}
	if err != nil {
		slog.Error("Unable to record a Telegram membership change", slog.String("chat", k.String()), slog.Any("error", err))
	}
}
