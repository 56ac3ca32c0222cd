package telegram_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"wzdaily/internal/faketelegram"
)

// TestADeepLinkFollowsItsTagOrKeepsItsReferral: a reader who opens
// t.me/<bot>?start=gongye presses Start and Telegram sends "/start gongye":
// the bot starts and follows 工业; another link's code is counted in
// /stats, which lists each tag's link with the bot's own name.
func TestADeepLinkFollowsItsTagOrKeepsItsReferral(t *testing.T) {
	t.Parallel()
	const operator = int64(900)
	w := newWorld(t, worldOptions{admins: []string{"telegram:900"}})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})

	got := w.say(t, reader, reader, "/start gongye")
	if !strings.Contains(got.Plain, "欢迎使用") || !strings.Contains(got.Plain, "工业") || strings.Contains(got.Plain, "不需要这么多参数") {
		t.Fatalf("/start gongye: %q", got.Plain)
	}
	sub, err := w.subs.Get(context.Background(), key(reader))
	if err != nil || !slices.Contains(sub.Tags, "工业") || sub.Referral != "" {
		t.Fatalf("after /start gongye: %+v, %v", sub, err)
	}
	if got := w.say(t, 1002, 1002, "/start paper_site"); !strings.Contains(got.Plain, "欢迎使用") {
		t.Fatalf("/start paper_site: %q", got.Plain)
	}
	stats := w.say(t, operator, operator, "/stats")
	for _, want := range []string{"从链接来的订阅者：paper_site 1", "工业 https://t.me/" + w.tg.Username() + "?start=gongye"} {
		if !strings.Contains(stats.Plain, want) {
			t.Errorf("/stats lacks %q:\n%s", want, stats.Plain)
		}
	}
	if r := w.fake.Rejections(); len(r) != 0 {
		t.Errorf("the fake refused %+v", r)
	}
}
