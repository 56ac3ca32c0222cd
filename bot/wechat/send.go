package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/bot"
	"wzdaily/subscribers"
)

// Send delivers one message (a digest part) to a friend or group by its
// key; it implements bot.Sender. Errors are *bot.SendError. While logged
// out it waits a while for a login, then gives the part back to the
// outbox; a chat that stays unknown for MaxUnresolved tries counts as left.
func (t *Transport) Send(ctx context.Context, chat subscribers.Key, m bot.Message) (string, error) {
	if chat.Platform != Platform {
		return "", &bot.SendError{Permanent: true, Err: fmt.Errorf("wechat: not a WeChat chat: %s", chat)}
	}
	t.mu.Lock()
	ready := t.ready
	t.mu.Unlock()
	wait := time.NewTimer(t.opts.LoginWait)
	defer wait.Stop()
	select {
	case <-ready:
	case <-wait.C:
	case <-ctx.Done():
		return "", &bot.SendError{Err: ctx.Err()}
	}
	t.mu.Lock()
	self, userName := t.self, t.names[chat]
	if self != nil && userName == "" {
		t.unresolved[chat]++
	}
	misses := t.unresolved[chat]
	t.mu.Unlock()
	switch {
	case self == nil:
		return "", &bot.SendError{RetryAfter: time.Minute, Err: ErrLoggedOut}
	case userName == "" && misses >= t.opts.MaxUnresolved:
		if err := t.opts.Bot.ChatGone(ctx, chat, subscribers.Left); err != nil {
			slog.Error("Unable to record a WeChat chat as left", slog.Any("error", err))
		}
		return "", &bot.SendError{Permanent: true, Left: true, Err: fmt.Errorf("wechat: no friend or group %q after %d tries", chat.ChatID, misses)}
	case userName == "":
		return "", &bot.SendError{RetryAfter: t.opts.UnresolvedRetry, Err: fmt.Errorf("wechat: no friend or group %q in this session (yet)", chat.ChatID)}
	}
	id, err := t.sendText(ctx, self, userName, text(m), false)
	if err != nil {
		return "", err
	}
	t.remember(chat, m)
	return id, nil
}

// reply answers an update in the chat it came from.
func (t *Transport) reply(ctx context.Context, u bot.Update, replies []bot.Message) {
	in, _ := u.Ref.(inbound)
	t.mu.Lock()
	self := t.self
	t.mu.Unlock()
	if self == nil || in.userName == "" {
		return
	}
	for _, m := range replies {
		if _, err := t.sendText(ctx, self, in.userName, text(m), true); err != nil {
			slog.Warn("Unable to send a WeChat reply", slog.String("chat", u.Chat.String()), slog.Any("error", err))
			return
		}
		t.remember(u.Chat, m)
	}
}

// sendText sends text in pieces of at most MaxLength characters, paced.
func (t *Transport) sendText(ctx context.Context, self *openwechat.Self, userName, s string, reply bool) (string, error) {
	var id string
	for _, piece := range split(s, t.opts.MaxLength) {
		var sent *openwechat.SentMessage
		retry, err := t.pace.send(ctx, reply, func() error {
			var err error
			sent, err = self.SendTextToFriend(&openwechat.Friend{User: &openwechat.User{UserName: userName}}, piece)
			return err
		})
		if err != nil {
			return "", classify(err, retry, t.opts.Now())
		}
		id = sent.MsgId
	}
	return id, nil
}

// classify says whether a failed send is worth another try, and when.
func classify(err error, retry, now time.Time) *bot.SendError {
	var ret openwechat.Ret
	switch {
	case errors.Is(err, errCapped):
		return &bot.SendError{RetryAfter: max(retry.Sub(now), time.Minute), Err: err}
	case errors.As(err, &ret) && ret == 1205: // "operate too often": back off hard
		return &bot.SendError{RetryAfter: 10 * time.Minute, Err: fmt.Errorf("wechat: %w", err)}
	case errors.As(err, &ret) && (ret == 1100 || ret == 1101 || ret == 1102):
		return &bot.SendError{RetryAfter: time.Minute, Err: fmt.Errorf("wechat: session ended: %w", err)}
	}
	return &bot.SendError{Err: fmt.Errorf("wechat: %w", err)}
}

// remember keeps a chat's last buttons, so a reply of "2" presses the
// second, as they are shown numbered.
func (t *Transport) remember(chat subscribers.Key, m bot.Message) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buttons == nil {
		t.buttons = map[subscribers.Key][]bot.Button{}
	}
	if len(m.Buttons) == 0 {
		delete(t.buttons, chat)
		return
	}
	t.buttons[chat] = bot.Flatten(m.Buttons)
}

// pressed turns a reply of a number into the button it names, if the
// chat's last message had that many.
func (t *Transport) pressed(chat subscribers.Key, text string) (string, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		return "", false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buttons[chat]
	if n < 1 || n > len(b) {
		return "", false
	}
	return b[n-1].Data, true
}
