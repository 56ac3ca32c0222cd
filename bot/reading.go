package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// searchPage is how many results one search message shows.
const searchPage = 5

func (c *call) help() chat.Message {
	blocks := []chat.Block{heading(bold(c.lang.T("help title")))}
	other := i18n.EN
	if c.lang == i18n.EN {
		other = i18n.ZH
	}
	for _, cmd := range c.table {
		if cmd.help == "" || (cmd.admin && !c.isAdmin()) {
			continue
		}
		aside := "（" + other.T(cmd.example) + "）"
		if c.lang == i18n.EN {
			aside = " (" + other.T(cmd.example) + ")"
		}
		blocks = append(blocks, item(bold(c.example(cmd)), text(" — "+c.lang.T(cmd.help)+aside)))
	}
	return msg(blocks...)
}

func (c *call) tags(ctx context.Context) []chat.Message {
	m, err := c.tagsMessage(ctx)
	if err != nil {
		return c.fail(err)
	}
	return []chat.Message{m}
}

// tagsMessage lists the tags with counts and a follow/unfollow button each.
func (c *call) tagsMessage(ctx context.Context) (chat.Message, error) {
	known, err := c.knownTags(ctx)
	if err != nil {
		return chat.Message{}, err
	}
	if len(known) == 0 {
		return say(c.lang.T("no tags")), nil
	}
	var following []string
	if c.sub != nil {
		following = c.sub.Tags
	}
	m := msg(heading(bold(c.lang.T("tags title"))))
	var row []chat.Button
	for _, k := range known {
		label := c.lang.T("tag count", c.lang.Tag(k.Tag), k.Count)
		if k.Topic {
			label += " · " + c.lang.T("topic")
		}
		m.Blocks = append(m.Blocks, item(text(label)))
		mark := "+ "
		if slices.Contains(following, k.Tag) {
			mark = "✓ "
		}
		if data := "tag:" + k.Tag; len(data) <= chat.MaxButtonData {
			row = append(row, button(mark+k.Tag, data))
		}
		if len(row) == 3 {
			m.Buttons, row = append(m.Buttons, row), nil
		}
	}
	if len(row) > 0 {
		m.Buttons = append(m.Buttons, row)
	}
	m.Blocks = append(m.Blocks, para(muted(c.lang.T("tags hint"))))
	return m, nil
}

// toggleTag follows or unfollows a tag from its button.
func (c *call) toggleTag(ctx context.Context, tag string) []chat.Message {
	if refused := c.mayChange(ctx); refused != nil {
		return refused
	}
	known, err := c.knownTags(ctx)
	if err != nil {
		return c.fail(err)
	}
	if _, ok := resolveTag(tag, known); !ok {
		return []chat.Message{msg(c.unknownTags(ctx, []string{truncate(tag, 20)}, known)...)}
	}
	followed := false
	_, err = c.ensure(ctx, func(s *subscribers.Subscriber) error {
		if len(s.Unfollow(tag)) == 0 {
			followed = len(s.Follow(tag)) > 0
		}
		return nil
	})
	if errors.Is(err, subscribers.ErrTooMany) {
		return []chat.Message{say(c.lang.T("too many tags", subscribers.MaxTags))}
	}
	if err != nil {
		return c.fail(err)
	}
	// One line says what changed; the buttons stay, marked anew, for the
	// next press.
	m, err := c.tagsMessage(ctx)
	if err != nil {
		return c.fail(err)
	}
	done := c.lang.T("unsubscribed", c.lang.Tag(tag))
	if followed {
		done = c.lang.T("subscribed", c.lang.Tag(tag))
	}
	return []chat.Message{{Blocks: []chat.Block{para(text(done))}, Buttons: m.Buttons, Replace: true}}
}

// maxLatest bounds /latest.
const maxLatest = 20

func (c *call) latest(ctx context.Context) []chat.Message {
	n := 5
	if len(c.p.args) == 1 {
		v, err := strconv.Atoi(c.p.args[0])
		if err != nil || v < 1 || v > maxLatest {
			return []chat.Message{say(c.lang.T("bad number", maxLatest))}
		}
		n = v
	}
	list, err := c.opts.Articles.List(ctx, articles.ListQuery{Limit: n})
	if err != nil {
		return c.fail(err)
	}
	if len(list) == 0 {
		return []chat.Message{say(c.lang.T("no tags"))}
	}
	m := msg(heading(bold(c.lang.T("latest title", len(list)))))
	for _, a := range list {
		m.Blocks = append(m.Blocks, digest.ArticleItem(a, c.view()))
	}
	return []chat.Message{m}
}

// view is how this chat sees a listed article: in its language, with
// times told against the digest engine's clock (the bot's own without
// one) in the reader's zone, so a search tells times as the digest does.
func (c *call) view() digest.View {
	now := c.opts.Now()
	if c.opts.Digests != nil {
		now = c.opts.Digests.Clock()
	}
	zone := articles.Zone()
	if c.sub != nil {
		zone = digest.ZoneOf(c.sub)
	}
	return digest.View{Lang: c.lang.Code(), Now: now.In(zone), Link: c.opts.Link}
}

// search shows the first page of results for query and remembers it for
// paging.
func (c *call) search(ctx context.Context, query string) []chat.Message {
	if query == "" {
		return []chat.Message{say(c.lang.T("search empty"))}
	}
	ss := c.searches.save(c.u.Chat, query, c.opts.Now())
	return c.searchPage(ctx, *ss, 0, false)
}

// searchPage shows one page of a search. Results are numbered across
// pages (6 to 10 on page 2), and the paging buttons are words where they
// cannot be pressed: 上一页 and 下一页 mean the same on every page, so a
// number typed is never taken for a button.
func (c *call) searchPage(ctx context.Context, ss savedSearch, page int, replace bool) []chat.Message {
	res, err := c.opts.Articles.Search(ctx, articles.SearchQuery{Text: ss.query, Limit: searchPage, Offset: page * searchPage,
		Relax: true, Count: !ss.counted})
	switch {
	case errors.Is(err, articles.ErrEmptyQuery):
		return []chat.Message{say(c.lang.T("search nothing"))}
	case err != nil:
		return c.fail(err)
	}
	if !ss.counted {
		ss.total, ss.over = res.Total, res.TotalOver
		c.searches.counted(ss.id, res.Total, res.TotalOver)
	}
	typed := truncate(strings.Join(res.Terms, " "), 30)
	if len(res.Hits) == 0 {
		if page > 0 {
			return []chat.Message{say(c.lang.T("search more none"))}
		}
		return []chat.Message{say(c.lang.T("search none", typed))}
	}
	c.searches.showing(ss.id, page, c.opts.Now())
	var m chat.Message
	searched := typed
	if res.Words != nil {
		searched = truncate(strings.Join(res.Words, " "), 30)
		m.Blocks = append(m.Blocks, para(text(digest.RelaxedNotice(typed, res, c.lang))))
	}
	total := c.lang.T("search total", ss.total)
	if ss.over {
		total = c.lang.T("search total over", ss.total)
	}
	m.Blocks = append(m.Blocks, heading(bold(c.lang.T("search head", searched, total, page+1))))
	for i, h := range res.Hits {
		v := c.view()
		v.Title, v.Snippet = h.Title, h.Snippet
		it := digest.ArticleItem(h.Article, v)
		it.Number = page*searchPage + i + 1
		m.Blocks = append(m.Blocks, it)
	}
	prev, next := c.pagingWords()
	var row []chat.Button
	if page > 0 {
		row = append(row, chat.Button{Label: c.lang.T("prev"), Data: fmt.Sprintf("s:%s:%d", ss.id, page-1), Word: prev})
	}
	if res.More {
		row = append(row, chat.Button{Label: c.lang.T("next"), Data: fmt.Sprintf("s:%s:%d", ss.id, page+1), Word: next})
	}
	switch {
	case page > 0 && res.More:
		m.Blocks = append(m.Blocks, para(muted(c.lang.T("search hint both"))))
	case res.More:
		m.Blocks = append(m.Blocks, para(muted(c.lang.T("search hint next"))))
	case page > 0:
		m.Blocks = append(m.Blocks, para(muted(c.lang.T("search hint prev"))))
	}
	if len(row) > 0 {
		m.Buttons = [][]chat.Button{row}
	}
	m.Replace = replace
	return []chat.Message{m}
}

// pagingWords are what a reader types to turn a search's page: commands
// of the table, in the reader's language.
func (c *call) pagingWords() (prev, next string) {
	if c.lang == i18n.EN {
		return "/prev", "/next"
	}
	return "上一页", "下一页"
}

// more shows the next page of the chat's last search.
func (c *call) more(ctx context.Context) []chat.Message {
	ss, ok := c.searches.get(c.u.Chat, "")
	if c.sub != nil && c.opts.Digests != nil {
		// A reader who types 更多 under the morning's digest means the
		// digest, not a search from the day before: the newer of the two.
		id, at, err := c.opts.Digests.Latest(ctx, c.sub)
		if err != nil {
			return c.fail(err)
		}
		if id != 0 && (!ok || at.After(ss.at)) {
			return c.digestMoreTyped(ctx)
		}
	}
	if !ok {
		return []chat.Message{say(c.lang.T("search expired"))}
	}
	return c.searchPage(ctx, ss, ss.page+1, false)
}

// prev shows the page before the one the chat sees of its last search.
func (c *call) prev(ctx context.Context) []chat.Message {
	ss, ok := c.searches.get(c.u.Chat, "")
	if !ok {
		return []chat.Message{say(c.lang.T("search expired"))}
	}
	if ss.page == 0 {
		return []chat.Message{say(c.lang.T("search first page"))}
	}
	return c.searchPage(ctx, ss, ss.page-1, false)
}

// callback handles a pressed button.
func (c *call) callback(ctx context.Context, data string) []chat.Message {
	kind, rest, _ := strings.Cut(clean(data), ":")
	switch kind {
	case "s":
		id, pageText, _ := strings.Cut(rest, ":")
		page, err := strconv.Atoi(pageText)
		ss, ok := c.searches.get(c.u.Chat, id)
		if err != nil || page < 0 || page > 1000 || !ok {
			return []chat.Message{say(c.lang.T("search expired"))}
		}
		return c.searchPage(ctx, ss, page, true)
	case "tag":
		return c.toggleTag(ctx, rest)
	case "dm":
		return c.digestMore(ctx, rest)
	}
	return []chat.Message{say(c.lang.T("search expired"))}
}

// digestMore answers a digest's "more" button ("dm:<digest>:<offset>").
func (c *call) digestMore(ctx context.Context, rest string) []chat.Message {
	id, off, ok := parseMore("dm:" + rest)
	if !ok || c.sub == nil || c.opts.Digests == nil {
		return []chat.Message{say(c.lang.T("search expired"))}
	}
	return c.showDigestMore(ctx, id, off)
}

// digest sends the digest now, through the outbox like a scheduled one,
// before it answers. The reader who asks is reachable, so parts held back
// by strikes go first; whatever cannot go at once (the platform asked to
// wait, a send failed, another process delivers) is said to be on its
// way, so the command never goes unanswered.
func (c *call) digest(ctx context.Context) []chat.Message {
	if c.opts.Digests == nil {
		return []chat.Message{say(c.lang.T("no digest"))}
	}
	if d := c.opts.Delivery; d != nil {
		if err := d.Reachable(ctx, c.sub.ID); err != nil {
			return c.fail(err)
		}
	}
	if _, err := c.opts.Digests.Now(ctx, c.sub); err != nil {
		return c.fail(err)
	}
	if d := c.opts.Delivery; d != nil {
		if err := d.Flush(ctx, c.sub.ID); err != nil && !errors.Is(err, digest.ErrPaused) {
			return c.fail(err)
		}
		n, err := d.Pending(ctx, c.sub.ID)
		if err != nil {
			return c.fail(err)
		}
		if n == 0 {
			return c.digestElsewhere()
		}
		return append(c.digestElsewhere(), digest.WaitingNotice(c.sub.Lang, n))
	}
	return c.digestElsewhere()
}

// digestNotAdmin answers a group member who asks for the group's digest
// now: that is for the admins, and the member is told when the next one
// comes.
func (c *call) digestNotAdmin() []chat.Message {
	refusal := c.lang.T("digest admins only")
	s := c.sub
	switch {
	case s == nil:
		return []chat.Message{say(refusal + c.lang.T("group not started"))}
	case s.State != subscribers.Active:
		return []chat.Message{say(refusal + c.lang.T("group paused"))}
	}
	return []chat.Message{say(refusal + c.lang.T("group next digest", c.next(s), zoneName(s.Zone, c.lang)))}
}

func (c *call) stats(ctx context.Context) []chat.Message {
	if !c.isAdmin() {
		return []chat.Message{say(c.lang.T("admin only"))}
	}
	counts, err := c.opts.Subscribers.Counts(ctx)
	if err != nil {
		return c.fail(err)
	}
	st, err := c.opts.Articles.Stats(ctx)
	if err != nil {
		return c.fail(err)
	}
	m := msg(heading(bold(c.lang.T("stats title"))))
	var platforms []string
	for p := range counts {
		platforms = append(platforms, p)
	}
	slices.Sort(platforms)
	for _, p := range platforms {
		var parts []string
		for _, s := range []subscribers.State{subscribers.Active, subscribers.Paused, subscribers.Blocked, subscribers.Left} {
			parts = append(parts, c.lang.T("state "+string(s))+" "+strconv.Itoa(counts[p][s]))
		}
		m.Blocks = append(m.Blocks, item(text(c.lang.T("stats subs", p, strings.Join(parts, ", ")))))
	}
	newest := "-"
	if st.Articles > 0 {
		newest = st.Newest.Format("2006-01-02 15:04")
	}
	m.Blocks = append(m.Blocks, item(text(c.lang.T("stats articles", st.Articles, newest))))
	if c.opts.Outbox != nil {
		backlog, err := c.opts.Outbox.Backlog(ctx)
		if err != nil {
			return c.fail(err)
		}
		now := c.opts.Now()
		today, err := c.opts.Outbox.DigestsSince(ctx, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()))
		if err != nil {
			return c.fail(err)
		}
		m.Blocks = append(m.Blocks, item(text(c.lang.T("stats outbox", today, backlog.Pending, backlog.Dead))))
		if backlog.Held > 0 {
			m.Blocks = append(m.Blocks, item(text(c.lang.T("stats held", backlog.Held))))
		}
	}
	if d := c.opts.Delivery; d != nil {
		windows, err := d.Windows(ctx)
		if err != nil {
			return c.fail(err)
		}
		m.Blocks = append(m.Blocks, c.windowCounts(windows)...)
	}
	links, err := c.statsLinks(ctx)
	if err != nil {
		return c.fail(err)
	}
	m.Blocks = append(m.Blocks, links...)
	return []chat.Message{m}
}
