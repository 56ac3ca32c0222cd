package bot

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/health"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// Options configure a Bot.
type Options struct {
	Articles    *articles.Store
	Subscribers *subscribers.Store
	// Digests composes digests for /digest and pages what a digest left
	// out; nil on a bot without digests, which says so.
	Digests *digest.Engine
	// Delivery sends the outbox: /digest sends the chat's digest through it
	// before answering, and a chat that writes has the parts that waited on
	// its failed sends released. nil: parts wait for the process that
	// delivers.
	Delivery *digest.Deliverer
	// Outbox reports the outbox for /stats; nil leaves it out.
	Outbox *digest.Outbox
	// Health reports the running bot's parts for /health; nil: none.
	Health *health.Checker
	// Admins may use /stats: "platform:userID" entries, e.g.
	// "telegram:12345" or "console:local".
	Admins []string
	// Username is the bot's own name, so "/cmd@othername" in a group is
	// left to the other bot.
	Username string
	Now      func() time.Time
	// StartLink, when set, returns the link that opens a chat with the bot
	// and sends "/start code" (Telegram's t.me/<bot>?start=<code>), or ""
	// while there is none; /stats lists the tags' links for admins.
	StartLink func(code string) string
	// Link, when set, is where articles the bot lists link to (the
	// reader's web); nil: the article's page on the site.
	Link func(*articles.Article) string
	// Observe, if set, is told of every update handled: which command
	// (its English name, "search" for plain text, "button" for a press),
	// how long it took and how many replies it made. Metrics hang here.
	Observe func(u chat.Update, command string, took time.Duration, replies int)
}

// Bot answers chat updates. It is safe for concurrent use.
type Bot struct {
	opts     Options
	admins   map[string]bool
	table    []*command // in the order /help lists them
	commands map[string]*command
	chinese  []string // Chinese command names, longest first
	searches *searches
	// digestPages: where each chat is in its digest's left-out articles.
	digestPages *digestPages
}

// New returns a Bot.
func New(opts Options) *Bot {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := &Bot{opts: opts, admins: map[string]bool{}, commands: map[string]*command{}, searches: newSearches(4096), digestPages: newDigestPages(4096)}
	for _, a := range opts.Admins {
		b.admins[a] = true
	}
	b.table = commandTable()
	for _, c := range b.table {
		for _, n := range c.names {
			b.commands[n] = c
			if !strings.HasPrefix(n, "/") && n[0] >= 0x80 {
				b.chinese = append(b.chinese, n)
			}
		}
	}
	sort.Slice(b.chinese, func(i, j int) bool { return len(b.chinese[i]) > len(b.chinese[j]) })
	return b
}

// call is one update being handled.
type call struct {
	*Bot
	u    chat.Update
	p    parsed
	sub  *subscribers.Subscriber // nil when the chat has not started
	lang i18n.Lang
	kept bool // the update was the reply that keeps a window open
	// adminUnknown: the platform could not say whether the sender is an
	// admin (set by mayChange).
	adminUnknown bool
}

// Handle answers one update. It never panics: an unexpected failure is
// logged and answered with an apology in the user's language.
func (b *Bot) Handle(ctx context.Context, u chat.Update) (out []chat.Message) {
	c := &call{Bot: b, u: u, lang: i18n.Of(u.LangHint)}
	if b.opts.Observe != nil {
		start := time.Now()
		defer func() { b.opts.Observe(u, c.commandName(), time.Since(start), len(out)) }()
	}
	defer func() {
		if r := recover(); r != nil {
			slog.Error("Panic while handling an update", slog.String("chat", u.Chat.String()),
				slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
			out = []chat.Message{say(c.lang.T("internal error"))}
		}
	}()
	if u.Kind != chat.Private && !u.Addressed && u.Callback == "" {
		return nil
	}
	sub, err := b.opts.Subscribers.Get(ctx, u.Chat)
	switch {
	case err == nil:
		c.sub = sub
		c.lang = i18n.Of(sub.Lang)
		b.reachable(ctx, sub)
	case !errors.Is(err, subscribers.ErrNotFound):
		return c.fail(err)
	}
	if u.Callback != "" {
		return c.callback(ctx, u.Callback)
	}
	c.p = parse(u.Text, b.chinese)
	if u.Kind != chat.Private && c.p.to != "" && b.opts.Username != "" && !strings.EqualFold(c.p.to, b.opts.Username) {
		return nil // addressed to another bot in the group
	}
	if c.p.name == "" {
		if c.keepsWindow() {
			return []chat.Message{c.keepWindow()}
		}
		switch firstWords(c.p.rest) {
		case askHelp:
			return []chat.Message{c.help()}
		case greeting:
			return []chat.Message{c.greet()}
		}
		return c.search(ctx, c.p.rest) // plain text: search it
	}
	cmd, ok := b.commands[c.p.name]
	if !ok {
		cmd, ok = b.commands["/"+c.p.name]
	}
	if !ok {
		return []chat.Message{say(c.lang.T("unknown command", truncate(c.p.name, 20)))}
	}
	if cmd.maxArgs >= 0 && len(c.p.args) > cmd.maxArgs {
		if cmd.maxArgs == 0 {
			return []chat.Message{say(c.lang.T("no args", c.name(cmd), c.example(cmd)))}
		}
		return []chat.Message{say(c.lang.T("too many args", c.name(cmd), c.example(cmd)))}
	}
	if cmd.changes {
		if refused := c.mayChange(ctx); refused != nil {
			if cmd.notAdmin != nil && !c.adminUnknown {
				return cmd.notAdmin(c)
			}
			return refused
		}
	}
	if cmd.needsSub && c.sub == nil {
		return []chat.Message{say(c.lang.T("not started"))}
	}
	return cmd.run(c, ctx)
}

// mayChange returns nil when the sender may change the chat: anyone in a
// private chat, a group's or a channel's admins elsewhere. Otherwise it
// returns the refusal; when the platform could not say whether the sender
// is an admin, the refusal says the check failed, so a real admin is not
// told they are none, and nothing is remembered of it.
func (c *call) mayChange(ctx context.Context) []chat.Message {
	if c.u.Kind == chat.Private || c.u.IsAdmin {
		return nil
	}
	if c.u.AskAdmin != nil {
		admin, err := c.u.AskAdmin(ctx)
		if err == nil && admin {
			c.u.IsAdmin = true
			return nil
		}
		if err != nil {
			slog.Warn("Unable to check a group admin", slog.String("chat", c.u.Chat.String()), slog.Any("error", err))
			c.adminUnknown = true
			return []chat.Message{say(c.lang.T("admin check failed"))}
		}
	}
	return []chat.Message{say(c.lang.T("group admin only"))}
}

// fail logs an error that is not the user's doing and apologises.
func (c *call) fail(err error) []chat.Message {
	slog.Error("Unable to handle an update", slog.String("chat", c.u.Chat.String()), slog.Any("error", err))
	return []chat.Message{say(c.lang.T("internal error"))}
}

// isAdmin reports whether the sender is one of the bot's admins.
func (c *call) isAdmin() bool {
	return c.admins[c.u.Chat.Platform+":"+c.u.UserID]
}

// update changes the chat's subscriber in one transaction.
func (c *call) update(ctx context.Context, change func(*subscribers.Subscriber) error) (*subscribers.Subscriber, error) {
	sub, err := c.opts.Subscribers.Update(ctx, c.u.Chat, change)
	if err == nil {
		c.sub = sub
		c.lang = i18n.Of(sub.Lang)
	}
	return sub, err
}

// example returns how to type a command, in the chat's language.
func (c *call) example(cmd *command) string {
	return c.lang.T(cmd.example)
}

// knownTags lists every tag a chat may follow: the tags in use and every
// topic of the rule table, even one no article has yet.
func (c *call) knownTags(ctx context.Context) ([]articles.TagCount, error) {
	tags, err := c.opts.Articles.Tags(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range c.opts.Articles.Topics() {
		if !slices.ContainsFunc(tags, func(tc articles.TagCount) bool { return tc.Tag == t }) {
			tags = append(tags, articles.TagCount{Tag: t, Topic: true})
		}
	}
	return tags, nil
}

// reachable tells delivery that sub's chat can hear the bot: it wrote,
// or the platform said the bot is back, so digest parts that waited on
// failed sends to it may go now. On a platform with a conversation window
// the window opens again, and the digests held while it was closed go out
// now, merged, before the answer. A failure costs only the early resend,
// so it is logged, not answered.
func (b *Bot) reachable(ctx context.Context, sub *subscribers.Subscriber) {
	if b.opts.Delivery == nil {
		return
	}
	if err := b.opts.Delivery.Heard(ctx, sub); err != nil {
		slog.Warn("Unable to release a chat's waiting digest parts", slog.String("chat", sub.Key.String()), slog.Any("error", err))
	}
}
