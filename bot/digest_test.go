package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
)

// addTodaysNews stores, beside the sample, a morning's news: a wire
// story reported three times as it moved, and a 梧州日报 article of the
// evening before. testNow is 17:00 in Shanghai.
func addTodaysNews(t *testing.T, w *testWorld) {
	t.Helper()
	news := []struct {
		title, body, tag string
		ago              time.Duration
	}{
		{"北向资金净流入超20亿", "截至午间，北向资金净流入超20亿元，沪股通贡献过半。", "东财滚动新闻", 3 * time.Hour},
		{"北向资金净流入超30亿元", "北向资金午后加速流入，净买入额超过30亿元。", "东财滚动新闻", 2 * time.Hour},
		{"北向资金净流入超50亿", "数据显示，截至收盘北向资金净流入超50亿元，创近一个月新高。", "东财滚动新闻", 45 * time.Minute},
		{"西江大桥夜景灯光开启", "昨晚，西江大桥夜景灯光正式开启，吸引不少市民前往观赏。", "梧州日报新闻", 20 * time.Hour},
	}
	for i, n := range news {
		a := &articles.Article{ID: fmt.Sprint("TODAY", i), Title: n.title, Body: n.body, Tags: []string{n.tag},
			Published: testNow.Add(-n.ago), URL: fmt.Sprintf("https://finews.withounder.com/today/%d.html", i)}
		a.SetContent("", []string{n.body}, "")
		if _, err := w.store.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

// addEveningNews stores n more 梧州日报 articles, after the day's.
func addEveningNews(t *testing.T, w *testWorld, n int) {
	t.Helper()
	places := []string{"万秀区", "长洲区", "龙圩区", "苍梧县", "藤县", "岑溪市", "蒙山县"}
	for i := range n {
		body := fmt.Sprintf("第%d场社区运动会在%s举行，%d名居民参加。", i+1, places[i%len(places)], 100+i*37)
		a := &articles.Article{ID: fmt.Sprint("EVENING", i), Title: fmt.Sprintf("第%d场社区运动会开幕", i+1), Body: body,
			Tags: []string{"梧州日报新闻"}, Published: testNow.Add(time.Duration(i) * time.Minute), URL: fmt.Sprintf("https://finews.withounder.com/evening/%d.html", i)}
		a.SetContent("", []string{body}, "")
		if _, err := w.store.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
}

// A digest read on a phone: the header names 梧州日报 only over its own
// news, a story's updates come once, times read as people say them, a
// part that goes on with a group says so and goes on counting, the
// counts say what there is and what is listed, and the hint suggests a
// maximum the reader has not set. Keywords alone bring nothing, and an
// empty digest says why.
func TestADigestReadsOnAPhone(t *testing.T) {
	type script struct{ before, after []step }
	cases := map[string]script{
		"zh": {[]step{
			{in: "开始"},
			{in: "订阅 东财滚动新闻", want: []string{"已订阅：东财滚动新闻。"}},
			{in: "每日条数 200"},
			{in: "今日摘要", want: []string{
				"【今日摘要 · 2026年11月26日（1/", "共 95 篇\n", "【梧州日报新闻（2）】",
				"西江大桥夜景灯光开启 · 昨天 21:00", "【东财滚动新闻（93）】", "1. ",
				"【今日摘要 · 2026年11月26日（2/", "【东财滚动新闻（续）】",
				"北向资金净流入超50亿 · 今天 16:15（另有 2 条较早报道）"},
				notWant: []string{"北向资金净流入超30亿元 · ", "北向资金净流入超20亿 · ", "列出", "没有列出", "\n1. 北向资金净流入超50亿"}},
		}, []step{
			{in: "每日条数 10", want: []string{"每天摘要最多 10 条。"}},
			{in: "今日摘要", want: []string{"【梧州日报摘要 · 2026年11月26日】", "共 12 篇，列出 10 篇", "今天 17:00",
				"还有 2 篇没有列出：发送 更多摘要 来看；发送 每日条数 20 以后每天多看一些。"}, notWant: []string{"每日条数 10 以后"}},
			{in: "退订 梧州日报新闻 东财滚动新闻", want: []string{"已退订：梧州日报新闻、东财滚动新闻。"}},
			{in: "今日摘要", want: []string{"今天没有符合你订阅的新文章。你没有关注任何标签", "发送 订阅 梧州日报新闻 关注本报。"}},
			{in: "关键词 添加 西江", want: []string{"已添加关键词：西江。"}},
			{in: "今日摘要", want: []string{"今天没有符合你订阅的新文章。你只设了关键词，没有关注标签", "单靠关键词不会带来文章"}},
		}},
		"en": {[]step{
			{in: "/start"},
			{in: "/sub 东财滚动新闻", want: []string{"Subscribed to: 东财滚动新闻 (Eastmoney news flashes)."}},
			{in: "/max 200"},
			{in: "/digest", want: []string{
				"【Today's digest · 26 Nov 2026 (1/", "95 articles\n", "【梧州日报新闻 (2)】",
				"西江大桥夜景灯光开启 · yesterday 21:00", "【东财滚动新闻 (93)】",
				"【Today's digest · 26 Nov 2026 (2/", "【东财滚动新闻 (continued)】",
				"北向资金净流入超50亿 · today 16:15 (+2 earlier)"},
				notWant: []string{"北向资金净流入超30亿元 · ", "listed", "\n1. 北向资金净流入超50亿"}},
		}, []step{
			{in: "/max 10", want: []string{"At most 10 items per digest."}},
			{in: "/digest", want: []string{"【Wuzhou Daily digest · 26 Nov 2026】", "12 articles, 10 listed", "today 17:00",
				"2 more not listed: send /moredigest to see them, or /max 20 to get more every day."}, notWant: []string{"/max 10 to"}},
			{in: "/unsub 梧州日报新闻 东财滚动新闻"},
			{in: "/digest", want: []string{"no new articles match", "You follow no tags", "/sub 梧州日报新闻"}},
			{in: "/kw add 西江"},
			{in: "/digest", want: []string{"no new articles match", "You have keywords but follow no tags"}},
		}},
	}
	for lang, c := range cases {
		t.Run(lang, func(t *testing.T) {
			w := newTestWorld(t)
			addTodaysNews(t, w)
			mk := func(text string) chat.Update { u := private(text); u.LangHint = lang; return u }
			runScript(t, w, mk, c.before)
			addEveningNews(t, w, 12)
			runScript(t, w, mk, c.after)
		})
	}
}

// A part that goes on with a group goes on counting where the part before
// stopped.
func TestADigestPartGoesOnCounting(t *testing.T) {
	w := newTestWorld(t)
	addTodaysNews(t, w)
	ctx := context.Background()
	w.b.Handle(ctx, private("开始"))
	w.b.Handle(ctx, private("订阅 东财滚动新闻"))
	before := len(w.sent.to(me))
	w.b.Handle(ctx, private("今日摘要"))
	parts := w.sent.to(me)[before:]
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	last := 0
	for _, line := range strings.Split(parts[0], "\n") {
		fmt.Sscanf(line, "%d. ", &last)
	}
	_, rest, _ := strings.Cut(parts[1], "【东财滚动新闻（续）】\n")
	if last < 2 || !strings.HasPrefix(rest, fmt.Sprintf("%d. ", last+1)) {
		t.Errorf("part 1 ends at item %d; part 2 goes on with %.40q", last, rest)
	}
}

// TestTheDigestsMoreIsAWord: on a platform without buttons, a digest's
// items are numbered, so its "more" is a word to type, never a number;
// typing it again goes on from the page before.
func TestTheDigestsMoreIsAWord(t *testing.T) {
	w := newTestWorld(t)
	runScript(t, w, private, []step{
		{in: "订阅 东财滚动新闻", want: []string{"已订阅"}},
		{in: "每日条数 5", want: []string{"每天摘要最多 5 条。"}},
		{in: "今日摘要", want: []string{"列出 5 篇", "发送 更多摘要 来看"}},
		{in: "更多摘要", want: []string{"【摘要中没有列出的文章（1–10 / "}},
		{in: "更多摘要", want: []string{"【摘要中没有列出的文章（11–20 / "}},
	})
	ctx := context.Background()
	for _, m := range w.b.Handle(ctx, private("更多摘要")) {
		if got := chat.NumberedButtons(m); got != "" {
			t.Errorf("the digest's more is a numbered choice: %q", got)
		}
		if len(m.Buttons) == 0 || chat.Flatten(m.Buttons)[0].Word != "更多摘要" {
			t.Errorf("the more button is not the word 更多摘要: %+v", m.Buttons)
		}
	}
}

// TestMoreMeansTheNewerOfADigestAndASearch: on a platform without buttons,
// 更多 typed under a digest that came after the chat's last search goes on
// with the digest, and after a newer search with the search.
func TestMoreMeansTheNewerOfADigestAndASearch(t *testing.T) {
	now := testNow
	w := newWorldAt(t, func() time.Time { return now }, nil)
	runScript(t, w, private, []step{
		{in: "订阅 东财滚动新闻", want: []string{"已订阅"}},
		{in: "每日条数 5", want: []string{"每天摘要最多 5 条。"}},
		{in: "搜索 美元", want: []string{"【搜索「美元」共 "}},
	})
	now = now.Add(time.Hour)
	runScript(t, w, private, []step{
		{in: "今日摘要", want: []string{"列出 5 篇"}},
		{in: "更多", want: []string{"【摘要中没有列出的文章（1–10 / "}},
	})
	now = now.Add(time.Hour)
	runScript(t, w, private, []step{
		{in: "搜索 美元", want: []string{"【搜索「美元」共 "}},
		{in: "更多", want: []string{"【搜索「美元」共 ", "第 2 页"}},
	})

	en := func(text string) chat.Update { u := private(text); u.Chat.ChatID = "en"; u.LangHint = "en"; return u }
	runScript(t, w, en, []step{
		{in: "/sub 东财滚动新闻", want: []string{"Subscribed to"}},
		{in: "/max 5", want: []string{"At most 5 items per digest."}},
		{in: "/search 美元", want: []string{"Search \"美元\""}},
	})
	now = now.Add(time.Hour)
	runScript(t, w, en, []step{
		{in: "/digest", want: []string{"5"}},
		{in: "/more", want: []string{"Left out of the digest (1–10 of "}},
	})
}
