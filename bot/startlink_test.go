package bot

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

// TestEveryTopicHasAStartCode holds the code table to Telegram's rule, to
// the topic table and to the README's list of links.
func TestEveryTopicHasAStartCode(t *testing.T) {
	codes, tags := map[string]bool{}, map[string]bool{}
	for _, sc := range StartCodes {
		if !validStartCode(sc.Code) {
			t.Errorf("%s: %q is not a start code (1-64 of A-Z a-z 0-9 _ -)", sc.Tag, sc.Code)
		}
		if codes[strings.ToLower(sc.Code)] || tags[sc.Tag] {
			t.Errorf("%s (%s) is in the table twice", sc.Tag, sc.Code)
		}
		codes[strings.ToLower(sc.Code)], tags[sc.Tag] = true, true
	}
	for _, topic := range append(articles.DefaultTopics().Names(), subscribers.DefaultTag) {
		if !tags[topic] {
			t.Errorf("the tag %s has no start code: add one to StartCodes and to README.md", topic)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range StartCodes {
		if row := "| " + sc.Tag + " | `" + sc.Code + "` |"; !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
}

func TestValidStartCode(t *testing.T) {
	for s, want := range map[string]bool{
		"gongye": true, "paper_site-2026": true, "A": true, strings.Repeat("a", 64): true,
		"": false, strings.Repeat("a", 65): false, "工业": false, "a b": false, "a+b": false, "a=b": false, "<x>": false,
	} {
		if got := validStartCode(s); got != want {
			t.Errorf("validStartCode(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestStartWithALinksCode: a link's code that names a tag follows it at
// once; any other start code is kept as the reader's referral, only when
// it brings a new reader; an argument that is neither is explained.
func TestStartWithALinksCode(t *testing.T) {
	for _, lang := range []struct {
		hint                                        string
		welcome, follows, back, subscribed, already string
		unknown, suggest, tooMany                   string
	}{
		{"zh", "欢迎使用", "你现在关注：梧州日报新闻、工业。", "欢迎回来", "已订阅：交通。", "已经订阅过：交通。",
			"没有这个标签：工艺。", "你是不是想找：工业？", "开始 不需要这么多参数。例如：开始"},
		{"en", "Welcome to the Wuzhou Daily digest bot", "You follow: 梧州日报新闻 (Wuzhou Daily news), 工业 (industry).", "Welcome back",
			"Subscribed to: 交通 (transport).", "Already following: 交通 (transport).", "There is no tag 工艺.", "Did you mean: 工业 (industry)?",
			"/start takes fewer arguments. Example: /start"},
	} {
		t.Run(lang.hint, func(t *testing.T) {
			w := newTestWorld(t)
			as := func(id string) func(string) chat.Update {
				return func(text string) chat.Update {
					return chat.Update{Chat: chat.Key{Platform: "telegram", ChatID: id}, Kind: chat.Private, UserID: id, Text: text, LangHint: lang.hint}
				}
			}
			runScript(t, w, as("1"), []step{
				{in: "/start gongye", want: []string{lang.welcome, lang.follows}},
				{in: "/start JiaoTong", want: []string{lang.back, lang.subscribed}},
				{in: "/start jiaotong", want: []string{lang.back, lang.already}},
				{in: "/start 工艺", want: []string{lang.back, lang.unknown, lang.suggest}},
				{in: "/start paper_site", want: []string{lang.back}},
				{in: "/start a b", want: []string{lang.tooMany}},
			})
			runScript(t, w, as("2"), []step{{in: "/start paper_site", want: []string{lang.welcome}, notWant: []string{"paper_site"}}})
			runScript(t, w, as("3"), []step{{in: "开始 paper_site", want: []string{lang.welcome}}})
			runScript(t, w, as("4"), []step{{in: "/start 工业", want: []string{lang.welcome, lang.follows}}})

			ctx := context.Background()
			tagsOf := func(id string) []string {
				sub, err := w.subs.Get(ctx, chat.Key{Platform: "telegram", ChatID: id})
				if err != nil {
					t.Fatal(err)
				}
				return sub.Tags
			}
			if got := tagsOf("1"); !slices.Equal(got, []string{"梧州日报新闻", "工业", "交通"}) {
				t.Errorf("tags followed by links: %q", got)
			}
			refs, err := w.subs.Referrals(ctx, 10)
			if err != nil || len(refs) != 1 || refs[0] != (subscribers.Referral{Code: "paper_site", Chats: 2}) {
				t.Errorf("referrals %+v, %v; want paper_site for the two readers it brought", refs, err)
			}
		})
	}
}

// TestStatsCountReferralsAndListTheLinks: /stats counts the chats each
// link brought and, where the platform has links, lists each tag's.
func TestStatsCountReferralsAndListTheLinks(t *testing.T) {
	for _, lang := range []struct{ hint, refs, links string }{
		{"zh", "从链接来的订阅者：site 2, channel 1", "【订阅链接（点开即关注该标签）】"},
		{"en", "Subscribers by the link they came by: site 2, channel 1", "【Links that follow a tag】"},
	} {
		t.Run(lang.hint, func(t *testing.T) {
			w := newTestWorld(t)
			ctx := context.Background()
			for i, code := range []string{"site", "channel", "site", "gongye"} {
				id := string(rune('a' + i))
				w.b.Handle(ctx, chat.Update{Chat: chat.Key{Platform: "telegram", ChatID: id}, Kind: chat.Private, UserID: id, Text: "/start " + code})
			}
			admin := func(text string) chat.Update {
				return chat.Update{Chat: me, Kind: chat.Private, UserID: "admin", Text: text, LangHint: lang.hint}
			}
			runScript(t, w, admin, []step{{in: "/stats", want: []string{lang.refs}, notWant: []string{"gongye", lang.links}}})

			w.b.opts.StartLink = func(code string) string { return "https://t.me/wzbot?start=" + code }
			runScript(t, w, admin, []step{{in: "/stats", want: []string{lang.refs, lang.links,
				"梧州日报新闻 https://t.me/wzbot?start=wuzhouribao", "工业 https://t.me/wzbot?start=gongye", "天气 https://t.me/wzbot?start=tianqi"}}})
			w.b.opts.StartLink = func(string) string { return "" }
			runScript(t, w, admin, []step{{in: "/stats", notWant: []string{lang.links}}})
		})
	}
}
