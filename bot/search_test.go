package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
)

func TestSearchConversationInChinese(t *testing.T) {
	w := newTestWorld(t)
	runScript(t, w, private, []step{
		// Readers type no spaces: the words are found when the whole is not.
		{in: "搜索 梧州工业", want: []string{"没有找到「梧州工业」，以下是同时含有「梧州」「工业」的文章。", "【搜索「梧州 工业」共 1 条 · 第 1 页】",
			"1. 加快我市「工业」高质量发展"}, notWant: []string{"2. "}},
		{in: "梧州工业", want: []string{"以下是同时含有「梧州」「工业」的文章"}},
		{in: "搜索 梧州 工业", want: []string{"【搜索「梧州 工业」共 1 条"}, notWant: []string{"没有找到"}},
		// Results are numbered across pages; paging takes words, so no
		// number is a button.
		{in: "搜索 美元", want: []string{"【搜索「美元」共 16 条 · 第 1 页】", "1. ", "5. ", "发送 下一页（或 更多）看后面的结果。"},
			notWant: []string{"6. ", "[1]"}},
		{in: "下一页", want: []string{"【搜索「美元」共 16 条 · 第 2 页】", "6. ", "10. ", "发送 上一页 或 下一页 翻页。"},
			notWant: []string{"\n1. ", "11. ", "[1]", "[2]"}},
		{in: "更多", want: []string{"第 3 页】", "11. ", "15. "}},
		{in: "下一页", want: []string{"第 4 页】", "16. ", "这是最后一页；发送 上一页 往回翻。"}, notWant: []string{"[1]"}},
		{in: "下一页", want: []string{"没有更多结果了。"}},
		{in: "上一页", want: []string{"【搜索「美元」共 16 条 · 第 3 页】", "11. "}},
		{in: "/上一页", want: []string{"第 2 页】", "6. "}},
		{in: "上一页", want: []string{"第 1 页】", "1. "}},
		{in: "上一页", want: []string{"已经是第一页了。"}},
		// A number is text to search for, never a page.
		{in: "1", want: []string{"【搜索「1」共 73 条 · 第 1 页】"}, notWant: []string{"美元」"}},
		// A hit inside a number is not marked in plain text; a number of
		// its own is.
		{in: "搜索 32", want: []string{"71.32美元", "跌「32」%"}, notWant: []string{"71.「32」"}},
	})
}

func TestSearchConversationInEnglish(t *testing.T) {
	w := newTestWorld(t)
	mk := func(text string) chat.Update { u := private(text); u.LangHint = "en"; return u }
	runScript(t, w, mk, []step{
		{in: "/search 梧州工业", want: []string{`Nothing found for "梧州工业"; here are articles with all of "梧州", "工业".`,
			`【Search "梧州 工业": 1 found, page 1】`, "1. 加快我市「工业」高质量发展"}},
		{in: "/search 美元", want: []string{`【Search "美元": 16 found, page 1】`, "5. ", "Send /next (or /more) for the next page."},
			notWant: []string{"6. ", "[1]"}},
		{in: "/next", want: []string{"page 2】", "6. ", "10. ", "Send /prev or /next to turn the page."}, notWant: []string{"[1]"}},
		{in: "/prev", want: []string{"page 1】", "1. "}},
		{in: "/prev", want: []string{"This is the first page already."}},
		{in: "/more", want: []string{"page 2】"}},
		{in: "上一页", want: []string{"page 1】"}},
		{in: "/search 32", want: []string{"71.32美元", "跌「32」%"}, notWant: []string{"71.「32」"}},
	})
}

func TestSearchFindsTheFewExactHitsFirst(t *testing.T) {
	w := newTestWorld(t)
	// 人民币汇率 is in one article of the sample, and its words in no other:
	// nothing to say.
	runScript(t, w, private, []step{
		{in: "搜索 人民币汇率", want: []string{"【搜索「人民币汇率」共 1 条"}, notWant: []string{"没有找到", "只找到"}},
	})
	// One article says 梧州工业园 as such; the sample's 梧州日报 article has
	// both words apart. The exact one comes first.
	if _, err := w.store.Save(context.Background(), &articles.Article{ID: "park", Title: "园区新闻", Body: "梧州工业园区扩建。",
		Lead: "梧州工业园区扩建。", Published: testNow.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	runScript(t, w, private, []step{
		{in: "搜索 梧州工业", want: []string{"「梧州工业」只找到 1 篇，排在最前；其后是同时含有「梧州」「工业」的文章。",
			"【搜索「梧州 工业」共 2 条 · 第 1 页】", "1. 园区新闻", "2. 加快我市「工业」高质量发展"}},
	})
	en := func(text string) chat.Update { u := private(text); u.LangHint = "en"; return u }
	runScript(t, w, en, []step{
		{in: "/search 梧州工业", want: []string{`"梧州工业" found only 1, listed first; then articles with all of "梧州", "工业".`,
			`Search "梧州 工业": 2 found, page 1`, "1. 园区新闻"}},
	})
}

func TestSearchPagesKeepTheirTotal(t *testing.T) {
	b, _ := newTestBot(t)
	ctx := context.Background()
	first := b.Handle(ctx, private("搜索 的"))
	head := chat.PlainText(first[0])
	if !strings.Contains(head, "共 58 条") {
		t.Fatalf("first page: %s", head)
	}
	for _, btn := range chat.Flatten(first[0].Buttons) {
		if btn.Word == "" {
			t.Errorf("button %q has no word to type where buttons cannot be pressed", btn.Label)
		}
	}
	if chat.NumberedButtons(first[0]) != "" {
		t.Errorf("search pages offer numbered choices: %q", chat.NumberedButtons(first[0]))
	}
	u := private("")
	u.Callback = first[0].Buttons[0][0].Data
	second := b.Handle(ctx, u)
	if text := chat.PlainText(second[0]); !strings.Contains(text, "共 58 条 · 第 2 页") || !strings.Contains(text, "\n6. ") {
		t.Errorf("second page: %s", text)
	}
}
