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
	"wzdaily/subscribers"
)

// searchPage is how many results one search message shows.
const searchPage = 5

func (c *call) help() Message {
	blocks := []Block{heading(bold(c.lang.t("help title")))}
	for _, h := range helpLines {
		zhDesc, enDesc, _ := strings.Cut(h[2], "|")
		if c.lang == en {
			blocks = append(blocks, item(bold(h[1]), text(" — "+enDesc+" ("+h[0]+")")))
		} else {
			blocks = append(blocks, item(bold(h[0]), text(" — "+zhDesc+"（"+h[1]+"）")))
		}
	}
	return msg(blocks...)
}

func (c *call) tags(ctx context.Context) []Message {
	m, err := c.tagsMessage(ctx)
	if err != nil {
		return c.fail(err)
	}
	return []Message{m}
}

// tagsMessage lists the tags with counts and a follow/unfollow button each.
func (c *call) tagsMessage(ctx context.Context) (Message, error) {
	known, err := c.knownTags(ctx)
	if err != nil {
		return Message{}, err
	}
	if len(known) == 0 {
		return say(c.lang.t("no tags")), nil
	}
	var following []string
	if c.sub != nil {
		following = c.sub.Tags
	}
	m := msg(heading(bold(c.lang.t("tags title"))))
	var row []Button
	for _, k := range known {
		label := k.Tag + " (" + strconv.Itoa(k.Count) + ")"
		if k.Topic {
			label += " · " + c.lang.t("topic")
		}
		m.Blocks = append(m.Blocks, item(text(label)))
		mark := "+ "
		if slices.Contains(following, k.Tag) {
			mark = "✓ "
		}
		if data := "tag:" + k.Tag; len(data) <= MaxButtonData {
			row = append(row, button(mark+k.Tag, data))
		}
		if len(row) == 3 {
			m.Buttons, row = append(m.Buttons, row), nil
		}
	}
	if len(row) > 0 {
		m.Buttons = append(m.Buttons, row)
	}
	m.Blocks = append(m.Blocks, para(muted(c.lang.t("tags hint"))))
	return m, nil
}

// toggleTag follows or unfollows a tag from its button.
func (c *call) toggleTag(ctx context.Context, tag string) []Message {
	if refused := c.mayChange(ctx); refused != nil {
		return refused
	}
	known, err := c.knownTags(ctx)
	if err != nil {
		return c.fail(err)
	}
	if _, ok := resolveTag(tag, known); !ok {
		return []Message{msg(c.unknownTags([]string{truncate(tag, 20)}, known)...)}
	}
	_, err = c.ensure(ctx, func(s *subscribers.Subscriber) error {
		if len(s.Unfollow(tag)) == 0 {
			s.Follow(tag)
		}
		return nil
	})
	if errors.Is(err, subscribers.ErrTooMany) {
		return []Message{say(c.lang.t("too many tags", subscribers.MaxTags))}
	}
	if err != nil {
		return c.fail(err)
	}
	m, err := c.tagsMessage(ctx)
	if err != nil {
		return c.fail(err)
	}
	m.Replace = true
	return []Message{m}
}

// maxLatest bounds /latest.
const maxLatest = 20

func (c *call) latest(ctx context.Context) []Message {
	n := 5
	if len(c.p.args) == 1 {
		v, err := strconv.Atoi(c.p.args[0])
		if err != nil || v < 1 || v > maxLatest {
			return []Message{say(c.lang.t("bad number", maxLatest))}
		}
		n = v
	}
	list, err := c.opts.Articles.List(ctx, articles.ListQuery{Limit: n})
	if err != nil {
		return c.fail(err)
	}
	if len(list) == 0 {
		return []Message{say(c.lang.t("no tags"))}
	}
	m := msg(heading(bold(c.lang.t("latest title", len(list)))))
	for _, a := range list {
		m.Blocks = append(m.Blocks, ArticleItem(a, nil, nil))
	}
	return []Message{m}
}

// ArticleItem is one article in a list: title, date, lead (or the search
// snippet), link. Digests use it too, so an article looks the same
// everywhere.
func ArticleItem(a *articles.Article, title, snippet articles.Snippet) Block {
	var spans []Span
	if title != nil {
		spans = append(spans, snippetSpans(title, Bold)...)
	} else {
		spans = append(spans, bold(a.Title))
	}
	spans = append(spans, muted(" · "+a.ShownDate().Format("2006-01-02")), text("\n"))
	if snippet != nil {
		spans = append(spans, snippetSpans(snippet, Plain)...)
	} else {
		spans = append(spans, text(a.Lead))
	}
	if a.URL != "" {
		spans = append(spans, text("\n"), link(a.URL, a.URL))
	}
	return item(spans...)
}

func snippetSpans(s articles.Snippet, style Style) []Span {
	var out []Span
	for _, f := range s {
		if f.Hit {
			out = append(out, Span{Text: f.Text, Style: Hit})
		} else {
			out = append(out, Span{Text: f.Text, Style: style})
		}
	}
	return out
}

// search shows the first page of results for query and remembers it for
// paging.
func (c *call) search(ctx context.Context, query string) []Message {
	if query == "" {
		return []Message{say(c.lang.t("search empty"))}
	}
	ss := c.searches.save(c.u.Chat, query)
	return c.searchPage(ctx, *ss, 0, false)
}

func (c *call) searchPage(ctx context.Context, ss savedSearch, page int, replace bool) []Message {
	res, err := c.opts.Articles.Search(ctx, articles.SearchQuery{Text: ss.query, Limit: searchPage, Offset: page * searchPage})
	switch {
	case errors.Is(err, articles.ErrEmptyQuery):
		return []Message{say(c.lang.t("search nothing"))}
	case err != nil:
		return c.fail(err)
	}
	shown := truncate(strings.Join(res.Terms, " "), 30)
	if len(res.Hits) == 0 {
		if page > 0 {
			return []Message{say(c.lang.t("search more none"))}
		}
		return []Message{say(c.lang.t("search none", shown))}
	}
	c.searches.showing(ss.id, page)
	m := msg(heading(bold(c.lang.t("search title", shown, page+1))))
	for _, h := range res.Hits {
		m.Blocks = append(m.Blocks, ArticleItem(h.Article, h.Title, h.Snippet))
	}
	var row []Button
	if page > 0 {
		row = append(row, button(c.lang.t("prev"), fmt.Sprintf("s:%s:%d", ss.id, page-1)))
	}
	if res.More {
		row = append(row, button(c.lang.t("next"), fmt.Sprintf("s:%s:%d", ss.id, page+1)))
		m.Blocks = append(m.Blocks, para(muted(c.lang.t("more hint"))))
	}
	if len(row) > 0 {
		m.Buttons = [][]Button{row}
	}
	m.Replace = replace
	return []Message{m}
}

// more shows the next page of the chat's last search.
func (c *call) more(ctx context.Context) []Message {
	ss, ok := c.searches.get(c.u.Chat, "")
	if !ok {
		return []Message{say(c.lang.t("search expired"))}
	}
	return c.searchPage(ctx, ss, ss.page+1, false)
}

// callback handles a pressed button.
func (c *call) callback(ctx context.Context, data string) []Message {
	kind, rest, _ := strings.Cut(clean(data), ":")
	switch kind {
	case "s":
		id, pageText, _ := strings.Cut(rest, ":")
		page, err := strconv.Atoi(pageText)
		ss, ok := c.searches.get(c.u.Chat, id)
		if err != nil || page < 0 || page > 1000 || !ok {
			return []Message{say(c.lang.t("search expired"))}
		}
		return c.searchPage(ctx, ss, page, true)
	case "tag":
		return c.toggleTag(ctx, rest)
	case "dm":
		return c.digestMore(ctx, rest)
	}
	return []Message{say(c.lang.t("search expired"))}
}

// digestMore answers a digest's "more" button ("dm:<digest>:<offset>").
func (c *call) digestMore(ctx context.Context, rest string) []Message {
	idText, offText, _ := strings.Cut(rest, ":")
	id, err1 := strconv.ParseInt(idText, 10, 64)
	off, err2 := strconv.Atoi(offText)
	if err1 != nil || err2 != nil || c.sub == nil || c.opts.DigestMore == nil || off < 0 {
		return []Message{say(c.lang.t("search expired"))}
	}
	m, err := c.opts.DigestMore(ctx, c.sub, id, off)
	if err != nil {
		return c.fail(err)
	}
	return []Message{m}
}

// digest sends the digest now, through the digest engine's outbox.
func (c *call) digest(ctx context.Context) []Message {
	if c.opts.Digest == nil {
		return []Message{say(c.lang.t("no digest"))}
	}
	out, err := c.opts.Digest(ctx, c.sub)
	if err != nil {
		return c.fail(err)
	}
	return out
}

// digestNotAdmin answers a group member who asks for the group's digest
// now: that is for the admins, and the member is told when the next one
// comes.
func (c *call) digestNotAdmin() []Message {
	refusal := c.lang.t("digest admins only")
	s := c.sub
	switch {
	case s == nil:
		return []Message{say(refusal + c.lang.t("group not started"))}
	case s.State != subscribers.Active:
		return []Message{say(refusal + c.lang.t("group paused"))}
	}
	loc, err := subscribers.LoadZone(s.Zone)
	if err != nil {
		// A stored zone is valid; one that no longer loads gets the paper's,
		// as the digest engine does.
		if loc, err = subscribers.LoadZone(subscribers.DefaultZone); err != nil {
			loc = time.UTC
		}
	}
	next := nextDelivery(s.DeliverAt, loc, c.opts.Now())
	day := next.Format("01-02")
	if c.lang == en {
		day = next.Format("2 Jan")
	}
	return []Message{say(refusal + c.lang.t("group next digest", day, s.DeliveryTime(), s.Zone))}
}

// nextDelivery is the first time after t that is minute minutes after
// midnight in loc: when the next scheduled digest is due. It is
// digest.NextDue, which this package cannot import (digest builds on bot).
func nextDelivery(minute int, loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	for d := 0; ; d++ {
		c := time.Date(l.Year(), l.Month(), l.Day()+d, minute/60, minute%60, 0, 0, loc)
		if c.After(t) {
			return c
		}
	}
}

func (c *call) stats(ctx context.Context) []Message {
	if !c.isAdmin() {
		return []Message{say(c.lang.t("admin only"))}
	}
	counts, err := c.opts.Subscribers.Counts(ctx)
	if err != nil {
		return c.fail(err)
	}
	st, err := c.opts.Articles.Stats(ctx)
	if err != nil {
		return c.fail(err)
	}
	m := msg(heading(bold(c.lang.t("stats title"))))
	var platforms []string
	for p := range counts {
		platforms = append(platforms, p)
	}
	slices.Sort(platforms)
	for _, p := range platforms {
		var parts []string
		for _, s := range []subscribers.State{subscribers.Active, subscribers.Paused, subscribers.Blocked, subscribers.Left} {
			parts = append(parts, c.lang.t("state "+string(s))+" "+strconv.Itoa(counts[p][s]))
		}
		m.Blocks = append(m.Blocks, item(text(c.lang.t("stats subs", p, strings.Join(parts, ", ")))))
	}
	newest := "-"
	if st.Articles > 0 {
		newest = st.Newest.Format("2006-01-02 15:04")
	}
	m.Blocks = append(m.Blocks, item(text(c.lang.t("stats articles", st.Articles, newest))))
	if c.opts.Outbox != nil {
		o, err := c.opts.Outbox(ctx)
		if err != nil {
			return c.fail(err)
		}
		m.Blocks = append(m.Blocks, item(text(c.lang.t("stats outbox", o.DigestsToday, o.Pending, o.Dead))))
	}
	return []Message{m}
}
