package digest

import (
	"slices"
	"time"
	"unicode/utf16"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/i18n"
	"wzdaily/subscribers"
)

// Limits say how long one message may be on a platform.
type Limits struct {
	MaxLength int                    // in the units Measure counts
	Measure   func(chat.Message) int // default: UTF-16 units of the plain text
	// NotAdditive says a message's measure is not the sum of its blocks'
	// (give or take newlines and numbering), so parts must be measured
	// whole as they are packed: slower, but right for such a platform.
	NotAdditive bool
	// Link is where an item's title links to (the reader's web, when it
	// has a public address); nil: the article's page on the site. The
	// engine sets it from Options.Link.
	Link func(*articles.Article) string
}

// PlainLength counts a message's plain text in UTF-16 units, as Telegram
// counts its 4,096-unit limit.
func PlainLength(m chat.Message) int {
	return len(utf16.Encode([]rune(chat.PlainText(m))))
}

// Part is one message of a digest as the outbox keeps it: which articles go
// under which headings, not the text. The text is built when the part is
// sent, so a morning run writes a few ids a part instead of kilobytes.
type Part struct {
	Lang  string `json:"l"`
	Date  string `json:"d"`
	N     int    `json:"n"`           // this part's number, from 1
	Of    int    `json:"o"`           // how many parts the digest has
	Items int    `json:"i,omitempty"` // in the first part: the items listed
	Total int    `json:"t,omitempty"` // in the first part: the items there are
	Home  bool   `json:"h,omitempty"` // every item is the home paper's: the header names it
	// At (Unix seconds) and Zone are when and where the digest was
	// composed: item times are told against them (今天 08:15).
	At     int64  `json:"a,omitempty"`
	Zone   string `json:"z,omitempty"`
	Units  []Unit `json:"u,omitempty"`
	More   int    `json:"m,omitempty"` // items left out, said in the last part
	Max    int    `json:"x,omitempty"` // with More: the subscriber's maximum, which the hint does not suggest again
	Footer bool   `json:"f,omitempty"`
	Empty  bool   `json:"e,omitempty"` // the short notice of a day with nothing
	// With Empty: the subscriber follows no tag, and has keywords, which
	// alone bring nothing.
	NoTags   bool `json:"nt,omitempty"`
	Keywords bool `json:"kw,omitempty"`
	// Invite: the platform has a conversation window, and the last part
	// invites the reply that keeps it open.
	Invite bool `json:"iv,omitempty"`
	// Dates, in a release digest: the days (2006-01-02, in the reader's
	// zone) whose held digests it merges; the header counts them.
	Dates []string `json:"ds,omitempty"`
}

// Unit is an article, with the heading of its group when it comes first
// in the part.
type Unit struct {
	Tag   string `json:"g,omitempty"`
	Count int    `json:"c,omitempty"`
	// Cont says the heading goes on from the part before, and N is then
	// the item's number in its group.
	Cont bool   `json:"k,omitempty"`
	N    int    `json:"n,omitempty"`
	From string `json:"f,omitempty"` // the heading names the one paper of its group
	Each bool   `json:"p,omitempty"` // the group's items each name their paper
	Seq  int64  `json:"s"`
	Also int    `json:"a,omitempty"` // earlier reports of the story it stands for
}

// Render turns a digest into messages no longer than the platform allows,
// split between items, never inside one. A day with nothing gives a short
// notice or nothing, as the subscriber chose.
func Render(d Digest, sub *subscribers.Subscriber, day time.Time, lim Limits) []chat.Message {
	bySeq := map[int64]*articles.Article{}
	for _, g := range d.Groups {
		for _, a := range g.Items {
			bySeq[a.Seq] = a
		}
	}
	var out []chat.Message
	for _, p := range plan(d, sub, day, lim, nil, false) {
		out = append(out, Build(p, bySeq, lim))
	}
	return out
}

// itemCache keeps each article's rendered item and its measured size for
// one platform, language, zone and time: a morning run renders the same
// few hundred articles into thousands of digests.
type itemCache struct {
	items map[itemKey]cachedItem
}

// itemKey is an article as a digest shows it; the rest of its View is the
// cache's.
type itemKey struct {
	a       *articles.Article
	paper   bool
	earlier int
}

type cachedItem struct {
	block chat.Block
	size  int
}

func newItemCache() *itemCache { return &itemCache{items: map[itemKey]cachedItem{}} }

// item returns the item of a in view v and its size, from the cache when
// there is one.
func (c *itemCache) item(a *articles.Article, v View, lim Limits) cachedItem {
	k := itemKey{a, v.Paper, v.Earlier}
	if c != nil {
		if it, ok := c.items[k]; ok {
			return it
		}
	}
	b := ArticleItem(a, v)
	it := cachedItem{block: b, size: lim.Measure(chat.Message{Blocks: []chat.Block{b}})}
	if c != nil {
		c.items[k] = it
	}
	return it
}

func withDefaults(lim Limits) Limits {
	if lim.Measure == nil {
		lim.Measure = PlainLength
	}
	if lim.MaxLength <= 0 {
		lim.MaxLength = DefaultLimits.MaxLength
	}
	return lim
}

// plan splits a digest into parts. day is the time of composing in the
// subscriber's zone: the date of the header and what item times are told
// against. invite: the platform has a conversation window (Part.Invite).
func plan(d Digest, sub *subscribers.Subscriber, day time.Time, lim Limits, cache *itemCache, invite bool) []Part {
	lim = withDefaults(lim)
	base := Part{Lang: sub.Lang, Date: day.Format(i18n.Of(sub.Lang).T("date format")), At: day.Unix(), Zone: sub.Zone, N: 1, Of: 1,
		Invite: invite, Dates: d.Dates}
	if d.Items == 0 {
		if !sub.EmptyNotice {
			return nil
		}
		p := base
		p.Empty, p.NoTags = true, len(sub.Tags) == 0
		// Named after the paper only for a reader who follows nothing else.
		p.Home = len(sub.Tags) > 0 && !slices.ContainsFunc(sub.Tags, func(t string) bool { return t != subscribers.DefaultTag })
		p.Keywords = p.NoTags && len(sub.Include)+len(sub.Exclude) > 0
		return []Part{p}
	}
	home, mixed := papers(d)
	// Units are what may not be split: a group's heading travels with its
	// first item, and a part that goes on with a group repeats its heading.
	// A unit's estimated size adds up its blocks' sizes, with room for a
	// newline and wider numbering each (packSlack).
	var units []Unit
	var packs []packUnit
	var conts []Unit // the heading each unit repeats when it starts a part
	total := 0
	measure := func(bs ...chat.Block) int { return lim.Measure(chat.Message{Blocks: bs}) }
	for _, g := range d.Groups {
		from, each := groupPaper(g, mixed)
		head := Unit{Tag: g.Tag, Count: len(g.Items), From: from, Each: each}
		cont := head
		cont.Cont = true
		contHead := []chat.Block{groupHeading(sub.Lang, cont)} // pack copies it
		for i, a := range g.Items {
			u := Unit{Seq: a.Seq, Also: d.Earlier[a.Seq]}
			it := cache.item(a, View{Lang: sub.Lang, Now: day, Paper: each, Earlier: u.Also, Link: lim.Link}, lim)
			cont.N = i + 1
			pu := packUnit{blocks: []chat.Block{it.block}, size: it.size + packSlack, cont: contHead}
			if i == 0 {
				u.Tag, u.Count, u.From, u.Each = head.Tag, head.Count, head.From, head.Each
				h := groupHeading(sub.Lang, u)
				pu = packUnit{blocks: []chat.Block{h, it.block}, size: measure(h) + it.size + 2*packSlack}
			}
			units, packs, conts = append(units, u), append(packs, pu), append(conts, cont)
			total += pu.size
		}
	}
	whole := base
	whole.Items, whole.Total, whole.Home, whole.More, whole.Max, whole.Footer = d.Items, d.Items+d.More, home, d.More, sub.MaxItems, true
	tail := tailBlocks(whole)
	// The last part carries the "more" button; where a platform shows
	// buttons as text, it is measured with it.
	buttons := moreButtons(whole)
	first := []chat.Block{partHeader(whole), countsBlock(whole)}
	// The estimate overcounts by at most packSlack a block: a digest whose
	// estimate fits is one message, one whose estimate is past the limit
	// by more than that cannot be; only in between is it measured whole.
	// A measure that does not add up is always measured whole.
	frame := lim.Measure(chat.Message{Blocks: append(slices.Clone(first), tail...), Buttons: buttons})
	if !lim.NotAdditive && total+frame <= lim.MaxLength {
		whole.Units = units
		return []Part{whole}
	}
	if total+frame-2*packSlack*len(units) <= lim.MaxLength {
		all := slices.Clone(first)
		for _, pu := range packs {
			all = append(all, pu.blocks...)
		}
		if lim.Measure(chat.Message{Blocks: append(all, tail...), Buttons: buttons}) <= lim.MaxLength {
			whole.Units = units
			return []Part{whole}
		}
	}
	// Pack with a header of the widest form ("(99/99)"), then number.
	wide := base
	wide.Home, wide.N, wide.Of = home, 99, 99
	widest := partHeader(wide)
	groups := pack(packs, []chat.Block{widest, countsBlock(whole)}, tail, buttons, widest, lim)
	parts := make([]Part, len(groups))
	for i, idx := range groups {
		p := base
		p.N, p.Of, p.Home = i+1, len(groups), home
		if i == 0 {
			p.Items, p.Total = whole.Items, whole.Total
		}
		for j, k := range idx {
			u := units[k]
			if j == 0 && u.Tag == "" {
				c := conts[k]
				u.Tag, u.Count, u.Cont, u.N, u.From, u.Each = c.Tag, c.Count, true, c.N, c.From, c.Each
			}
			p.Units = append(p.Units, u)
		}
		if i == len(groups)-1 {
			p.More, p.Max, p.Footer = d.More, sub.MaxItems, true
		}
		parts[i] = p
	}
	return parts
}

// Build writes a part's text. Articles missing from bySeq (deleted since
// the digest was composed) are left out; an item too long for a message
// on its own is cut.
func Build(p Part, bySeq map[int64]*articles.Article, lim Limits) chat.Message {
	lim = withDefaults(lim)
	lang := i18n.Of(p.Lang)
	if p.Empty {
		text := lang.T("empty mixed", p.Date)
		if p.Home {
			text = lang.T("empty", p.Date)
		}
		switch {
		case p.Keywords:
			text += lang.T("empty keywords only", subscribers.DefaultTag)
		case p.NoTags:
			text += lang.T("empty no tags", subscribers.DefaultTag)
		}
		m := chat.Message{Blocks: []chat.Block{para(plain(text))}}
		if p.Invite {
			m.Blocks = append(m.Blocks, inviteBlock(p.Lang))
		}
		return m
	}
	now := p.now()
	blocks := []chat.Block{partHeader(p)}
	if p.Items > 0 {
		blocks = append(blocks, countsBlock(p))
	}
	each := false
	for _, u := range p.Units {
		if u.Tag != "" {
			each = u.Each
		}
		a := bySeq[u.Seq]
		if a == nil {
			continue
		}
		item := ArticleItem(a, View{Lang: p.Lang, Now: now, Paper: each, Earlier: u.Also, Link: lim.Link})
		if u.Cont {
			item.Number = u.N
		}
		unit := []chat.Block{item}
		if u.Tag != "" {
			unit = append([]chat.Block{groupHeading(p.Lang, u)}, unit...)
		}
		blocks = append(blocks, shrink(unit, lim)...)
	}
	return chat.Message{Blocks: append(blocks, tailBlocks(p)...)}
}

// now is when the part's digest was composed, in the subscriber's zone;
// zero for a part stored before parts kept it, whose items give dates.
func (p Part) now() time.Time {
	if p.At == 0 {
		return time.Time{}
	}
	loc, err := subscribers.LoadZone(p.Zone)
	if err != nil {
		loc = articles.Zone()
	}
	return time.Unix(p.At, 0).In(loc)
}

func partHeader(p Part) chat.Block {
	lang := i18n.Of(p.Lang)
	title := lang.T("header mixed", p.Date)
	switch {
	case len(p.Dates) == 1:
		title = lang.T("held header one")
	case len(p.Dates) > 1:
		title = lang.T("held header", len(p.Dates))
	case p.Home:
		title = lang.T("header", p.Date)
	}
	if p.Of > 1 {
		title += lang.T("part", p.N, p.Of)
	}
	return chat.Block{Kind: chat.Heading, Spans: []chat.Span{{Text: title, Style: chat.Bold}}}
}

// countsBlock says how many items there are and how many are listed.
func countsBlock(p Part) chat.Block {
	lang := i18n.Of(p.Lang)
	if p.Total > p.Items {
		return para(plain(lang.T("counts", p.Total, p.Items)))
	}
	return para(plain(lang.T("counts all", p.Items)))
}

func groupHeading(lang string, u Unit) chat.Block {
	l := i18n.Of(lang)
	label := u.Tag
	if u.From != "" {
		label += " · " + u.From
	}
	if u.Cont {
		return heading(l.T("group cont", label))
	}
	return heading(l.T("group", label, u.Count))
}

func tailBlocks(p Part) []chat.Block {
	var tail []chat.Block
	if p.More > 0 {
		lang := i18n.Of(p.Lang)
		hint := lang.T("more at max", p.More)
		if n := moreMax(p.Max); n > 0 {
			hint = lang.T("more", p.More, n)
		}
		tail = append(tail, para(muted(hint)))
	}
	if p.Footer {
		tail = append(tail, para(muted(i18n.Of(p.Lang).T("footer"))))
		if p.Invite {
			tail = append(tail, inviteBlock(p.Lang))
		}
	}
	return tail
}

// inviteBlock asks for the one-word reply that keeps a conversation
// window open: 回复「1」明天继续收到摘要. The bot answers it when no
// numbered choice is pending; a digest offers none (its buttons are
// words), so after a digest a 1 is always this reply.
func inviteBlock(lang string) chat.Block {
	return para(plain(i18n.Of(lang).T("invite", KeepWord)))
}

// KeepWord is what a reader replies to keep a conversation window open.
const KeepWord = "1"

// moreMax is the maximum the "more" hint suggests to a subscriber whose
// maximum is cur: the next of a few round numbers, never the value already
// set; 0 when there is none (cur is the highest, or unknown).
func moreMax(cur int) int {
	if cur <= 0 {
		return 0
	}
	for _, n := range []int{10, 20, 30, 50, 100, subscribers.MaxMaxItems} {
		if n > cur {
			return n
		}
	}
	return 0
}

func plain(s string) chat.Span           { return chat.Span{Text: s} }
func muted(s string) chat.Span           { return chat.Span{Text: s, Style: chat.Muted} }
func para(spans ...chat.Span) chat.Block { return chat.Block{Kind: chat.Paragraph, Spans: spans} }
func heading(s string) chat.Block {
	return chat.Block{Kind: chat.Heading, Spans: []chat.Span{plain(s)}}
}
