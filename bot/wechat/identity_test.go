package wechat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/digest"
	"wzdaily/internal/fakewechat"
	"wzdaily/subscribers"
)

// The sentence that asks a friend the bot cannot put to a chat to write.
const askToWrite = "请回复任意一句话"

// relogin ends the session from the phone and scans a new QR code: every
// UserName changes, as at any new login.
func (w *world) relogin(t *testing.T, tr *wechat.Transport) {
	t.Helper()
	old, _ := w.fake.UserName(fakewechat.SelfID)
	qrs := w.fake.Count("jslogin")
	if err := w.fake.LogoutFromPhone(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.lost:
	case <-time.After(20 * time.Second):
		t.Fatal("the lost session was not reported")
	}
	waitFor(t, "a new QR code", func() bool { return w.fake.Count("jslogin") > qrs })
	if err := w.fake.ScanAndConfirm(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new login", func() bool {
		now, _ := w.fake.UserName(fakewechat.SelfID)
		s, _, _ := tr.Status()
		return now != old && s == wechat.LoggedIn
	})
}

// holdsLong keeps a held part's retries close together, so a test does not
// wait out the outbox's doubling back-off after the friend writes.
func holdsLong(o *digest.DelivererOptions) { o.MaxBackoff = 300 * time.Millisecond }

// since returns what a friend was sent after their first n messages.
func (w *world) since(id string, n int) string {
	var b strings.Builder
	for _, s := range w.sends(id)[n:] {
		b.WriteString(s.Content + "\n")
	}
	return b.String()
}

// outboxDone waits until every part is sent and checks none is dead or
// was sent twice: nothing lost, nothing repeated.
func (w *world) outboxDone(t *testing.T, parts int) {
	t.Helper()
	count := func(state string) int {
		var n int
		if err := w.db.QueryRowContext(context.Background(), `SELECT count(*) FROM outbox WHERE state = ?`, state).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A chat held until its friend wrote gets its parts merged into one
	// release digest, which is sent instead of them.
	waitFor(t, "every part sent", func() bool { return count("pending")+count("held") == 0 })
	var morning, released, merged int
	if err := w.db.QueryRowContext(context.Background(), `SELECT
		count(*) FILTER (WHERE d.kind != 'release' AND o.state = 'sent'),
		count(*) FILTER (WHERE d.kind = 'release' AND o.state = 'sent'),
		count(*) FILTER (WHERE o.state = 'merged')
		FROM outbox o JOIN digests d ON d.id = o.digest_id`).Scan(&morning, &released, &merged); err != nil {
		t.Fatal(err)
	}
	if dead := count("dead"); morning+merged != parts || dead != 0 || (merged > 0) != (released > 0) {
		t.Errorf("of %d parts, %d sent and %d merged into %d sent in releases; %d dead", parts, morning, merged, released, dead)
	}
}

// TestAFriendWhoChangedTheirAvatarIsRecognisedWhenTheyWrite: WeChat keeps
// no remark names; after a login that changes every UserName, the friend
// who kept their avatar and nickname gets their digest at once, the one
// who changed their avatar is asked to write once and gets theirs after
// they write, in the chat they had. Nothing is lost or sent twice.
func TestAFriendWhoChangedTheirAvatarIsRecognisedWhenTheyWrite(t *testing.T) {
	w := newWorld(t)
	w.tune = holdsLong
	tr := loginNow(t, w)
	w.say(t, "reader", "订阅 工业")
	w.say(t, "editor", "订阅 农业")
	reader, editor := w.chatOf(t, "reader"), w.chatOf(t, "editor")
	if err := w.fake.ChangeAvatar("reader"); err != nil {
		t.Fatal(err)
	}
	w.relogin(t, tr)
	if c, _ := w.fake.Contact("reader"); c.RemarkName != "" {
		t.Fatalf("the fake kept a remark name: %+v", c)
	}

	before := map[string]int{"reader": len(w.sends("reader")), "editor": len(w.sends("editor"))}
	rep := w.morning(t, 7, 30)
	if rep.Digests != 2 {
		t.Fatalf("%+v: want two digests", rep)
	}
	waitFor(t, "the editor's digest and the ask", func() bool {
		return strings.Contains(w.since("editor", before["editor"]), "【农业 · ") && strings.Contains(w.since("reader", before["reader"]), askToWrite)
	})
	if got := w.since("reader", before["reader"]); strings.Contains(got, "【") || strings.Count(got, askToWrite) != 1 {
		t.Fatalf("before writing, the reader got: %q", got)
	}
	if got := w.since("editor", before["editor"]); strings.Contains(got, "【工业 · ") || strings.Contains(got, askToWrite) {
		t.Errorf("the editor, who kept their avatar, got: %q", got)
	}

	w.say(t, "reader", "好的")
	waitFor(t, "the reader's digest", func() bool { return strings.Contains(w.since("reader", before["reader"]), "【工业 · ") })
	w.outboxDone(t, rep.Parts)
	if got := w.since("reader", before["reader"]); strings.Contains(got, "【农业 · ") || strings.Count(got, askToWrite) != 1 {
		t.Errorf("the reader got: %q", got)
	}
	if now := w.chatOf(t, "reader"); now != reader {
		t.Errorf("the reader's chat moved from %s to %s", reader, now)
	}
	if now := w.chatOf(t, "editor"); now != editor {
		t.Errorf("the editor's chat moved from %s to %s", editor, now)
	}
	if n := w.fake.Count("webwxoplog"); n != 0 {
		t.Errorf("%d remark-name requests", n)
	}
}

// TestNamesakesWaitUntilEachWrites: two friends with one nickname and no
// Uin, who both changed their avatars, are held; their regions tell them
// apart once each writes, and each gets their own digest.
func TestNamesakesWaitUntilEachWrites(t *testing.T) {
	w := newWorld(t)
	w.tune = holdsLong
	for _, p := range []fakewechat.Person{{ID: "wz", NickName: "阿梧", Province: "广西", City: "梧州"}, {ID: "gz", NickName: "阿梧", Province: "广东", City: "广州"}} {
		if err := w.fake.AddFriend(p); err != nil {
			t.Fatal(err)
		}
	}
	tr := loginNow(t, w)
	w.say(t, "wz", "订阅 工业")
	w.say(t, "gz", "订阅 农业")
	w.chatOf(t, "wz")
	w.chatOf(t, "gz")
	w.fake.ChangeAvatar("wz")
	w.fake.ChangeAvatar("gz")
	w.relogin(t, tr)

	before := map[string]int{"wz": len(w.sends("wz")), "gz": len(w.sends("gz"))}
	rep := w.morning(t, 7, 30)
	waitFor(t, "the asks", func() bool {
		return strings.Contains(w.since("wz", before["wz"]), askToWrite) && strings.Contains(w.since("gz", before["gz"]), askToWrite)
	})
	w.say(t, "gz", "收到")
	waitFor(t, "gz's digest", func() bool { return strings.Contains(w.since("gz", before["gz"]), "【农业 · ") })
	if got := w.since("wz", before["wz"]); strings.Contains(got, "【") {
		t.Fatalf("wz got a digest before writing: %q", got)
	}
	w.say(t, "wz", "收到")
	waitFor(t, "wz's digest", func() bool { return strings.Contains(w.since("wz", before["wz"]), "【工业 · ") })
	w.outboxDone(t, rep.Parts)
	if got := w.since("wz", before["wz"]); strings.Contains(got, "【农业 · ") {
		t.Errorf("wz got gz's digest: %q", got)
	}
	if got := w.since("gz", before["gz"]); strings.Contains(got, "【工业 · ") {
		t.Errorf("gz got wz's digest: %q", got)
	}
}

// TestLookAlikesSayWhichChatIsTheirs: two friends with one nickname, one
// avatar and no Uin look the same to the bot after a new login: both are
// held, and each must name a topic only they follow (a wrong word is not
// enough); then each gets their own digest, and nothing is lost.
func TestLookAlikesSayWhichChatIsTheirs(t *testing.T) {
	w := newWorld(t)
	w.tune = holdsLong
	for _, id := range []string{"twin1", "twin2"} {
		if err := w.fake.AddFriend(fakewechat.Person{ID: id, NickName: "阿梧", Avatar: 612345678}); err != nil {
			t.Fatal(err)
		}
	}
	tr := loginNow(t, w)
	w.say(t, "twin1", "订阅 工业")
	w.say(t, "twin2", "订阅 农业")
	one, two := w.chatOf(t, "twin1"), w.chatOf(t, "twin2")
	if one == two {
		t.Fatalf("the twins share chat %s in the session they subscribed in", one)
	}
	w.relogin(t, tr)

	before := map[string]int{"twin1": len(w.sends("twin1")), "twin2": len(w.sends("twin2"))}
	rep := w.morning(t, 7, 30)
	waitFor(t, "the asks", func() bool {
		return strings.Contains(w.since("twin1", before["twin1"]), askToWrite) && strings.Contains(w.since("twin2", before["twin2"]), askToWrite)
	})
	if got := w.say(t, "twin1", "你好"); !strings.Contains(got, "分不清你们") {
		t.Fatalf("a look-alike writing: %q", got)
	}
	if got := w.say(t, "twin1", "天气"); !strings.Contains(got, "没能让我认出你") {
		t.Fatalf("a word in neither subscription: %q", got)
	}
	// The digests held for the chat come first, then the answer.
	if got := w.say(t, "twin1", "工业"); !strings.Contains(got, "【你有 1 天的摘要未读】") {
		t.Fatalf("a topic of one: %q", got)
	}
	waitFor(t, "the answer after the digest", func() bool { return strings.Contains(w.since("twin1", before["twin1"]), "认出你了") })
	waitFor(t, "twin1's digest", func() bool { return strings.Contains(w.since("twin1", before["twin1"]), "【工业 · ") })
	// twin1 said which is theirs: the other chat is twin2's, once they write.
	if got := w.since("twin2", before["twin2"]); strings.Contains(got, "【") {
		t.Fatalf("twin2 got a digest before writing: %q", got)
	}
	w.say(t, "twin2", "你好")
	waitFor(t, "twin2's digest", func() bool { return strings.Contains(w.since("twin2", before["twin2"]), "【农业 · ") })
	w.outboxDone(t, rep.Parts)
	for id, other := range map[string]string{"twin1": "【农业 · ", "twin2": "【工业 · "} {
		got := w.since(id, before[id])
		if strings.Contains(got, other) {
			t.Errorf("%s got the other's digest: %q", id, got)
		}
		if n := strings.Count(got, askToWrite); n != 1 {
			t.Errorf("%s was asked to write %d times", id, n)
		}
	}
	if w.chatOf(t, "twin1") != one || w.chatOf(t, "twin2") != two {
		t.Errorf("the twins' chats moved")
	}
	// A look-alike who will not say starts anew: 开始 is a new chat.
	if err := w.fake.AddFriend(fakewechat.Person{ID: "twin3", NickName: "阿梧", Avatar: 612345678}); err != nil {
		t.Fatal(err)
	}
	w.relogin(t, tr)
	w.say(t, "twin3", "你好")
	if got := w.say(t, "twin3", "开始"); !strings.Contains(got, "欢迎") {
		t.Errorf("开始 from a look-alike: %q", got)
	}
	if three := w.chatOf(t, "twin3"); three == one || three == two {
		t.Errorf("twin3 took a twin's chat: %s", three)
	}
}

// TestASubscriberFromBeforeIsHeldUntilTheyWrite: a subscriber saved before
// identities were kept is known only by the name it was saved with; a
// friend of that name is asked to write, and their message rebinds them.
func TestASubscriberFromBeforeIsHeldUntilTheyWrite(t *testing.T) {
	w := newWorld(t)
	w.tune = holdsLong
	tr, _ := w.start(t, nil)
	old := chat.Key{Platform: wechat.Platform, ChatID: "wzd-before"}
	if _, err := w.subs.Upsert(context.Background(), old, chat.Private, "老梧", func(s *subscribers.Subscriber) error {
		s.Follow("工业")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") > 0 })
	w.fake.ScanAndConfirm()
	loggedIn(t, tr)
	rep := w.morning(t, 7, 30)
	waitFor(t, "the ask", func() bool { return strings.Contains(w.since("reader", 0), askToWrite) })
	if strings.Contains(w.since("reader", 0), "【") {
		t.Fatalf("a digest went out before the friend wrote")
	}
	w.say(t, "reader", "我在")
	waitFor(t, "the digest", func() bool { return strings.Contains(w.since("reader", 0), "【工业 · ") })
	w.outboxDone(t, rep.Parts)
	if w.chatOf(t, "reader") != old {
		t.Errorf("the reader did not get their old chat back")
	}
}
