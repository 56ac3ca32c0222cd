package officialaccount

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// act is what a push asks of the bot.
type act int

const (
	say      act = iota // a message or a menu click: the bot answers it
	follow              // the reader followed: back to the settings they had, and the welcome
	unfollow            // the reader left: no answer can reach them
)

// inbound is a push on its way to the bot.
type inbound struct {
	key     string // recognises WeChat's retries of the push
	account string // the account's id, whom a passive reply comes from
	act     act
	update  chat.Update
	push    *push
}

// maxOpenID bounds an OpenID; WeChat's are 28 characters.
const maxOpenID = 64

// startCode is what a start link may carry after "/start", as on
// Telegram; a QR code with a scene (带参数二维码) carries it here.
var startCode = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// read turns a push into what the bot is asked, or false for a push that
// asks nothing (a location report, a link opened from the menu, a mass
// send's report).
func (t *Transport) read(m *message.MixMessage) (inbound, bool) {
	openID := string(m.FromUserName)
	if openID == "" || len(openID) > maxOpenID {
		return inbound{}, false
	}
	key := chat.Key{Platform: Platform, ChatID: openID}
	u := chat.Update{Chat: key, Kind: chat.Private, UserID: openID, Addressed: true, LangHint: "zh"}
	in := inbound{key: fmt.Sprintf("msg:%d", m.MsgID), act: say, account: string(m.ToUserName)}
	if m.MsgID == 0 {
		in.key = fmt.Sprintf("event:%s:%d:%s", openID, m.CreateTime, m.Event)
	}
	switch m.MsgType {
	case message.MsgTypeText:
		u.Text = m.Content
		if data, ok := t.choices.Pressed(key, m.Content); ok {
			u.Text, u.Callback = "", data
		}
	case message.MsgTypeVoice:
		// With speech recognition on, WeChat sends the words it heard.
		u.Text = m.Recognition
	case message.MsgTypeEvent:
		switch m.Event {
		case message.EventSubscribe:
			in.act = follow
			u.Text = "/start"
			if code, ok := strings.CutPrefix(m.EventKey, "qrscene_"); ok && startCode.MatchString(code) {
				u.Text += " " + code
			}
		case message.EventScan:
			// A follower scanned a QR code with a scene: as a start link.
			if !startCode.MatchString(m.EventKey) {
				return inbound{}, false
			}
			u.Text = "/start " + m.EventKey
		case message.EventUnsubscribe:
			in.act = unfollow
		case message.EventClick:
			// A menu button's key is the command it sends (see Menu).
			if m.EventKey == "" {
				return inbound{}, false
			}
			u.Text = m.EventKey
		default:
			return inbound{}, false
		}
	default:
		// A picture, a video, a location: what the bot can do, in words.
		u.Text = ""
	}
	in.update = u
	return in, true
}

// conversation hands pushes to the bot, one at a time per follower.
type conversation struct{ t *Transport }

func (c conversation) Handle(ctx context.Context, u chat.Update) []chat.Message {
	in, _ := u.Ref.(*inbound)
	if in == nil {
		return nil
	}
	bot := c.t.opts.Bot
	switch in.act {
	case unfollow:
		if err := bot.ChatGone(ctx, u.Chat, subscribers.Left); err != nil {
			slog.Error("Unable to record an Official Account follower as gone", slog.String("chat", u.Chat.String()), slog.Any("error", err))
		}
		return nil
	case follow:
		// Following again: the settings come back before the welcome.
		if err := bot.ChatBack(ctx, u.Chat); err != nil {
			slog.Error("Unable to record an Official Account follower as back", slog.String("chat", u.Chat.String()), slog.Any("error", err))
		}
	}
	return bot.Handle(ctx, u)
}

// answered receives the bot's answer to a push, from a dispatcher worker.
func (t *Transport) answered(_ context.Context, u chat.Update, replies []chat.Message) {
	in, _ := u.Ref.(*inbound)
	if in == nil {
		return
	}
	var out []string
	for _, m := range replies {
		t.choices.Remember(u.Chat, m)
		text := render(m)
		if strings.TrimSpace(text) == "" {
			continue
		}
		// The first piece may go as the passive reply, whose envelope
		// takes some of the bytes.
		first := MaxBytes
		if len(out) == 0 {
			first = replyBudget(u.Chat.ChatID, in.account)
		}
		out = append(out, chat.SplitTextFirst(text, first, MaxBytes, chat.UTF8Bytes)...)
	}
	t.pushes.answered(in.push, out)
}
