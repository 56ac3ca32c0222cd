package telegram

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// replyAttempts bounds how often one reply is tried: a person is waiting,
// so a reply that cannot go out in a few tries is dropped and logged.
const replyAttempts = 4

// reply sends the bot's answers to an update: a pressed button is answered
// (so its spinner stops), and a page is edited in place when the answer
// asks for it.
func (t *Transport) reply(ctx context.Context, u chat.Update, replies []chat.Message) {
	r, _ := u.Ref.(*ref)
	if r == nil {
		return
	}
	if r.callbackID != "" {
		t.answerCallback(ctx, r.callbackID)
	}
	for _, m := range replies {
		if m.Replace && r.callbackID != "" {
			err := t.edit(ctx, r.chatID, r.messageID, m)
			if err == nil {
				continue
			}
			slog.Warn("Unable to edit a Telegram message; sending a new one", slog.String("chat", u.Chat.String()), slog.Any("error", err))
		}
		t.sendReply(ctx, u, r, m)
	}
}

func (t *Transport) sendReply(ctx context.Context, u chat.Update, r *ref, m chat.Message) {
	to := address{chatID: r.chatID, thread: r.thread}
	if u.Kind != chat.Private && r.callbackID == "" {
		// In a busy group, say which message is answered.
		to.replyTo = r.messageID
	}
	for attempt := 1; ; attempt++ {
		_, err := t.sendMessage(ctx, &to, m)
		if err == nil {
			return
		}
		se := chat.Classify(err)
		switch {
		case se.Refused:
			// Telegram refused the message the bot built: a bug.
			slog.Error("Telegram refused a reply the bot built", slog.String("chat", u.Chat.String()), slog.Any("error", err))
			return
		case se.Permanent:
			if u.Kind == chat.Private {
				if err := t.opts.Bot.ChatGone(ctx, u.Chat, subscribers.Blocked); err != nil {
					slog.Error("Unable to record a blocked chat", slog.Any("error", err))
				}
			}
			slog.Warn("Telegram refused a reply", slog.String("chat", u.Chat.String()), slog.Any("error", err))
			return
		case attempt >= replyAttempts || ctx.Err() != nil:
			slog.Error("Unable to send a Telegram reply", slog.String("chat", u.Chat.String()), slog.Int("attempts", attempt), slog.Any("error", err))
			return
		}
		wait := se.RetryAfter
		if wait == 0 {
			wait = time.Duration(attempt) * 500 * time.Millisecond
		}
		sleep(ctx, wait)
	}
}

// answerCallback stops the spinner on a pressed button. A failure only
// leaves the spinner turning for a while, so it is logged, not retried.
func (t *Transport) answerCallback(ctx context.Context, id string) {
	if _, err := t.call(ctx).Request(tgbotapi.NewCallback(id, "")); err != nil && !errors.Is(ctx.Err(), context.Canceled) {
		slog.Warn("Unable to answer a Telegram button press", slog.Any("error", t.wrap("answerCallbackQuery", err)))
	}
}
