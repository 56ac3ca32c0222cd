package telegram

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
	"wzdaily/chat"
	"wzdaily/internal/faketelegram"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/net/html"
)

func TestRenderEscapesEverything(t *testing.T) {
	m := chat.Message{Blocks: []chat.Block{
		{Kind: chat.Heading, Spans: []chat.Span{{Text: "搜索 <b>&</b>", Style: chat.Bold}}},
		{Kind: chat.Item, Spans: []chat.Span{{Text: "西江 & <script>", Style: chat.Bold}, {Text: " a<b", Style: chat.Hit},
			{Text: "链接", Style: chat.Link, URL: `https://e.com/?a=1&b="x"`}}},
		{Kind: chat.Item, Spans: []chat.Span{{Text: "javascript", Style: chat.Link, URL: "javascript:alert(1)"}}},
		{Kind: chat.Paragraph, Spans: []chat.Span{{Text: "bad\xff utf8 \x00\x07 ctl", Style: chat.Muted}}},
	}}
	r := render(m)
	want := "<b>搜索 &lt;b&gt;&amp;&lt;/b&gt;</b>\n" +
		`1. <b>西江 &amp; &lt;script&gt;</b><u> a&lt;b</u><a href="https://e.com/?a=1&amp;b=&quot;x&quot;">链接</a>` + "\n" +
		"2. javascript\n" +
		"<i>bad\uFFFD utf8  ctl</i>"
	if r.HTML != want {
		t.Errorf("html:\n%s\nwant:\n%s", r.HTML, want)
	}
	if r.Visible != "搜索 <b>&</b>\n1. 西江 & <script> a<b链接\n2. javascript\nbad\uFFFD utf8  ctl" {
		t.Errorf("visible: %q", r.Visible)
	}
	checkHTML(t, r)
}

// On Telegram a hit inside a number is styled like any other: styles add
// no characters. Numbers set on items carry on across pages.
func TestRenderStylesHitsInsideNumbersAndNumbersItems(t *testing.T) {
	m := chat.Message{Blocks: []chat.Block{
		{Kind: chat.Item, Number: 6, Spans: []chat.Span{{Text: "71."}, {Text: "3", Style: chat.HitInside}, {Text: "2美元"}}},
		{Kind: chat.Item, Spans: []chat.Span{{Text: "下一条"}}},
	}}
	r := render(m)
	if r.HTML != "6. 71.<u>3</u>2美元\n7. 下一条" || r.Visible != "6. 71.32美元\n7. 下一条" {
		t.Errorf("html %q, visible %q", r.HTML, r.Visible)
	}
	checkHTML(t, r)
}

// An item's title is its link: one link over the title's spans, hits and
// all, and no address in the text Telegram counts.
func TestRenderMakesALinkedTitleOneLink(t *testing.T) {
	url := "https://finews.withounder.com/emnews/2021/12/08/202112082207020388.html"
	m := chat.Message{Blocks: []chat.Block{
		{Kind: chat.Heading, Spans: []chat.Span{{Text: "东财滚动新闻（续）"}}},
		{Kind: chat.Item, Number: 21, Spans: []chat.Span{{Text: "北向", Style: chat.Bold, URL: url}, {Text: "资金", Style: chat.Hit, URL: url},
			{Text: " · 今天 18:59", Style: chat.Muted}, {Text: "\n导语"}}},
		{Kind: chat.Item, Spans: []chat.Span{{Text: "坏链接", Style: chat.Bold, URL: "javascript:x"}}},
	}}
	r := render(m)
	want := "<b>东财滚动新闻（续）</b>\n" +
		`21. <a href="` + url + `"><b>北向</b><u>资金</u></a><i> · 今天 18:59</i>` + "\n导语\n" +
		"22. <b>坏链接</b>"
	if r.HTML != want {
		t.Errorf("html:\n%s\nwant:\n%s", r.HTML, want)
	}
	checkHTML(t, r)
	plain, ents, err := faketelegram.ParseHTML(r.HTML)
	if err != nil || plain != r.Visible {
		t.Fatalf("Telegram would refuse %q: %v (visible %q)", r.HTML, err, plain)
	}
	links := 0
	for _, e := range ents {
		if e.Type == "text_link" {
			links++
			if e.URL != url || string([]rune(plain)[e.Offset:e.Offset+e.Length]) != "北向资金" {
				t.Errorf("link %+v over %q", e, plain)
			}
		}
	}
	if links != 1 || strings.Contains(r.Visible, "https://") {
		t.Errorf("%d links; visible text %q", links, r.Visible)
	}
}

func TestLengthCountsUTF16OfTheVisibleText(t *testing.T) {
	m := chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "a😀中", Style: chat.Bold}, {Text: "x", Style: chat.Link, URL: "https://very.long/url"}}}}}
	if n := Length(m); n != 5 { // a + 😀 (2) + 中 + x
		t.Errorf("Length = %d, want 5", n)
	}
}

func TestKeyboard(t *testing.T) {
	if keyboard(nil) != nil {
		t.Error("no buttons should send no keyboard")
	}
	kb := keyboard([][]chat.Button{{{Label: "上一页", Data: "s:1:0"}, {Label: "x", Data: strings.Repeat("d", 65)}}, {{Label: "y", Data: ""}}})
	if len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 1 || *kb.InlineKeyboard[0][0].CallbackData != "s:1:0" {
		t.Errorf("keyboard %+v", kb)
	}
}

// checkHTML parses what render wrote: only its own tags, balanced, and the
// text between them is exactly the visible text.
func checkHTML(t testing.TB, r rendered) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(r.HTML))
	var open []string
	var text strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			text.WriteString(tok.Data)
		case html.StartTagToken:
			if !strings.Contains(" b i u a ", " "+tok.Data+" ") {
				t.Fatalf("tag %q in %q", tok.Data, r.HTML)
			}
			open = append(open, tok.Data)
		case html.EndTagToken:
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				t.Fatalf("unbalanced </%s> in %q", tok.Data, r.HTML)
			}
			open = open[:len(open)-1]
		default:
			t.Fatalf("unexpected token %v in %q", tt, r.HTML)
		}
	}
	if len(open) > 0 {
		t.Fatalf("unclosed %v in %q", open, r.HTML)
	}
	if text.String() != r.Visible {
		t.Fatalf("visible text %q, html text %q", r.Visible, text.String())
	}
}

func FuzzRender(f *testing.F) {
	f.Add("西江 <b>&amp;", "https://e.com/?q=<x>", 1)
	f.Add("\xff\x00<", "javascript:x", 3)
	f.Fuzz(func(t *testing.T, s, url string, style int) {
		st := chat.Style(((style % 5) + 5) % 5)
		m := chat.Message{Blocks: []chat.Block{
			{Kind: chat.Heading, Spans: []chat.Span{{Text: s, Style: st, URL: url}}},
			{Kind: chat.Item, Spans: []chat.Span{{Text: s}, {Text: s, Style: st, URL: url}}},
		}}
		r := render(m)
		if !utf8.ValidString(r.HTML) {
			t.Fatalf("invalid UTF-8 out: %q", r.HTML)
		}
		checkHTML(t, r)
	})
}

func FuzzMention(f *testing.F) {
	f.Add("İİİ @WZDAILY_bot 搜索 西江")
	f.Add("@wzdaily_bo")
	tr := &Transport{api: &tgbotapi.BotAPI{Self: tgbotapi.User{UserName: "wzdaily_bot"}}}
	f.Fuzz(func(t *testing.T, text string) {
		out := tr.stripSelf(&tgbotapi.Message{Text: text}) // must not panic
		if i := tr.mention(text); i >= 0 && len(out) >= len(text) {
			t.Fatalf("a mention at %d was not removed: %q", i, out)
		}
	})
}

func TestMentionInAnyCase(t *testing.T) {
	tr := &Transport{api: &tgbotapi.BotAPI{Self: tgbotapi.User{UserName: "wzdaily_bot"}}}
	for text, want := range map[string]string{
		"@WzDaily_Bot 搜索 西江":   "搜索 西江",
		"İİ@wzdaily_bot 订阅 工业": "İİ  订阅 工业",
		"/sub@wzdaily_bot 工业":  "/sub  工业",
		"@other_bot hi":        "@other_bot hi",
	} {
		if got := tr.stripSelf(&tgbotapi.Message{Text: text}); got != want {
			t.Errorf("%q → %q, want %q", text, got, want)
		}
	}
}
