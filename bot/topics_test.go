package bot

import (
	"context"
	"testing"

	"wzdaily/chat"
)

// inTopic is an admin's message in a forum group's topic ("" for General).
func inTopic(thread, lang string) func(string) chat.Update {
	return func(text string) chat.Update {
		return chat.Update{Chat: group, Kind: chat.Group, ChatName: "梧州读者", UserID: "7", IsAdmin: true, Addressed: true,
			Text: text, Thread: thread, LangHint: lang}
	}
}

// threadOf is the group's digest topic as stored.
func threadOf(t *testing.T, w *testWorld) string {
	t.Helper()
	sub, err := w.subs.Get(context.Background(), group)
	if err != nil {
		t.Fatal(err)
	}
	return sub.Thread
}

// TestDigestsGoToTheTopicTheGroupStartedIn: an admin of a forum group who
// starts the bot in a topic gets the digests there; starting again in
// General brings them back; changing the subscription from elsewhere does
// not move them.
func TestDigestsGoToTheTopicTheGroupStartedIn(t *testing.T) {
	for _, lang := range []struct {
		hint                     string
		welcome, here, back, gen string
		elsewhere                string
	}{
		{"zh", "欢迎使用", "每天的摘要会发到这个话题。", "欢迎回来", "每天的摘要改发到 General 话题。", "摘要已发到本群接收摘要的话题"},
		{"en", "Welcome to the Wuzhou Daily digest bot", "Daily digests will come to this topic.", "Welcome back",
			"Daily digests now come to the General topic.", "The digest went to the topic where the group gets its digests"},
	} {
		t.Run(lang.hint, func(t *testing.T) {
			w := newTestWorld(t)
			runScript(t, w, inTopic("42", lang.hint), []step{{in: "/start", want: []string{lang.welcome, lang.here}}})
			if got := threadOf(t, w); got != "42" {
				t.Fatalf("digest topic %q after /start in topic 42", got)
			}
			runScript(t, w, inTopic("57", lang.hint), []step{
				{in: "/sub 工业", notWant: []string{lang.here, lang.gen}},
				// Asked for elsewhere, the digest goes to its topic, and the
				// admin is told where.
				{in: "/digest", want: []string{lang.elsewhere}},
			})
			if got := threadOf(t, w); got != "42" {
				t.Errorf("/sub in another topic moved the digests to %q", got)
			}
			runScript(t, w, inTopic("42", lang.hint), []step{{in: "/digest", notWant: []string{lang.elsewhere}}})
			runScript(t, w, inTopic("", lang.hint), []step{{in: "/start", want: []string{lang.back, lang.gen}, notWant: []string{lang.here}}})
			if got := threadOf(t, w); got != "" {
				t.Errorf("digest topic %q after /start in General", got)
			}
			// Started in General, nothing is said of topics.
			runScript(t, w, inTopic("", lang.hint), []step{{in: "/start", want: []string{lang.back}, notWant: []string{lang.here, lang.gen}}})
		})
	}
}

func TestAGroupFirstSubscribedInATopicGetsItsDigestsThere(t *testing.T) {
	w := newTestWorld(t)
	runScript(t, w, inTopic("9", "zh"), []step{{in: "订阅 工业", want: []string{"已订阅：工业。"}}})
	if got := threadOf(t, w); got != "9" {
		t.Errorf("digest topic %q, want the topic of the first 订阅, 9", got)
	}
}

func TestThreadGoneSendsDigestsToGeneral(t *testing.T) {
	w := newTestWorld(t)
	ctx := context.Background()
	runScript(t, w, inTopic("42", "zh"), []step{{in: "/start", want: []string{"这个话题"}}})
	if err := w.b.ThreadGone(ctx, group, "41"); err != nil || threadOf(t, w) != "42" {
		t.Fatalf("another topic gone (%v) changed the digest topic to %q", err, threadOf(t, w))
	}
	if err := w.b.ThreadGone(ctx, group, "42"); err != nil || threadOf(t, w) != "" {
		t.Errorf("the digest topic gone (%v): still %q", err, threadOf(t, w))
	}
	if err := w.b.ThreadGone(ctx, chat.Key{Platform: "telegram", ChatID: "-999"}, "1"); err != nil {
		t.Errorf("a chat that never subscribed: %v", err)
	}
}
