package telegram

import (
	"context"
	"log/slog"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"wzdaily/bot"
)

// adminCache remembers who administers which group for a while, so a busy
// group does not cost a getChatMember call per command.
type adminCache struct {
	ttl   time.Duration
	now   func() time.Time
	fetch func(ctx context.Context, chatID, userID int64) (bool, error)

	mu      sync.Mutex
	entries map[[2]int64]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

// maxAdminEntries bounds the cache; past it, it is emptied and refilled.
const maxAdminEntries = 50000

func newAdminCache(ttl time.Duration, now func() time.Time, fetch func(ctx context.Context, chatID, userID int64) (bool, error)) *adminCache {
	return &adminCache{ttl: ttl, now: now, fetch: fetch, entries: map[[2]int64]adminEntry{}}
}

// isAdmin asks the cache, then Telegram. When Telegram cannot say, the
// answer is no, and it is not cached.
func (c *adminCache) isAdmin(ctx context.Context, chatID, userID int64) bool {
	k := [2]int64{chatID, userID}
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if ok && c.now().Sub(e.at) < c.ttl {
		return e.admin
	}
	admin, err := c.fetch(ctx, chatID, userID)
	if err != nil {
		slog.Warn("Unable to check a Telegram group admin", slog.Int64("chat", chatID), slog.Any("error", err))
		return false
	}
	c.mu.Lock()
	if len(c.entries) >= maxAdminEntries {
		c.entries = map[[2]int64]adminEntry{}
	}
	c.entries[k] = adminEntry{admin: admin, at: c.now()}
	c.mu.Unlock()
	return admin
}

func (t *Transport) fetchMember(ctx context.Context, chatID, userID int64) (bool, error) {
	m, err := t.call(ctx).GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID}})
	if err != nil {
		return false, t.wrap("getChatMember", err)
	}
	return m.IsCreator() || m.IsAdministrator(), nil
}

// adminCheck fills in IsAdmin for group updates before the bot sees them,
// on the dispatcher's workers, so a slow getChatMember holds up only its
// own chat.
type adminCheck struct{ t *Transport }

func (a adminCheck) Handle(ctx context.Context, u bot.Update) []bot.Message {
	if r, _ := u.Ref.(*ref); r != nil && r.groupAdmin && r.userID != 0 {
		u.IsAdmin = a.t.admins.isAdmin(ctx, r.chatID, r.userID)
	}
	return a.t.opts.Bot.Handle(ctx, u)
}
