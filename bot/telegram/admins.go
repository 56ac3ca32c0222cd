package telegram

import (
	"context"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// adminCache remembers who administers which group for a while, so a busy
// group does not cost a getChatMember call per command.
type adminCache struct {
	ttl   time.Duration
	now   func() time.Time
	fetch func(ctx context.Context, chatID, userID int64) (bool, error)
	// retryIn is the pause before the one retry of a failed fetch.
	retryIn time.Duration

	mu      sync.Mutex
	entries map[[2]int64]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

// maxAdminEntries bounds the cache; past it, it is emptied and refilled.
const maxAdminEntries = 50000

// adminRetryIn is how long a failed getChatMember waits for its retry: a
// person is waiting for the answer.
const adminRetryIn = 300 * time.Millisecond

func newAdminCache(ttl time.Duration, now func() time.Time, fetch func(ctx context.Context, chatID, userID int64) (bool, error)) *adminCache {
	return &adminCache{ttl: ttl, now: now, fetch: fetch, retryIn: adminRetryIn, entries: map[[2]int64]adminEntry{}}
}

// isAdmin asks the cache, then Telegram. A call that fails for a reason
// that may pass (a 5xx, a dropped connection, a short flood wait) is tried
// once more; when Telegram still cannot say, the error is returned, not a
// "no", and nothing is cached.
func (c *adminCache) isAdmin(ctx context.Context, chatID, userID int64) (bool, error) {
	k := [2]int64{chatID, userID}
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if ok && c.now().Sub(e.at) < c.ttl {
		return e.admin, nil
	}
	admin, err := c.fetch(ctx, chatID, userID)
	if err != nil {
		wait, again := c.retryWait(err)
		if !again {
			return false, err
		}
		sleep(ctx, wait)
		if ctx.Err() != nil {
			return false, err
		}
		if admin, err = c.fetch(ctx, chatID, userID); err != nil {
			return false, err
		}
	}
	c.mu.Lock()
	if len(c.entries) >= maxAdminEntries {
		c.entries = map[[2]int64]adminEntry{}
	}
	c.entries[k] = adminEntry{admin: admin, at: c.now()}
	c.mu.Unlock()
	return admin, nil
}

// retryWait says whether a failed getChatMember is worth another try now,
// and after how long. Telegram refusing the call itself (a 400 or 403)
// will refuse it again; a flood wait longer than a person waits for an
// answer is not waited out.
func (c *adminCache) retryWait(err error) (time.Duration, bool) {
	se := classify(err)
	switch {
	case se.Permanent || se.Refused || se.MigratedTo != "":
		return 0, false
	case se.RetryAfter > 2*time.Second:
		return 0, false
	case se.RetryAfter > 0:
		return se.RetryAfter, true
	}
	return c.retryIn, true
}

// https://core.telegram.org/bots/api#getchatmember
func (t *Transport) fetchMember(ctx context.Context, chatID, userID int64) (bool, error) {
	m, err := t.call(ctx).GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chatID, UserID: userID}})
	if err != nil {
		return false, t.wrap("getChatMember", err)
	}
	return m.IsCreator() || m.IsAdministrator(), nil
}

// askAdmin is an update's chat.Update.AskAdmin: whether userID administers
// chatID, asked of Telegram only when the bot needs to know.
func (t *Transport) askAdmin(chatID, userID int64) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) { return t.admins.isAdmin(ctx, chatID, userID) }
}
