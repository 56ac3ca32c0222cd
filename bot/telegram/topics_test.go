package telegram_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"wzdaily/internal/faketelegram"
	"wzdaily/internal/logtest"
)

const forum = int64(-1001777)

// newForum adds a forum group with an admin and a member, and its topics.
func newForum(w *world, topics ...string) []int {
	w.fake.AddGroup(faketelegram.Chat{ID: forum, Type: faketelegram.ChatSupergroup, Title: "梧州读者", IsForum: true})
	w.fake.SetMember(forum, admin, faketelegram.StatusAdministrator)
	w.fake.SetMember(forum, member, faketelegram.StatusMember)
	var ids []int
	for _, name := range topics {
		ids = append(ids, w.fake.CreateTopic(forum, name))
	}
	return ids
}

// sayIn is say in a forum topic (0: General).
func (w *world) sayIn(t *testing.T, chatID int64, thread int, from int64, text string) faketelegram.Sent {
	t.Helper()
	n := len(w.fake.Sent(chatID))
	w.fake.UserSaysInTopic(chatID, thread, from, text)
	return w.waitSent(t, chatID, n+1)[n]
}

// TestAForumGroupIsAnsweredInItsTopics: in a group with topics, each
// answer goes to the topic its command came from, a button's answer to
// the topic of its message, and the digests to the topic the group was
// started in.
func TestAForumGroupIsAnsweredInItsTopics(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{})
	topics := newForum(w, "新闻", "闲聊")
	news, chatter := topics[0], topics[1]
	bot := "@" + w.tg.Username()

	if got := w.sayIn(t, forum, news, admin, "/start"+bot); got.Thread != news || !strings.Contains(got.Plain, "每天的摘要会发到这个话题") {
		t.Fatalf("/start in topic %d: %q in topic %d", news, got.Plain, got.Thread)
	}
	res := w.sayIn(t, forum, chatter, member, "/search"+bot+" 西江")
	if res.Thread != chatter || res.Markup == nil {
		t.Fatalf("a search in topic %d: answered in topic %d, buttons %+v", chatter, res.Thread, res.Markup)
	}
	row := res.Markup.InlineKeyboard[0]
	w.fake.Press(forum, res.ID, member, row[len(row)-1].CallbackData)
	waitFor(t, func() bool { return editsOf(w.fake.Sent(forum), res.ID) == 1 })
	if got := w.sayIn(t, forum, 0, member, "/help"+bot); got.Thread != 0 {
		t.Errorf("/help in General answered in topic %d", got.Thread)
	}
	if got := w.sayIn(t, forum, chatter, admin, "/max"+bot+" 1"); got.Thread != chatter {
		t.Errorf("/max in topic %d answered in topic %d", chatter, got.Thread)
	}

	before := len(w.fake.Sent(forum))
	rep := w.morning(t, 7, 30)
	if rep.Digests != 1 {
		t.Fatalf("at 07:30: %+v", rep)
	}
	parts := w.waitSent(t, forum, before+rep.Parts)[before:]
	for i, p := range parts {
		if p.Thread != news {
			t.Errorf("digest part %d went to topic %d, want %d where the group started", i+1, p.Thread, news)
		}
	}
	// The digest's 更多 button: the list comes in the digest's topic.
	last := parts[len(parts)-1]
	if last.Markup == nil {
		t.Fatalf("no 更多 button under %q", last.Plain)
	}
	n := len(w.fake.Sent(forum))
	w.fake.Press(forum, last.ID, member, last.Markup.InlineKeyboard[0][0].CallbackData)
	if more := w.waitSent(t, forum, n+1)[n]; more.Thread != news || !strings.Contains(more.Plain, "摘要中没有列出的文章") {
		t.Errorf("更多 answered in topic %d: %q", more.Thread, more.Plain)
	}
	if r := w.fake.Rejections(); len(r) != 0 {
		t.Errorf("the fake refused %d sends, first %+v", len(r), r[0])
	}
}

// TestAReplyThreadIsNoTopic: a reply in a plain supergroup carries a
// message_thread_id (the reply thread's) without is_topic_message; a send
// naming it would be refused, so the answer names none.
func TestAReplyThreadIsNoTopic(t *testing.T) {
	t.Parallel()
	w := newWorld(t, worldOptions{noRun: true})
	w.fake.AddGroup(faketelegram.Chat{ID: team, Type: faketelegram.ChatSupergroup, Title: "梧州街坊"})
	hook := httptest.NewServer(w.tg.WebhookHandler(t.Context(), "/", testSecret))
	defer hook.Close()
	body := `{"update_id":902,"message":{"message_id":12,"message_thread_id":5,"date":1700000000,
		"from":{"id":2002,"is_bot":false,"first_name":"街坊"},"chat":{"id":-1001500,"type":"supergroup","title":"梧州街坊"},
		"reply_to_message":{"message_id":5,"date":1700000000,"chat":{"id":-1001500,"type":"supergroup","title":"梧州街坊"},"text":"早"},
		"text":"/help@wzdaily_bot","entities":[{"type":"bot_command","offset":0,"length":17}]}}`
	if resp, err := postUpdate(hook.URL, body); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	go w.tg.Run(t.Context())
	if got := w.waitSent(t, team, 1)[0]; got.Thread != 0 || !strings.Contains(got.Plain, "命令") {
		t.Errorf("the answer: %q in thread %d", got.Plain, got.Thread)
	}
	if r := w.fake.Rejections(); len(r) != 0 {
		t.Errorf("the fake refused %+v", r)
	}
}

// TestADigestTopicThatIsGoneFallsBackToGeneral: the topic the digests go
// to is deleted; the next digest comes to General, once refused and never
// again, and the log says why at warning level, not as a bug.
func TestADigestTopicThatIsGoneFallsBackToGeneral(t *testing.T) {
	logs := logtest.Capture(t)
	w := newWorld(t, worldOptions{})
	news := newForum(w, "新闻")[0]
	w.sayIn(t, forum, news, admin, "/start")
	w.fake.DeleteTopic(forum, news)

	for day := range 2 {
		before := len(w.fake.Sent(forum))
		w.clock.Jump(at(7, 30).Add(time.Duration(day) * 24 * time.Hour))
		rep, err := w.engine.RunDue(context.Background())
		if err != nil || rep.Digests != 1 {
			t.Fatalf("day %d: %+v, %v", day+1, rep, err)
		}
		w.deliverer.Wake()
		for i, p := range w.waitSent(t, forum, before+rep.Parts)[before:] {
			if p.Thread != 0 {
				t.Errorf("day %d: part %d went to topic %d", day+1, i+1, p.Thread)
			}
		}
	}
	if r := w.fake.Rejections(); len(r) != 1 || !strings.Contains(r[0].Description, "message thread not found") {
		t.Errorf("refusals %+v, want the deleted topic's once", r)
	}
	sub, err := w.subs.Get(context.Background(), key(forum))
	if err != nil || sub.Thread != "" {
		t.Errorf("the subscriber's topic: %+v, %v", sub, err)
	}
	if out := logs.String(); logs.Count("level=WARN") == 0 || !strings.Contains(out, "topic unavailable") || len(errorLines(out)) != 0 {
		t.Errorf("the log:\n%s", out)
	}
}
