package digest

import (
	"fmt"
	"slices"
	"time"
	"unicode/utf16"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/subscribers"
)

// Limits say how long one message may be on a platform.
type Limits struct {
	MaxLength int                   // in the units Measure counts
	Measure   func(bot.Message) int // default: UTF-16 units of the plain text
	// NotAdditive says a message's measure is not the sum of its blocks'
	// (give or take newlines and numbering), so parts must be measured
	// whole as they are packed: slower, but right for such a platform.
	NotAdditive bool
}

// PlainLength counts a message's plain text in UTF-16 units, as Telegram
// counts its 4,096-unit limit.
func PlainLength(m bot.Message) int {
	return len(utf16.Encode([]rune(bot.PlainText(m))))
}

// words holds the digest's sentences, Chinese first.
var words = map[string][2]string{
	"header":  {"梧州日报摘要 · %s", "Wuzhou Daily digest · %s"},
	"counts":  {"共 %d 篇，%d 个标签", "%d articles under %d tags"},
	"part":    {"（%d/%d）", " (%d/%d)"},
	"group":   {"%s（%d）", "%s (%d)"},
	"more":    {"还有 %d 篇没有列出：发送 每日条数 30 可以多看一些。", "%d more not listed: send /max 30 to see more."},
	"footer":  {"更改设置：订阅 / 退订 / 关键词 / 推送时间 / 暂停", "Change settings: /sub /unsub /kw /time /pause"},
	"empty":   {"梧州日报摘要 · %s：今天没有符合你订阅的新文章。", "Wuzhou Daily digest · %s: no new articles match your subscription today."},
	"dateFmt": {"2006年1月2日", "2 Jan 2006"},
}

func word(lang, key string, args ...any) string {
	i := 0
	if lang == "en" {
		i = 1
	}
	return fmt.Sprintf(words[key][i], args...)
}

// Render turns a digest into messages no longer than the platform allows,
// split between items, never inside one. A day with nothing gives a short
// notice or nothing, as the subscriber chose.
func Render(d Digest, sub *subscribers.Subscriber, day time.Time, lim Limits) []bot.Message {
	return render(d, sub, day, lim, nil)
}

// itemCache keeps each article's rendered item and its measured size for
// one platform: a morning run renders the same few hundred articles into
// thousands of digests.
type itemCache struct {
	items map[*articles.Article]cachedItem
}

type cachedItem struct {
	block bot.Block
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
	b := bot.ArticleItem(a, nil, nil)
	it := cachedItem{block: b, size: lim.Measure(bot.Message{Blocks: []bot.Block{b}})}
	if c != nil {
		c.items[a] = it
	}
	return it
}

func render(d Digest, sub *subscribers.Subscriber, day time.Time, lim Limits, cache *itemCache) []bot.Message {
	if lim.Measure == nil {
		lim.Measure = PlainLength
	}
	date := day.Format(words["dateFmt"][langIndex(sub.Lang)])
	if d.Items == 0 {
		if !sub.EmptyNotice {
			return nil
		}
		return []bot.Message{{Blocks: []bot.Block{para(plain(word(sub.Lang, "empty", date)))}}}
	}
	// Units are what may not be split: a group's heading travels with its
	// first item.
	// A unit's estimated size adds up its blocks' sizes, with room for a
	// newline and wider numbering each (packSlack).
	var units [][]bot.Block
	var sizes []int
	total := 0
	for _, g := range d.Groups {
		for i, a := range g.Items {
			it := cache.item(a, lim)
			if i == 0 {
				h := heading(word(sub.Lang, "group", g.Tag, len(g.Items)))
				units = append(units, []bot.Block{h, it.block})
				sizes = append(sizes, lim.Measure(bot.Message{Blocks: []bot.Block{h}})+it.size+2*packSlack)
			} else {
				units = append(units, []bot.Block{it.block})
				sizes = append(sizes, it.size+packSlack)
			}
			total += sizes[len(sizes)-1]
		}
	}
	var tail []bot.Block
	if d.More > 0 {
		tail = append(tail, para(muted(word(sub.Lang, "more", d.More))))
	}
	tail = append(tail, para(muted(word(sub.Lang, "footer"))))
	header := func(n, total int) bot.Block {
		title := word(sub.Lang, "header", date)
		if total > 1 {
			title += word(sub.Lang, "part", n, total)
		}
		return bot.Block{Kind: bot.Heading, Spans: []bot.Span{{Text: title, Style: bot.Bold}}}
	}
	counts := para(plain(word(sub.Lang, "counts", d.Items, len(d.Groups))))
	whole := []bot.Block{header(1, 1), counts}
	for _, u := range units {
		whole = append(whole, u...)
	}
	whole = append(whole, tail...)
	// The estimate overcounts by at most packSlack a block, so a digest
	// whose estimate is past the limit by more than that cannot fit one
	// message; only near the limit is it measured whole.
	if estimate := total + lim.Measure(bot.Message{Blocks: append([]bot.Block{header(1, 1), counts}, tail...)}); estimate-packSlack*len(whole) <= lim.MaxLength {
		if lim.Measure(bot.Message{Blocks: whole}) <= lim.MaxLength {
			return []bot.Message{{Blocks: whole}}
		}
	}
	// Pack with a header of the widest form ("(99/99)"), then number.
	// Measuring each item once and adding up is fast; the sum leaves room
	// for a newline and two more digits of numbering an item, so for an
	// additive measure it can only overestimate.
	first := []bot.Block{header(99, 99), counts}
	parts := pack(units, sizes, first, tail, header(99, 99), lim, lim.NotAdditive)
	out := make([]bot.Message, len(parts))
	for i, p := range parts {
		p[0] = header(i+1, len(parts))
		out[i] = bot.Message{Blocks: p}
	}
	return out
}

// packSlack is what an item may add when it joins a part: a newline, and
// numbering grown from "1. " to "100. ".
const packSlack = 3

// pack fills parts with units in order, starting a new part when the next
// unit does not fit; tail goes in the last part. With exact it measures
// each candidate part whole; otherwise it adds up the units' estimated
// sizes.
func pack(units [][]bot.Block, sizes []int, first, tail []bot.Block, head bot.Block, lim Limits, exact bool) [][]bot.Block {
	measure := func(blocks []bot.Block) int { return lim.Measure(bot.Message{Blocks: blocks}) }
	var parts [][]bot.Block
	cur := append([]bot.Block{}, first...)
	size := measure(cur)
	hasItems := false
	fits := func(add []bot.Block, estimate int) (bool, int) {
		n := size + estimate
		if exact {
			n = measure(append(append([]bot.Block{}, cur...), add...))
		}
		return n <= lim.MaxLength, n
	}
	for i, u := range units {
		if ok, n := fits(u, sizes[i]); ok {
			cur, size, hasItems = append(cur, u...), n, true
			continue
		}
		if hasItems {
			parts = append(parts, cur)
			cur = []bot.Block{head}
		}
		cur = append(cur, shrink(u, lim)...)
		size, hasItems = measure(cur), true
	}
	if ok, _ := fits(tail, measure(tail)+packSlack*len(tail)); ok {
		cur = append(cur, tail...)
	} else {
		parts = append(parts, cur)
		cur = append([]bot.Block{head}, tail...)
	}
	return append(parts, cur)
}

// shrink cuts the text of an item that alone is longer than a message,
// which capped leads make all but impossible; the link survives.
func shrink(u []bot.Block, lim Limits) []bot.Block {
	for lim.Measure(bot.Message{Blocks: append([]bot.Block{{}}, u...)}) > lim.MaxLength {
		// Cut the longest plain span of the last block: the lead or title.
		// The spans may be shared with the item cache: cut a copy.
		last := &u[len(u)-1]
		last.Spans = slices.Clone(last.Spans)
		longest := -1
		for i, s := range last.Spans {
			if s.Style != bot.Link && (longest < 0 || len(s.Text) > len(last.Spans[longest].Text)) {
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

func langIndex(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

func plain(s string) bot.Span          { return bot.Span{Text: s} }
func muted(s string) bot.Span          { return bot.Span{Text: s, Style: bot.Muted} }
func para(spans ...bot.Span) bot.Block { return bot.Block{Kind: bot.Paragraph, Spans: spans} }
func heading(s string) bot.Block       { return bot.Block{Kind: bot.Heading, Spans: []bot.Span{plain(s)}} }
