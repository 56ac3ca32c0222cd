package wechat

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
	"wzdaily/subscribers"
)

// ErrUnsure is the cause of a send to a chat the transport cannot put a
// friend to since the login (a friend who changed their avatar, or who
// looks like another): the chat's parts are held in the outbox, as for a
// closed conversation window, and go out when the friend writes.
var ErrUnsure = errors.New("wechat: not sure which friend the chat is until they write")

// Send delivers one message (a digest part) to a friend or group by its
// key; it implements chat.Sender. Errors are *chat.SendError. While logged
// out it waits a while for a login, then gives the part back to the
// outbox. A chat held (ErrUnsure) is never struck: its parts wait until
// the friend writes, and the friends it may be are asked once to write. A chat that nobody looks like for
// MaxUnresolved tries counts as left.
func (t *Transport) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	if to.Platform != Platform {
		return "", &chat.SendError{Permanent: true, Err: fmt.Errorf("wechat: not a WeChat chat: %s", to)}
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
		return "", &chat.SendError{Err: ctx.Err()}
	}
	t.mu.Lock()
	self, userName, held := t.self, t.groups[to], false
	if r := t.roster; r != nil && !isGroupKey(to) {
		userName = r.userOf[to]
		_, held = r.doubt[to]
	}
	if self != nil && userName == "" && !held {
		t.unresolved[to]++
	}
	misses := t.unresolved[to]
	t.mu.Unlock()
	switch {
	case self == nil:
		return "", &chat.SendError{RetryAfter: time.Minute, Err: ErrLoggedOut}
	case held:
		// Closed: the outbox holds the chat's parts, striking nothing and
		// holding no other chat, and releases them the moment the friend
		// writes, which is what settles who they are.
		t.askToWrite(ctx, self, to)
		return "", &chat.SendError{Closed: true, Err: fmt.Errorf("%w: %s", ErrUnsure, to.ChatID)}
	case userName == "" && misses >= t.opts.MaxUnresolved:
		if err := t.opts.Bot.ChatGone(ctx, to, subscribers.Left); err != nil {
			slog.Error("Unable to record a WeChat chat as left", slog.Any("error", err))
		}
		return "", &chat.SendError{Permanent: true, Left: true, Err: fmt.Errorf("wechat: no friend or group %q after %d tries", to.ChatID, misses)}
	case userName == "":
		return "", &chat.SendError{RetryAfter: t.opts.UnresolvedRetry, Err: fmt.Errorf("wechat: no friend or group %q in this session (yet)", to.ChatID)}
	}
	id, err := t.sendText(ctx, self, userName, text(m), false)
	if err != nil {
		return "", err
	}
	t.remember(to, m)
	return id, nil
}

// reply answers an update in the chat it came from, then keeps the
// friend's identity if it changed (a new subscriber's, or one rebound).
func (t *Transport) reply(ctx context.Context, u chat.Update, replies []chat.Message) {
	in, _ := u.Ref.(inbound)
	t.mu.Lock()
	self, r, key := t.self, t.roster, u.Chat
	if in.vetting && r != nil {
		key = r.keyOf[in.userName] // the chat it was found to be, if any
	}
	var dirty map[string]string
	if r != nil && u.Kind == chat.Private {
		if k := r.kept[key]; k != nil && k.dirty {
			dirty = map[string]string{key.ChatID: k.id.encode()}
		}
	}
	t.mu.Unlock()
	if self == nil || in.userName == "" {
		return
	}
	for _, m := range replies {
		if _, err := t.sendText(ctx, self, in.userName, text(m), true); err != nil {
			slog.Warn("Unable to send a WeChat reply", slog.String("chat", u.Chat.String()), slog.Any("error", err))
			break
		}
		t.remember(key, m)
	}
	t.keepIdentities(ctx, r, dirty)
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
func classify(err error, retry, now time.Time) *chat.SendError {
	var ret openwechat.Ret
	switch {
	case errors.Is(err, errCapped):
		return &chat.SendError{RetryAfter: max(retry.Sub(now), time.Minute), Err: err}
	case errors.As(err, &ret) && ret == 1205: // "operate too often": back off hard
		return &chat.SendError{RetryAfter: 10 * time.Minute, Err: fmt.Errorf("wechat: %w", err)}
	case errors.As(err, &ret) && (ret == 1100 || ret == 1101 || ret == 1102):
		return &chat.SendError{RetryAfter: time.Minute, Err: fmt.Errorf("wechat: session ended: %w", err)}
	}
	return &chat.SendError{Err: fmt.Errorf("wechat: %w", err)}
}

// remember keeps a chat's last buttons, so a reply of "2" presses the
// second, as they are shown numbered.
func (t *Transport) remember(to chat.Key, m chat.Message) { t.choices.Remember(to, m) }

// pressed turns a reply of a number into the button it names, if the
// chat's last message had that many.
func (t *Transport) pressed(to chat.Key, text string) (string, bool) {
	return t.choices.Pressed(to, text)
}
