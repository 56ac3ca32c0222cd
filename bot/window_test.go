package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/clocktest"
)

// A reader on a platform with a conversation window, silent for three
// days: their digest is held; when they write, it comes first, merged,
// then the answer; a bare 1 is the reply that keeps the window open.
func TestAReaderWhoWritesGetsHeldDigestsFirst(t *testing.T) {
	clock := clocktest.NewManual(testNow)
	w := newWorldAt(t, clock.Now, map[string]*digest.Window{"oa": {Span: 48 * time.Hour, Messages: 20}})
	ctx := context.Background()
	reader := chat.Key{Platform: "oa", ChatID: "r1"}
	say := func(text string) string {
		t.Helper()
		var out []string
		for _, m := range w.b.Handle(ctx, chat.Update{Chat: reader, Kind: chat.Private, UserID: "r1", Text: text}) {
			out = append(out, chat.PlainText(m))
		}
		return strings.Join(out, "\n")
	}
	say("开始")
	say("订阅 东财滚动新闻")
	say("每日条数 200")
	clock.Advance(72 * time.Hour)
	if rep, err := w.engine.RunDue(ctx); err != nil || rep.Digests != 1 || rep.Parts < 2 {
		t.Fatalf("the morning: %+v %v", rep, err)
	}
	sub, err := w.subs.Get(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.b.opts.Delivery.Flush(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	if got := w.sent.to(reader); len(got) != 0 {
		t.Fatalf("sent to a closed window: %q", got)
	}
	admin := chat.Update{Chat: chat.Key{Platform: "telegram", ChatID: "1"}, Kind: chat.Private, UserID: "admin", Text: "/stats"}
	stats := chat.PlainText(w.b.Handle(ctx, admin)[0])
	if !strings.Contains(stats, "等读者回复：") || !strings.Contains(stats, "对话窗口（oa）：开着 0 个，已关闭 1 个；") {
		t.Errorf("stats:\n%s", stats)
	}

	// The platform says the window is still closed when the reader asks
	// for their settings: the release is held again, and they are told.
	w.sent.setClosed(true)
	if got := say("我的订阅"); !strings.Contains(got, "1 份摘要等你回复后发送") || !strings.Contains(got, "对话窗口：已关闭") {
		t.Errorf("/list while held:\n%s", got)
	}
	w.sent.setClosed(false)

	// The next message gets the held digest first, then the answer.
	answer := say("搜索 美元")
	got := w.sent.to(reader)
	if len(got) < 2 || !strings.HasPrefix(got[0], "【你有 1 天的摘要未读（1/") {
		t.Fatalf("before the answer the reader got:\n%s", strings.Join(got, "\n----\n"))
	}
	if last := got[len(got)-1]; !strings.Contains(last, "回复「1」明天继续收到摘要") {
		t.Errorf("the release's last part does not invite the reply:\n%s", last)
	}
	if !strings.Contains(answer, "【搜索「美元」") {
		t.Errorf("the answer: %s", answer)
	}
	n := len(got)
	if got := say("1"); !strings.Contains(got, "好的，下一份摘要在明天 07:30（北京时间）送到。") {
		t.Errorf("the keep-window reply: %q", got)
	}
	list := say("/list")
	if !strings.Contains(list, "对话窗口：到12月1日 17:00为止可以给你发摘要，还能发 20 条") {
		t.Errorf("/list with the window open:\n%s", list)
	}
	if strings.Contains(list, "份摘要等你回复后发送") {
		t.Errorf("/list says digests wait after they came:\n%s", list)
	}
	if len(w.sent.to(reader)) != n {
		t.Errorf("writing again sent the release again")
	}
	// Elsewhere a 1 is what it always was: something to search.
	if got := chat.PlainText(w.b.Handle(ctx, private("开始"))[0]); got == "" {
		t.Fatal("no welcome")
	}
	if got := chat.PlainText(w.b.Handle(ctx, private("1"))[0]); strings.Contains(got, "下一份摘要") {
		t.Errorf("a 1 on a platform without a window: %q", got)
	}
}
