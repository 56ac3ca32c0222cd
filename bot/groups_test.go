package bot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wzdaily/chat"
)

func TestGroupDigestNowIsForItsAdmins(t *testing.T) {
	for _, platform := range []string{"telegram", "wechat"} {
		t.Run(platform, func(t *testing.T) {
			w := newTestWorld(t)
			b, subs := w.b, w.subs
			digests := func() int { return int(w.engine.Composed()) }
			ctx := context.Background()
			group := chat.Key{Platform: platform, ChatID: "梧州街坊群"}
			in := func(text, lang string, admin bool) string {
				r := b.Handle(ctx, chat.Update{Chat: group, Kind: chat.Group, ChatName: "梧州街坊群", UserID: "7",
					IsAdmin: admin, Addressed: true, Text: text, LangHint: lang})
				if len(r) == 0 {
					return ""
				}
				return chat.PlainText(r[0])
			}
			if got := in("今日摘要", "", false); !strings.Contains(got, "只有群管理员") || !strings.Contains(got, "还没有订阅") {
				t.Errorf("a member's /digest in a group that has not started: %q", got)
			}
			in("开始", "", true)
			// testNow is 17:00 in Shanghai: the next digest is tomorrow's.
			got := in("今日摘要", "", false)
			for _, want := range []string{"只有群管理员可以立即获取本群的摘要", "明天 07:30（北京时间）"} {
				if !strings.Contains(got, want) {
					t.Errorf("a member's /digest: reply lacks %q: %q", want, got)
				}
			}
			if digests() != 0 {
				t.Fatalf("a member's /digest composed the group's digest")
			}
			if got := in("/digest", "", false); !strings.Contains(got, "只有群管理员") {
				t.Errorf("/digest by a member: %q", got)
			}
			if got := in("今日摘要", "", true); got != "" || digests() != 1 || len(w.sent.to(group)) != 1 ||
				!strings.Contains(w.sent.to(group)[0], "梧州日报摘要") {
				t.Errorf("the admin's /digest: reply %q, %d digests, sent %q", got, digests(), w.sent.to(group))
			}
			in("/lang en", "", true)
			got = in("/digest", "en", false)
			for _, want := range []string{"Only the group's admins can ask for the group's digest now", "tomorrow at 07:30 (Beijing time)"} {
				if !strings.Contains(got, want) {
					t.Errorf("a member's /digest in English: reply lacks %q: %q", want, got)
				}
			}
			in("/pause", "", true)
			if got := in("/digest", "en", false); !strings.Contains(got, "paused") {
				t.Errorf("a member's /digest in a paused group: %q", got)
			}
			if digests() != 1 {
				t.Errorf("%d digests composed, want only the admin's", digests())
			}
			// A private chat and a channel's own post need no admin check.
			if r := b.Handle(ctx, private("开始")); len(r) == 0 {
				t.Fatal("no answer to /start in private")
			}
			b.Handle(ctx, private("今日摘要"))
			channel := chat.Key{Platform: platform, ChatID: "-100900"}
			b.Handle(ctx, chat.Update{Chat: channel, Kind: chat.Channel, IsAdmin: true, Addressed: true, Text: "/start"})
			b.Handle(ctx, chat.Update{Chat: channel, Kind: chat.Channel, IsAdmin: true, Addressed: true, Text: "/digest"})
			if digests() != 3 {
				t.Errorf("%d digests, want 3: the private chat's and the channel's go through", digests())
			}
			if _, err := subs.Get(ctx, group); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAFailedAdminCheckIsNotANo: when the platform cannot say whether the
// sender is an admin, the reply says the check failed, and nothing changes.
func TestAFailedAdminCheckIsNotANo(t *testing.T) {
	w := newTestWorld(t)
	b, subs := w.b, w.subs
	digests := func() int { return int(w.engine.Composed()) }
	ctx := context.Background()
	asked := 0
	answer := func(admin bool, err error) func(context.Context) (bool, error) {
		return func(context.Context) (bool, error) { asked++; return admin, err }
	}
	in := func(text, callback, lang string, ask func(context.Context) (bool, error)) string {
		r := b.Handle(ctx, chat.Update{Chat: group, Kind: chat.Group, ChatName: "梧州街坊群", UserID: "7",
			Addressed: true, Text: text, Callback: callback, LangHint: lang, AskAdmin: ask})
		if len(r) == 0 {
			return ""
		}
		return chat.PlainText(r[0])
	}
	if got := in("/start", "", "", answer(true, nil)); !strings.Contains(got, "欢迎") {
		t.Fatalf("an admin's /start: %q", got)
	}
	failing := answer(false, errors.New("telegram: getChatMember: Internal Server Error"))
	for _, tc := range []struct{ text, callback string }{{"订阅 工业", ""}, {"/digest", ""}, {"/stop", ""}, {"", "tag:工业"}} {
		got := in(tc.text, tc.callback, "", failing)
		if !strings.Contains(got, "暂时无法确认你是不是本群的管理员") || strings.Contains(got, "只有群管理员") {
			t.Errorf("%q%q with a failing check: %q", tc.text, tc.callback, got)
		}
	}
	// The reply is in the chat's language.
	in("/lang en", "", "", answer(true, nil))
	if got := in("/sub 工业", "", "", failing); !strings.Contains(got, "could not check") {
		t.Errorf("English: %q", got)
	}
	in("/lang zh", "", "", answer(true, nil))
	sub, err := subs.Get(ctx, group)
	if err != nil || strings.Join(sub.Tags, ",") != "梧州日报新闻" || digests() != 0 {
		t.Fatalf("a failed check changed the group: %+v, %v, %d digests", sub, err, digests())
	}
	if got := in("订阅 工业", "", "", answer(false, nil)); !strings.Contains(got, "只有群管理员") {
		t.Errorf("a member's /sub: %q", got)
	}
	if got := in("订阅 工业", "", "", answer(true, nil)); !strings.Contains(got, "已订阅") {
		t.Errorf("an admin's /sub: %q", got)
	}
	asked = 0
	if got := in("搜索 美元", "", "", failing); !strings.Contains(got, "「美元」") || asked != 0 {
		t.Errorf("a search asked about admins %d times: %q", asked, got)
	}
}
