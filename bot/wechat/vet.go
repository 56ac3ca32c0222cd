package wechat

import (
	"context"
	"log/slog"
	"strings"
	"unicode"

	"github.com/eatmoreapple/openwechat"

	"wzdaily/chat"
	"wzdaily/internal/i18n"
)

// maxAnswers is how many answers a friend who looks like others may give
// to say which chat is theirs: enough for a typo, too few to guess another
// reader's topics.
const maxAnswers = 3

// handler answers what the transport says itself (to a friend it
// cannot yet tell from others) and passes everything else to the bot.
type handler struct{ t *Transport }

func (c handler) Handle(ctx context.Context, u chat.Update) []chat.Message {
	in, _ := u.Ref.(inbound)
	if in.vetting {
		return c.t.vet(ctx, u, in)
	}
	return c.t.opts.Bot.Handle(ctx, u)
}

// vet answers a friend who looks like the friends of other chats as much
// as those chats' own: which is theirs cannot be told from what WeChat
// shows (the same nickname and avatar, no Uin), so the friend is asked
// for a topic or keyword they follow, which only they know. A word that
// belongs to one of the chats binds them to it; "开始" starts a new chat.
// Nothing of any chat is shown meanwhile.
func (t *Transport) vet(ctx context.Context, u chat.Update, in inbound) []chat.Message {
	lang := i18n.Of(u.LangHint)
	t.mu.Lock()
	r := t.roster
	if r == nil || r != in.roster {
		t.mu.Unlock()
		return nil // the session it came in has ended
	}
	key, like := r.recognise(in.userName) // others may have been told apart since
	if key == (chat.Key{}) && isStart(u.Text) {
		key = r.bindNew(in.userName)
	}
	if key != (chat.Key{}) {
		t.mu.Unlock()
		u.Chat, u.UserID = key, key.ChatID
		return t.opts.Bot.Handle(ctx, u)
	}
	tries, asked := r.tries[in.userName]
	if !asked {
		r.tries[in.userName] = 0
		t.mu.Unlock()
		slog.Info("A WeChat friend looks like others; asking which chat is theirs", slog.Int("chats", len(like)))
		return []chat.Message{saying(lang.T("wechat who are you"))}
	}
	r.tries[in.userName] = tries + 1
	t.mu.Unlock()
	if tries >= maxAnswers {
		return []chat.Message{saying(lang.T("wechat start anew"))}
	}
	if theirs := t.whose(ctx, like, u.Text); len(theirs) == 1 {
		t.mu.Lock()
		_, taken := r.userOf[theirs[0]]
		_, bound := r.keyOf[in.userName]
		if !taken && !bound && t.roster == r {
			r.bind(theirs[0], in.userName)
		}
		t.mu.Unlock()
		if !taken && !bound {
			slog.Info("A WeChat friend who looks like others said which chat is theirs", slog.String("chat", theirs[0].String()))
			// The answer went to the transport, not the bot: tell delivery,
			// so the digests held for the chat go out before the reply.
			if err := t.opts.Bot.ChatBack(ctx, theirs[0]); err != nil {
				slog.Warn("Unable to release a WeChat chat's held digests", slog.String("chat", theirs[0].String()), slog.Any("error", err))
			}
			return []chat.Message{saying(lang.T("wechat recognised"))}
		}
	}
	if tries+1 >= maxAnswers {
		return []chat.Message{saying(lang.T("wechat start anew"))}
	}
	return []chat.Message{saying(lang.T("wechat not recognised"))}
}

// whose returns the chats among keys whose topics or keywords hold a word
// of the answer.
func (t *Transport) whose(ctx context.Context, keys []chat.Key, answer string) []chat.Key {
	words := strings.FieldsFunc(answer, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	})
	var out []chat.Key
	for _, key := range keys {
		sub, err := t.opts.Subscribers.Get(ctx, key)
		if err != nil {
			slog.Warn("Unable to read a WeChat chat's topics", slog.String("chat", key.String()), slog.Any("error", err))
			continue
		}
		follows := append(append(append([]string{}, sub.Tags...), sub.Include...), sub.Exclude...)
		if hasAny(follows, words) {
			out = append(out, key)
		}
	}
	return out
}

func hasAny(list, words []string) bool {
	for _, w := range words {
		for _, l := range list {
			if strings.EqualFold(w, l) {
				return true
			}
		}
	}
	return false
}

// isStart says the text is 开始 (or /start): a friend who will not say
// which chat is theirs starts a new one.
func isStart(text string) bool {
	f := strings.Fields(text)
	return len(f) > 0 && (f[0] == "开始" || strings.EqualFold(f[0], "/start"))
}

func saying(s string) chat.Message {
	return chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: s}}}}}
}

// askToWrite asks the friends a held chat may be to write once, so that
// whoever is its person is bound to it and its digests go out. Each friend
// is asked once a session, and only when a digest waits for them.
func (t *Transport) askToWrite(ctx context.Context, self *openwechat.Self, to chat.Key) {
	t.mu.Lock()
	r := t.roster
	var users []string
	lang := ""
	if r != nil {
		if k := r.kept[to]; k != nil {
			lang = k.lang
		}
		for _, u := range r.doubt[to] {
			if !r.asked[u] && len(users) < 3 {
				r.asked[u] = true
				users = append(users, u)
			}
		}
	}
	t.mu.Unlock()
	if len(users) > 0 {
		slog.Info("WeChat digests held: not sure which friend the chat is; asking them to write", slog.String("chat", to.String()),
			slog.Int("friends", len(users)))
	}
	for _, u := range users {
		if _, err := t.sendText(ctx, self, u, i18n.Of(lang).T("wechat write once"), false); err != nil {
			slog.Warn("Unable to ask a WeChat friend to write", slog.Any("error", err))
		}
	}
}

// keepIdentities stores identities a session changed with the
// subscribers. A chat that is no subscriber yet stays to keep, at its next
// message: it may become one.
func (t *Transport) keepIdentities(ctx context.Context, r *roster, texts map[string]string) {
	if len(texts) == 0 {
		return
	}
	ids, err := t.opts.Subscribers.SetIdentities(ctx, Platform, texts)
	if err != nil {
		slog.Warn("Unable to keep WeChat friends' identities; trying again later", slog.Int("friends", len(texts)), slog.Any("error", err))
		return
	}
	done := make(map[string]string, len(ids))
	for _, id := range ids {
		done[id] = texts[id]
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.roster == r {
		r.stored(done)
	}
}
