package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// tgbotapi v5.5.1 implements Bot API 5.5. What the bot needs of later
// versions goes through MakeRequest here, in one place: forum topics
// (Bot API 6.3), whose message_thread_id the library's Message drops and
// its MessageConfig cannot send.

// incoming is an update as the library reads it, with the forum topic of
// its message, read from the same JSON.
type incoming struct {
	tgbotapi.Update
	// thread is the topic the message (or the pressed button's message)
	// is in; 0 in General, outside forums, and for a reply in a plain
	// supergroup, whose message_thread_id names a reply thread that no
	// send may name (Telegram answers "message thread not found").
	thread int
}

// topicFields are the Message fields of Bot API 6.3 the bot reads.
type topicFields struct {
	ThreadID int  `json:"message_thread_id"`
	IsTopic  bool `json:"is_topic_message"`
}

func (f *topicFields) topic() int {
	if f == nil || !f.IsTopic {
		return 0
	}
	return f.ThreadID
}

// decodeUpdate reads one update. On an error the update id may still be
// set, so that a poll confirms the update it cannot read.
func decodeUpdate(raw []byte) (incoming, error) {
	var in incoming
	if err := json.Unmarshal(raw, &in.Update); err != nil {
		var id struct {
			UpdateID int `json:"update_id"`
		}
		_ = json.Unmarshal(raw, &id) // best effort: 0 when unreadable too
		in.UpdateID = id.UpdateID
		return in, fmt.Errorf("telegram: unable to read update %d: %w", id.UpdateID, err)
	}
	var topics struct {
		Message       *topicFields `json:"message"`
		CallbackQuery *struct {
			Message *topicFields `json:"message"`
		} `json:"callback_query"`
	}
	_ = json.Unmarshal(raw, &topics) // the same JSON just decoded
	in.thread = topics.Message.topic()
	if topics.CallbackQuery != nil {
		in.thread = topics.CallbackQuery.Message.topic()
	}
	return in, nil
}

// getUpdates asks for the updates from offset on, holding for up to the
// poll timeout. Each is decoded on its own (decodeUpdate), so that one the
// bot cannot read is confirmed and skipped, not retried for ever.
//
// https://core.telegram.org/bots/api#getupdates
func (t *Transport) getUpdates(ctx context.Context, offset int) ([]json.RawMessage, error) {
	p := tgbotapi.Params{}
	p.AddNonZero("offset", offset)
	p.AddNonZero("limit", 100)
	p.AddNonZero("timeout", int(t.opts.PollTimeout/time.Second))
	if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
		return nil, err
	}
	resp, err := t.call(ctx).MakeRequest("getUpdates", p)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, fmt.Errorf("telegram: unable to read updates: %w", err)
	}
	return raws, nil
}

// address is where a message goes: a chat, by id or by a public channel's
// @username; a forum topic in it; and the message it answers, if any.
type address struct {
	chatID   int64
	username string
	thread   int
	replyTo  int
}

// addressOf reads a chat id: a number, or a public channel's @username.
func addressOf(chatID string) (address, error) {
	if id, err := strconv.ParseInt(chatID, 10, 64); err == nil {
		return address{chatID: id}, nil
	}
	if len(chatID) > 1 && chatID[0] == '@' {
		return address{username: chatID}, nil
	}
	return address{}, fmt.Errorf("telegram: bad chat id %q", chatID)
}

// postMessage sends HTML text with an optional keyboard, without link
// previews. A reply that names a message may go without it, should the
// message be gone by then.
//
// https://core.telegram.org/bots/api#sendmessage
func (t *Transport) postMessage(ctx context.Context, to address, html string, kb *tgbotapi.InlineKeyboardMarkup) (tgbotapi.Message, error) {
	p := tgbotapi.Params{"text": html, "parse_mode": tgbotapi.ModeHTML}
	if to.chatID != 0 {
		p.AddNonZero64("chat_id", to.chatID)
	} else {
		p["chat_id"] = to.username
	}
	p["link_preview_options"] = previewsOff
	p.AddNonZero("message_thread_id", to.thread)
	p.AddNonZero("reply_to_message_id", to.replyTo)
	p.AddBool("allow_sending_without_reply", to.replyTo != 0)
	if kb != nil {
		if err := p.AddInterface("reply_markup", kb); err != nil {
			return tgbotapi.Message{}, err
		}
	}
	resp, err := t.call(ctx).MakeRequest("sendMessage", p)
	if err != nil {
		return tgbotapi.Message{}, err
	}
	var sent tgbotapi.Message
	if err := json.Unmarshal(resp.Result, &sent); err != nil {
		return tgbotapi.Message{}, fmt.Errorf("telegram: unable to read the sent message: %w", err)
	}
	return sent, nil
}
