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

// maxReplyWait is the longest a reply waits for Telegram between tries.
// Telegram's limits (one message a second to a chat, twenty a minute to
// a group) never ask for more; a longer retry_after is a flood ban, and
// an answer that late would be stale.
const maxReplyWait = time.Minute

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
		if m.Replace && r.callbackID != "" && !t.replace(ctx, u, r, m) {
			continue
		}
		t.sendReply(ctx, u, r, m)
	}
}

// replace edits the message whose button was pressed, trying again while
// Telegram asks to wait or fails for a while. It reports whether the page
// must go as a new message instead: when Telegram refuses to edit that
// message (too old, deleted, not the bot's). A page Telegram could not
// take for a while is not sent again as a new one, which would meet the
// same flood limit or outage, or duplicate an edit that went through.
func (t *Transport) replace(ctx context.Context, u chat.Update, r *ref, m chat.Message) (sendNew bool) {
	attempts, err := retry(ctx, func() error { return t.edit(ctx, r.chatID, r.messageID, m) })
	if err == nil {
		return false
	}
	se := chat.Classify(err)
	switch {
	case se.Refused:
		// Telegram's answer about this message, not a fault of the bot's:
		// a new message carries the page (and, should the page itself be
		// what Telegram refused, sendReply logs that as the bug it is).
		slog.Info("Telegram would not edit the message; sending the page as a new one", slog.String("chat", u.Chat.String()), slog.Any("error", err))
		return true
	case se.Permanent:
		return true // sendReply meets the same refusal and records it
	}
	slog.Warn("Unable to edit a Telegram message", slog.String("chat", u.Chat.String()), slog.Int("attempts", attempts), slog.Any("error", err))
	return false
}

func (t *Transport) sendReply(ctx context.Context, u chat.Update, r *ref, m chat.Message) {
	to := address{chatID: r.chatID, thread: r.thread}
	if u.Kind != chat.Private && r.callbackID == "" {
		// In a busy group, say which message is answered.
		to.replyTo = r.messageID
	}
	attempts, err := retry(ctx, func() error {
		_, err := t.sendMessage(ctx, &to, m)
		return err
	})
	if err == nil {
		return
	}
	se := chat.Classify(err)
	switch {
	case se.Refused:
		// Telegram refused the message the bot built: a bug.
		slog.Error("Telegram refused a reply the bot built", slog.String("chat", u.Chat.String()), slog.Any("error", err))
	case se.Permanent:
		if u.Kind == chat.Private {
			if err := t.opts.Bot.ChatGone(ctx, u.Chat, subscribers.Blocked); err != nil {
				slog.Error("Unable to record a blocked chat", slog.Any("error", err))
			}
		}
		slog.Warn("Telegram refused a reply", slog.String("chat", u.Chat.String()), slog.Any("error", err))
	default:
		slog.Error("Unable to send a Telegram reply", slog.String("chat", u.Chat.String()), slog.Int("attempts", attempts), slog.Any("error", err))
	}
}

// retry makes one Telegram call for a reply until it works, Telegram
// refuses it for good, or it was tried replyAttempts times. Between tries
// it waits as long as Telegram asked (a 429's retry_after, never less),
// else a short backoff; a wait over maxReplyWait ends the tries.
func retry(ctx context.Context, call func() error) (attempts int, err error) {
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil {
			return attempt, nil
		}
		se := chat.Classify(err)
		if se.Refused || se.Permanent || attempt >= replyAttempts || ctx.Err() != nil {
			return attempt, err
		}
		wait := se.RetryAfter
		if wait == 0 {
			wait = time.Duration(attempt) * 500 * time.Millisecond
		}
		if wait > maxReplyWait {
			return attempt, err
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
