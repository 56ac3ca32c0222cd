package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// CommandInfo is one command as a platform's command menu lists it.
type CommandInfo struct {
	Name        string // without the slash: "sub"
	Description string
}

// Commands lists the slash commands with descriptions in a language ("zh"
// or "en"), for menus such as Telegram's setMyCommands.
func Commands(language string) []CommandInfo {
	l := i18n.Of(language)
	var out []CommandInfo
	for _, c := range commandTable() {
		if c.help != "" && !c.admin {
			out = append(out, CommandInfo{Name: strings.TrimPrefix(c.names[0], "/"), Description: l.T(c.help)})
		}
	}
	return out
}

// MenuItem is one entry of a platform's menu of buttons: its label, and
// the command a press sends.
type MenuItem struct {
	Label   string
	Command string
}

// Menu is the menu a platform with a fixed menu (the Official Account's)
// shows, in a language: today's digest, search, my settings.
func Menu(language string) []MenuItem {
	l := i18n.Of(language)
	return []MenuItem{
		{Label: l.T("menu digest"), Command: "/digest"},
		{Label: l.T("menu search"), Command: "/search"},
		{Label: l.T("menu list"), Command: "/list"},
	}
}

// InlineResult is one article offered to a user typing "@bot 关键词" in
// any chat; choosing it posts Message.
type InlineResult struct {
	ID          string // unique within one answer
	Title       string
	Description string
	URL         string
	Message     chat.Message
}

// inlinePage is how many results one inline answer carries; Telegram
// allows 50, and people rarely scroll past the first few.
const inlinePage = 20

// Inline searches for an inline query. offset is the platform's opaque
// paging string ("" for the first page); next is "" when nothing follows.
func (b *Bot) Inline(ctx context.Context, query, offset string) (results []InlineResult, next string, err error) {
	page := 0
	if offset != "" {
		if _, err := fmt.Sscan(offset, &page); err != nil || page < 0 || page > 1000 {
			return nil, "", nil
		}
	}
	res, err := b.opts.Articles.Search(ctx, articles.SearchQuery{Text: clean(query), Limit: inlinePage, Offset: page * inlinePage, Relax: true})
	if errors.Is(err, articles.ErrEmptyQuery) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("bot: inline search: %w", err)
	}
	for _, h := range res.Hits {
		a := h.Article
		// The posted message is the article as a search shows it, hits
		// marked, as a paragraph: a lone "1." would look odd.
		// It outlives the day it is posted on, so it gives the date.
		body := digest.ArticleItem(a, digest.View{Title: h.Title, Snippet: h.Snippet, Link: b.opts.Link})
		body.Kind = chat.Paragraph
		results = append(results, InlineResult{
			ID:          fmt.Sprint(a.Seq),
			Title:       a.Title,
			Description: digest.When(a.ShownDate(), time.Time{}, i18n.ZH) + " · " + truncate(cmp.Or(h.Snippet.String(), a.Lead), 80),
			URL:         b.link(a),
			Message:     msg(body),
		})
	}
	if res.More {
		next = fmt.Sprint(page + 1)
	}
	return results, next, nil
}

// ChatGone records that a chat can no longer receive messages: the user
// blocked the bot (Blocked) or the bot was removed (Left). The settings are
// kept, so /start brings everything back.
func (b *Bot) ChatGone(ctx context.Context, key chat.Key, state subscribers.State) error {
	_, err := b.opts.Subscribers.Update(ctx, key, func(s *subscribers.Subscriber) error {
		s.State = state
		return nil
	})
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil
	}
	return err
}

// ChatBack records that a chat that had blocked the bot or removed it can
// receive again, so its digests resume; a paused chat stays paused.
func (b *Bot) ChatBack(ctx context.Context, key chat.Key) error {
	sub, err := b.opts.Subscribers.Update(ctx, key, func(s *subscribers.Subscriber) error {
		if s.State == subscribers.Blocked || s.State == subscribers.Left {
			s.State = subscribers.Active
		}
		return nil
	})
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil
	}
	if err == nil {
		b.reachable(ctx, sub)
	}
	return err
}

// ChatMoved follows a chat the platform gave a new id, as Telegram does
// when a group becomes a supergroup.
func (b *Bot) ChatMoved(ctx context.Context, key chat.Key, newID string) error {
	err := b.opts.Subscribers.Move(ctx, key, newID)
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil
	}
	return err
}

// ThreadGone records that a chat's digest topic took no message (deleted,
// or closed to the bot): digests go to the chat's General topic from
// now, until an admin sends 开始 in a topic again.
func (b *Bot) ThreadGone(ctx context.Context, key chat.Key, thread string) error {
	_, err := b.opts.Subscribers.Update(ctx, key, func(s *subscribers.Subscriber) error {
		if s.Thread == thread {
			s.Thread = ""
		}
		return nil
	})
	if errors.Is(err, subscribers.ErrNotFound) {
		return nil
	}
	return err
}

// digestElsewhere tells an admin who asked for the digest in another topic
// of a forum group than the one the group gets its digests in where it
// went; nil when they asked there.
func (c *call) digestElsewhere() []chat.Message {
	if c.sub == nil || c.u.Thread == c.sub.Thread {
		return nil
	}
	return []chat.Message{say(c.lang.T("digest in its topic"))}
}

// link is where an article the bot shows links to.
func (b *Bot) link(a *articles.Article) string {
	return digest.View{Link: b.opts.Link}.LinkOf(a)
}
