package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/chat"
	"wzdaily/internal/faketelegram"
	"wzdaily/subscribers"
)

const (
	team    = int64(-1001500)
	admin   = int64(2001)
	member  = int64(2002)
	channel = int64(-1009900)
)

// TestGroupAdminsSubscribeAndDigestsKeepTheGroupLimit: only admins change
// a group's subscription, and a long digest with replies in between keeps
// the group limit (20 a minute at Telegram's, 20 in any 3 s scaled).
func TestGroupAdminsSubscribeAndDigestsKeepTheGroupLimit(t *testing.T) {
	if realLimits() && testing.Short() {
		t.Skip("sends a 20-part digest to a group at 20 a minute")
	}
	t.Parallel()
	limits := testLimits()
	w := newWorld(t, worldOptions{})
	w.fake.AddGroup(faketelegram.Chat{ID: team, Type: faketelegram.ChatSupergroup, Title: "梧州街坊"})
	w.fake.SetMember(team, admin, faketelegram.StatusAdministrator)
	w.fake.SetMember(team, member, faketelegram.StatusMember)
	bot := "@" + w.tg.Username()

	if got := w.say(t, team, admin, "/sub"+bot+" 东财滚动新闻"); !strings.Contains(got.Plain, "已订阅") {
		t.Fatalf("admin /sub: %q", got.Plain)
	}
	if got := w.say(t, team, member, "/unsub"+bot+" 东财滚动新闻"); !strings.Contains(got.Plain, "只有群管理员") {
		t.Fatalf("member /unsub: %q", got.Plain)
	}
	// Anyone may search; a message not for the bot gets no answer.
	if got := w.say(t, team, member, bot+" 搜索 西江"); !strings.Contains(got.Plain, "西江") {
		t.Fatalf("member search: %q", got.Plain)
	}
	quiet := len(w.fake.Sent(team))
	w.fake.UserSays(team, member, "大家早上好")
	w.fake.UserSays(team, member, "/sub@other_bot 工业")
	w.say(t, team, admin, "/max"+bot+" 200")
	if got := w.fake.Sent(team); len(got) != quiet+1 {
		t.Errorf("the bot answered messages not for it: %d new messages", len(got)-quiet)
	}
	if n := len(w.fake.CallsTo("getChatMember")); n > 2 {
		t.Errorf("%d getChatMember calls for two people: the answers are not cached", n)
	}
	sub, err := w.subs.Get(context.Background(), key(team))
	if err != nil || len(sub.Tags) != 2 || sub.MaxItems != 200 {
		t.Fatalf("group subscription: %+v, %v", sub, err)
	}

	// Enough news for a long digest: each item different, or they would
	// be one story.
	for i := range 200 {
		lead := fmt.Sprintf("今日财经要闻第%d条：", i) + strings.Repeat(fmt.Sprintf("%d号板块走势平稳，成交%d亿元。", i*7919%1000, i*31%97), 5)
		a := &articles.Article{ID: fmt.Sprint("DC", i), Title: fmt.Sprintf("滚动新闻第%d条", i),
			Body: lead, Lead: lead, Published: at(6, 0).Add(time.Duration(i) * time.Second),
			URL: fmt.Sprintf("https://finews.withounder.com/dc/%d.html", i), Tags: []string{"东财滚动新闻"}}
		if _, err := w.articles.Save(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	before := len(w.fake.Sent(team))
	rep := w.morning(t, 7, 30)
	if rep.Parts < 5 {
		t.Fatalf("want a long digest, got %+v", rep)
	}
	// While it goes out, the group keeps asking: more than the limit's
	// messages are due within its span, and all must wait their turn.
	asks := limits.GroupPerSpan
	for range asks {
		w.fake.UserSays(team, member, bot+" 搜索 西江")
	}
	parts := w.waitSentWithin(t, team, before+rep.Parts+asks, 30*time.Second+3*limits.GroupSpan)[before:]
	if n := len(parts); n <= limits.GroupPerSpan {
		t.Fatalf("only %d messages: the limit was not put to the test", n)
	}
	if first, last := parts[0].Time, parts[len(parts)-1].Time; last.Sub(first) < limits.GroupSpan {
		t.Errorf("%d messages in %s", len(parts), last.Sub(first))
	}
	// At most GroupPerSpan messages in any GroupSpan, replies included.
	for i := range parts {
		n := 0
		for j := i; j < len(parts) && parts[j].Time.Sub(parts[i].Time) < limits.GroupSpan; j++ {
			n++
		}
		if n > limits.GroupPerSpan {
			t.Fatalf("%d messages to the group within %s from message %d", n, limits.GroupSpan, i+1)
		}
	}
	if r := w.fake.Rejections(); len(r) != 0 {
		t.Errorf("the fake refused %d sends, first %+v", len(r), r[0])
	}
}

func TestChannelConfiguredByItsAdmin(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.fake.AddGroup(faketelegram.Chat{ID: channel, Type: faketelegram.ChatChannel, Title: "梧州早报频道"})
	w.fake.ChannelPost(channel, "今天的新闻很多") // the channel's own post: not for the bot
	w.fake.ChannelPost(channel, "/sub 工业")
	got := w.waitSent(t, channel, 1)[0]
	if !strings.Contains(got.Plain, "已订阅") {
		t.Fatalf("/sub in the channel: %q", got.Plain)
	}
	if n := len(w.fake.Sent(channel)); n != 1 {
		t.Errorf("%d bot posts in the channel, want only the answer to /sub", n)
	}
	sub, err := w.subs.Get(context.Background(), key(channel))
	if err != nil || sub.Kind != chat.Channel {
		t.Fatalf("channel subscriber %+v, %v", sub, err)
	}
	rep := w.morning(t, 7, 30)
	w.waitSent(t, channel, 1+rep.Parts)

	// The bot loses its admin rights: the channel is left.
	w.fake.ChatMemberChanged(channel, admin, faketelegram.StatusAdministrator, faketelegram.StatusLeft)
	waitFor(t, func() bool {
		s, err := w.subs.Get(context.Background(), key(channel))
		return err == nil && s.State == subscribers.Left
	})
}

func TestGroupUpgradedToSupergroupIsFollowed(t *testing.T) {
	t.Parallel()
	const old, super = int64(-4001), int64(-1004001)
	w := newWorld(t, worldOptions{})
	w.fake.AddGroup(faketelegram.Chat{ID: old, Type: faketelegram.ChatGroup, Title: "小群"})
	w.fake.SetMember(old, admin, faketelegram.StatusCreator)
	w.say(t, old, admin, "/start@"+w.tg.Username())
	w.fake.Migrate(old, super)
	rep := w.morning(t, 7, 30)
	w.waitSent(t, super, rep.Parts)
	if _, err := w.subs.Get(context.Background(), key(super)); err != nil {
		t.Errorf("the subscriber did not move to the supergroup: %v", err)
	}
}

func TestInlineQuery(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	w.fake.AddUser(faketelegram.User{ID: reader, FirstName: "小梧"})
	id := w.fake.InlineQuery(reader, "西江", "")
	var ans faketelegram.Answer
	waitFor(t, func() bool {
		for _, a := range w.fake.Answers() {
			if a.QueryID == id {
				ans = a
				return true
			}
		}
		return false
	})
	if len(ans.Results) < 10 {
		t.Fatalf("%d inline results for 西江", len(ans.Results))
	}
	for _, r := range ans.Results {
		if r.Type != "article" || !strings.Contains(r.Title+r.Plain, "西江") || r.ParseMode != "HTML" {
			t.Errorf("result %+v", r)
		}
	}
	// Hostile queries are answered (with nothing), never refused.
	for _, q := range []string{"\") OR 1=1 --", strings.Repeat("西", 300), "NEAR(a b)"} {
		qid := w.fake.InlineQuery(reader, q, "")
		waitFor(t, func() bool {
			for _, a := range w.fake.Answers() {
				if a.QueryID == qid {
					return true
				}
			}
			return false
		})
	}
}
