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
	Lang   string `json:"l"`
	Date   string `json:"d"`
	N      int    `json:"n"`           // this part's number, from 1
	Of     int    `json:"o"`           // how many parts the digest has
	Items  int    `json:"i,omitempty"` // in the first part: the counts line
	Groups int    `json:"g,omitempty"`
	Units  []Unit `json:"u,omitempty"`
	More   int    `json:"m,omitempty"` // items left out, said in the last part
	Footer bool   `json:"f,omitempty"`
	Empty  bool   `json:"e,omitempty"` // the short notice of a day with nothing
}

// Unit is an article, with the heading of its group when it comes first.
type Unit struct {
	Tag   string `json:"g,omitempty"`
	Count int    `json:"c,omitempty"`
	Seq   int64  `json:"s"`
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
	for _, p := range plan(d, sub, day, lim, nil) {
		out = append(out, Build(p, bySeq, lim))
	}
	return out
}

// itemCache keeps each article's rendered item and its measured size for
// one platform: a morning run renders the same few hundred articles into
// thousands of digests.
type itemCache struct {
	items map[*articles.Article]cachedItem
}

type cachedItem struct {
	block chat.Block
	size  int
}

func newItemCache() *itemCache { return &itemCache{items: map[*articles.Article]cachedItem{}} }

// item returns a's block and size, from the cache when there is one.
func (c *itemCache) item(a *articles.Article, lim Limits) cachedItem {
	if c != nil {
		if it, ok := c.items[a]; ok {
			return it
		}
	}
	b := ArticleItem(a, nil, nil)
	it := cachedItem{block: b, size: lim.Measure(chat.Message{Blocks: []chat.Block{b}})}
	if c != nil {
		c.items[a] = it
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

// plan splits a digest into parts.
func plan(d Digest, sub *subscribers.Subscriber, day time.Time, lim Limits, cache *itemCache) []Part {
	lim = withDefaults(lim)
	date := day.Format(i18n.Of(sub.Lang).T("date format"))
	if d.Items == 0 {
		if !sub.EmptyNotice {
			return nil
		}
		return []Part{{Lang: sub.Lang, Date: date, N: 1, Of: 1, Empty: true}}
	}
	// Units are what may not be split: a group's heading travels with its
	// first item. A unit's estimated size adds up its blocks' sizes, with
	// room for a newline and wider numbering each (packSlack).
	var units []Unit
	var blocks [][]chat.Block
	var sizes []int
	total := 0
	for _, g := range d.Groups {
		for i, a := range g.Items {
			it := cache.item(a, lim)
			u := Unit{Seq: a.Seq}
			if i == 0 {
				u.Tag, u.Count = g.Tag, len(g.Items)
				h := groupHeading(sub.Lang, u)
				blocks = append(blocks, []chat.Block{h, it.block})
				sizes = append(sizes, lim.Measure(chat.Message{Blocks: []chat.Block{h}})+it.size+2*packSlack)
			} else {
				blocks = append(blocks, []chat.Block{it.block})
				sizes = append(sizes, it.size+packSlack)
			}
			units = append(units, u)
			total += sizes[len(sizes)-1]
		}
	}
	whole := Part{Lang: sub.Lang, Date: date, N: 1, Of: 1, Items: d.Items, Groups: len(d.Groups), More: d.More, Footer: true}
	tail := tailBlocks(whole)
	// The last part carries the "more" button; where a platform shows
	// buttons as text, it is measured with it.
	buttons := moreButtons(whole)
	first := []chat.Block{partHeader(whole), countsBlock(whole)}
	measure := func(bs []chat.Block) int { return lim.Measure(chat.Message{Blocks: bs}) }
	// The estimate overcounts by at most packSlack a block, so a digest
	// whose estimate is past the limit by more than that cannot fit one
	// message; only near the limit is it measured whole.
	if frame := append(append([]chat.Block{}, first...), tail...); total+measure(frame)-2*packSlack*len(units) <= lim.MaxLength {
		all := append([]chat.Block{}, first...)
		for _, b := range blocks {
			all = append(all, b...)
		}
		if lim.Measure(chat.Message{Blocks: append(all, tail...), Buttons: buttons}) <= lim.MaxLength {
			whole.Units = units
			return []Part{whole}
		}
	}
	// Pack with a header of the widest form ("(99/99)"), then number.
	widest := partHeader(Part{Lang: sub.Lang, Date: date, N: 99, Of: 99})
	groups := pack(blocks, sizes, []chat.Block{widest, countsBlock(whole)}, tail, buttons, widest, lim)
	parts := make([]Part, len(groups))
	for i, idx := range groups {
		p := Part{Lang: sub.Lang, Date: date, N: i + 1, Of: len(groups)}
		if i == 0 {
			p.Items, p.Groups = d.Items, len(d.Groups)
		}
		for _, k := range idx {
			p.Units = append(p.Units, units[k])
		}
		if i == len(groups)-1 {
			p.More, p.Footer = d.More, true
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
	if p.Empty {
		return chat.Message{Blocks: []chat.Block{para(plain(i18n.Of(p.Lang).T("empty", p.Date)))}}
	}
	blocks := []chat.Block{partHeader(p)}
	if p.Items > 0 {
		blocks = append(blocks, countsBlock(p))
	}
	for _, u := range p.Units {
		a := bySeq[u.Seq]
		if a == nil {
			continue
		}
		unit := []chat.Block{ArticleItem(a, nil, nil)}
		if u.Tag != "" {
			unit = append([]chat.Block{groupHeading(p.Lang, u)}, unit...)
		}
		blocks = append(blocks, shrink(unit, lim)...)
	}
	return chat.Message{Blocks: append(blocks, tailBlocks(p)...)}
}

func partHeader(p Part) chat.Block {
	title := i18n.Of(p.Lang).T("header", p.Date)
	if p.Of > 1 {
		title += i18n.Of(p.Lang).T("part", p.N, p.Of)
	}
	return chat.Block{Kind: chat.Heading, Spans: []chat.Span{{Text: title, Style: chat.Bold}}}
}

func countsBlock(p Part) chat.Block {
	return para(plain(i18n.Of(p.Lang).T("counts", p.Items, p.Groups)))
}

func groupHeading(lang string, u Unit) chat.Block {
	return heading(i18n.Of(lang).T("group", u.Tag, u.Count))
}

func tailBlocks(p Part) []chat.Block {
	var tail []chat.Block
	if p.More > 0 {
		tail = append(tail, para(muted(i18n.Of(p.Lang).T("more", p.More))))
	}
	if p.Footer {
		tail = append(tail, para(muted(i18n.Of(p.Lang).T("footer"))))
	}
	return tail
}

// packSlack is what an item may add when it joins a part: a newline, and
// numbering grown from "1. " to "100. ".
const packSlack = 3

// pack groups units into parts in order, starting a new part when the next
// unit does not fit, and returns each part's unit indices; tail goes in the
// last part, or in a part of its own. For an additive measure it adds up
// the units' estimated sizes; otherwise it measures each candidate part
// whole.
func pack(units [][]chat.Block, sizes []int, first, tail []chat.Block, tailButtons [][]chat.Button, head chat.Block, lim Limits) [][]int {
	measure := func(blocks []chat.Block) int { return lim.Measure(chat.Message{Blocks: blocks}) }
	var parts [][]int
	var idx []int
	cur := append([]chat.Block{}, first...)
	size := measure(cur)
	fits := func(add []chat.Block, estimate int) (bool, int) {
		n := size + estimate
		if lim.NotAdditive {
			n = measure(append(append([]chat.Block{}, cur...), add...))
		}
		return n <= lim.MaxLength, n
	}
	for i, u := range units {
		if ok, n := fits(u, sizes[i]); ok {
			cur, size, idx = append(cur, u...), n, append(idx, i)
			continue
		}
		if len(idx) > 0 {
			parts, idx = append(parts, idx), nil
			cur = []chat.Block{head}
		}
		// Alone in its part, cut to fit if it must (Build does the same).
		cur = append(cur, shrink(slices.Clone(u), lim)...)
		size, idx = measure(cur), []int{i}
	}
	// The tail (and the last part's buttons) must fit with the last units.
	withTail := size + lim.Measure(chat.Message{Blocks: tail, Buttons: tailButtons}) + packSlack*len(tail)
	if lim.NotAdditive {
		withTail = lim.Measure(chat.Message{Blocks: append(append([]chat.Block{}, cur...), tail...), Buttons: tailButtons})
	}
	if withTail > lim.MaxLength {
		parts, idx = append(parts, idx), nil
	}
	return append(parts, idx)
}

// shrink cuts the text of an item that alone is longer than a message,
// which capped leads make all but impossible; the link survives.
func shrink(u []chat.Block, lim Limits) []chat.Block {
	for lim.Measure(chat.Message{Blocks: append([]chat.Block{{}}, u...)}) > lim.MaxLength {
		// Cut the longest plain span of the last block: the lead or title.
		// The spans may be shared with the item cache: cut a copy.
		last := &u[len(u)-1]
		last.Spans = slices.Clone(last.Spans)
		longest := -1
		for i, s := range last.Spans {
			if s.Style != chat.Link && (longest < 0 || len(s.Text) > len(last.Spans[longest].Text)) {
				longest = i
			}
		}
		rs := []rune(last.Spans[longest].Text)
		if len(rs) < 8 {
			break
		}
		last.Spans[longest].Text = string(rs[:len(rs)*3/4]) + "…"
	}
	return u
}

func plain(s string) chat.Span           { return chat.Span{Text: s} }
func muted(s string) chat.Span           { return chat.Span{Text: s, Style: chat.Muted} }
func para(spans ...chat.Span) chat.Block { return chat.Block{Kind: chat.Paragraph, Spans: spans} }
func heading(s string) chat.Block {
	return chat.Block{Kind: chat.Heading, Spans: []chat.Span{plain(s)}}
}
