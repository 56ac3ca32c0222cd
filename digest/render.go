package digest

import (
	"fmt"
	"time"
	"unicode/utf16"

	"wzdaily/bot"
	"wzdaily/subscribers"
)

// Limits say how long one message may be on a platform.
type Limits struct {
	MaxLength int                   // in the units Measure counts
	Measure   func(bot.Message) int // default: UTF-16 units of the plain text
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
	var units [][]bot.Block
	for _, g := range d.Groups {
		for i, a := range g.Items {
			item := bot.ArticleItem(a, nil, nil)
			if i == 0 {
				units = append(units, []bot.Block{heading(word(sub.Lang, "group", g.Tag, len(g.Items))), item})
			} else {
				units = append(units, []bot.Block{item})
			}
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
	if whole = append(whole, tail...); lim.Measure(bot.Message{Blocks: whole}) <= lim.MaxLength {
		return []bot.Message{{Blocks: whole}}
	}
	// Pack with a header of the widest form ("(99/99)"), then number.
	var parts [][]bot.Block
	cur := []bot.Block{header(99, 99), counts}
	hasItems := false
	fits := func(blocks []bot.Block) bool { return lim.Measure(bot.Message{Blocks: blocks}) <= lim.MaxLength }
	for _, u := range units {
		if next := append(append([]bot.Block{}, cur...), u...); fits(next) {
			cur, hasItems = next, true
			continue
		}
		if hasItems {
			parts = append(parts, cur)
			cur = []bot.Block{header(99, 99)}
		}
		cur, hasItems = append(cur, shrink(u, lim)...), true
	}
	if next := append(append([]bot.Block{}, cur...), tail...); fits(next) {
		cur = next
	} else {
		parts = append(parts, cur)
		cur = append([]bot.Block{header(99, 99)}, tail...)
	}
	parts = append(parts, cur)
	out := make([]bot.Message, len(parts))
	for i, p := range parts {
		p[0] = header(i+1, len(parts))
		out[i] = bot.Message{Blocks: p}
	}
	return out
}

// shrink cuts the text of an item that alone is longer than a message,
// which capped leads make all but impossible; the link survives.
func shrink(u []bot.Block, lim Limits) []bot.Block {
	for lim.Measure(bot.Message{Blocks: append([]bot.Block{{}}, u...)}) > lim.MaxLength {
		// Cut the longest plain span of the last block: the lead or title.
		last := &u[len(u)-1]
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
