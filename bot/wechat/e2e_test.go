package wechat_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"wzdaily/bot/wechat"
	"wzdaily/chat"
	"wzdaily/subscribers"
)

func TestScanLoginThenHotLogin(t *testing.T) {
	w := newWorld(t)
	var qr bytes.Buffer
	tr, stop := w.start(t, func(o *wechat.Options) { o.QROut = &qr })
	waitFor(t, "a QR code", func() bool { s, _, _ := tr.Status(); return s == wechat.LoggingIn && w.fake.Count("jslogin") > 0 })
	if err := w.fake.ScanAndConfirm(); err != nil {
		t.Fatal(err)
	}
	loggedIn(t, tr)
	if !strings.Contains(qr.String(), "login.weixin.qq.com/qrcode/") || strings.Count(qr.String(), "\n") < 10 {
		t.Errorf("no QR code drawn in the terminal:\n%.300s", qr.String())
	}
	if png, err := os.ReadFile(w.dir + "/qr.png"); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("no QR PNG: %v", err)
	}
	st, err := os.Stat(w.dir + "/session.json")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("session file: %v, mode %v", err, st.Mode().Perm())
	}
	w.say(t, "reader", "订阅 工业")
	key := w.chatOf(t, "reader")
	// A new avatar leaves only the session's UserName to know them by.
	if err := w.fake.ChangeAvatar("reader"); err != nil {
		t.Fatal(err)
	}
	stop()

	// A restart logs in from the stored session: no new QR code, the same
	// UserNames, and so every friend known at once.
	qrs := w.fake.Count("jslogin")
	tr2, _ := w.start(t, nil)
	loggedIn(t, tr2)
	if got := w.fake.Count("jslogin"); got != qrs {
		t.Errorf("the hot login asked for a QR code")
	}
	n := len(w.sends("reader"))
	w.morning(t, 7, 30)
	waitFor(t, "the reader's digest", func() bool { return len(w.sends("reader")) > n })
	if got := w.sends("reader")[n].Content; !strings.Contains(got, "【工业 · ") {
		t.Errorf("after the hot login, the reader got: %.200q", got)
	}
	if w.chatOf(t, "reader") != key {
		t.Errorf("the reader's chat changed with the restart")
	}
	if got := w.say(t, "reader", "帮助"); !strings.Contains(got, "开始") {
		t.Errorf("no answer after the hot login: %q", got)
	}
}

// loginNow starts a transport and logs it in, scanning its QR code.
func loginNow(t *testing.T, w *world) *wechat.Transport {
	t.Helper()
	tr, _ := w.start(t, nil)
	waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") > 0 })
	if err := w.fake.ScanAndConfirm(); err != nil {
		t.Fatal(err)
	}
	loggedIn(t, tr)
	return tr
}

func TestFriendSubscribes(t *testing.T) {
	w := newWorld(t)
	loginNow(t, w)
	got := w.say(t, "reader", "订阅 工业")
	if !strings.Contains(got, "已订阅：工业") {
		t.Fatalf("订阅 工业: %q", got)
	}
	key := w.chatOf(t, "reader")
	if !strings.HasPrefix(key.ChatID, "wzd-") {
		t.Errorf("the chat's key: %s", key)
	}
	sub, err := w.subs.Get(context.Background(), key)
	if err != nil || !contains(strings.Join(sub.Tags, ","), "工业") || sub.Name != "老梧" {
		t.Fatalf("subscriber %+v, %v", sub, err)
	}
	// A slash works too, and a second message keeps the same chat.
	if got := w.say(t, "reader", "/list"); !strings.Contains(got, "工业") {
		t.Errorf("/list: %q", got)
	}
	if again := w.chatOf(t, "reader"); again != key {
		t.Errorf("the chat changed from %s to %s", key, again)
	}
	// WeChat keeps no remark name a bot gives, and the bot gives none.
	if n := w.fake.Count("webwxoplog"); n != 0 {
		t.Errorf("%d remark-name requests", n)
	}
}

func TestMorningDigestIsPacedAndSized(t *testing.T) {
	w := newWorld(t)
	loginNow(t, w)
	for _, f := range []string{"reader", "editor"} {
		w.say(t, f, "订阅 东财滚动新闻")
		w.say(t, f, "每日条数 200")
	}
	before := len(w.fake.Accepted())
	rep := w.morning(t, 7, 30)
	if rep.Digests != 2 || rep.Parts < 6 {
		t.Fatalf("%+v: want two long digests", rep)
	}
	waitFor(t, "the digests", func() bool { return len(w.fake.Accepted())-before >= rep.Parts })
	sent := w.fake.Accepted()[before:]
	if len(sent) != rep.Parts {
		t.Fatalf("%d messages for %d parts", len(sent), rep.Parts)
	}
	for i, s := range sent {
		if n := utf8.RuneCountInString(s.Content); n > wechat.DefaultMaxLength {
			t.Errorf("part %d is %d characters", i+1, n)
		}
		if strings.ContainsAny(s.Content, "<>") && strings.Contains(s.Content, "</") {
			t.Errorf("markup in a WeChat message: %.80q", s.Content)
		}
		if i > 0 && s.At.Sub(sent[i-1].At) < testPace.Gap {
			t.Errorf("parts %d and %d %s apart, under the %s gap", i, i+1, s.At.Sub(sent[i-1].At), testPace.Gap)
		}
	}
	if n := len(w.sends("reader")) + len(w.sends("editor")); n < rep.Parts {
		t.Errorf("parts went to the wrong people")
	}
}

func TestGroupSearchThenMore(t *testing.T) {
	w := newWorld(t)
	loginNow(t, w)
	n := len(w.sends("team"))
	if _, err := w.fake.InjectGroupText("team", "visitor", "大家早", false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.fake.InjectGroupText("team", "visitor", "搜索 西江", true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "search results", func() bool { return len(w.sends("team")) > n })
	first := w.sends("team")[n].Content
	if !contains(first, "西江", "第 1 页", "发送 下一页") || strings.Contains(first, "回复数字") {
		t.Fatalf("search: %q", first)
	}
	if _, err := w.fake.InjectGroupText("team", "visitor", "更多", true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the next page", func() bool { return len(w.sends("team")) > n+1 })
	if got := w.sends("team")[n+1].Content; !strings.Contains(got, "第 2 页") {
		t.Fatalf("更多: %q", got)
	}
	if len(w.sends("team")) != n+2 {
		t.Errorf("the bot answered a message not for it")
	}
	// Only the admins the operator named may change the group's digest.
	w.fake.InjectGroupText("team", "visitor", "订阅 工业", true)
	waitFor(t, "a refusal", func() bool { return len(w.sends("team")) > n+2 })
	if got := w.sends("team")[n+2].Content; !strings.Contains(got, "只有群管理员") {
		t.Errorf("a member changed the group: %q", got)
	}
	w.fake.InjectGroupText("team", "owner", "/sub 工业", false)
	waitFor(t, "the admin's change", func() bool { return len(w.sends("team")) > n+3 })
	if got := w.sends("team")[n+3].Content; !strings.Contains(got, "已订阅") {
		t.Errorf("the admin could not subscribe the group: %q", got)
	}
}

func TestSessionExpiresMidRunAndNothingIsLost(t *testing.T) {
	w := newWorld(t)
	tr, _ := w.start(t, func(o *wechat.Options) { o.Pace.Gap = 150 * time.Millisecond })
	waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") > 0 })
	w.fake.ScanAndConfirm()
	loggedIn(t, tr)
	for _, f := range []string{"reader", "editor"} {
		w.say(t, f, "订阅 东财滚动新闻")
		w.say(t, f, "每日条数 200")
	}
	before := map[string]int{"reader": len(w.sends("reader")), "editor": len(w.sends("editor"))}
	rep := w.morning(t, 7, 30)
	waitFor(t, "the first parts", func() bool {
		return len(w.sends("reader"))+len(w.sends("editor")) >= before["reader"]+before["editor"]+2
	})
	if err := w.fake.Expire(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-w.lost:
		if !strings.Contains(err.Error(), "failed login check") {
			t.Errorf("session lost because %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the lost session was not reported")
	}
	// The stored session is dead too: a new QR code, scanned again.
	waitFor(t, "a new QR code", func() bool { s, _, _ := tr.Status(); return s == wechat.LoggingIn && w.fake.Count("jslogin") > 1 })
	w.fake.ScanAndConfirm()
	waitFor(t, "every part", func() bool {
		return len(w.sends("reader"))+len(w.sends("editor")) >= before["reader"]+before["editor"]+rep.Parts
	})
	got := len(w.sends("reader")) + len(w.sends("editor")) - before["reader"] - before["editor"]
	if got != rep.Parts {
		t.Errorf("%d messages for %d parts", got, rep.Parts)
	}
	for _, f := range []string{"reader", "editor"} {
		seen := map[string]bool{}
		for _, s := range w.sends(f)[before[f]:] {
			if seen[s.Content] {
				t.Errorf("%s got a part twice", f)
			}
			seen[s.Content] = true
		}
	}
}

func TestDigestsFindFriendsAfterUserNamesChange(t *testing.T) {
	w := newWorld(t)
	tr := loginNow(t, w)
	w.say(t, "reader", "订阅 工业")
	w.say(t, "editor", "订阅 农业")
	keys := map[string]chat.Key{"reader": w.chatOf(t, "reader"), "editor": w.chatOf(t, "editor")}
	oldReader, _ := w.fake.UserName("reader")
	w.fake.LogoutFromPhone()
	<-w.lost
	waitFor(t, "a new QR code", func() bool { return w.fake.Count("jslogin") > 1 })
	w.fake.ScanAndConfirm()
	waitFor(t, "the new login", func() bool {
		un, _ := w.fake.UserName("reader")
		s, _, _ := tr.Status()
		return un != oldReader && s == wechat.LoggedIn
	})
	before := map[string]int{"reader": len(w.sends("reader")), "editor": len(w.sends("editor"))}
	rep := w.morning(t, 7, 30)
	waitFor(t, "the digests", func() bool {
		return len(w.sends("reader")) > before["reader"] && len(w.sends("editor")) > before["editor"]
	})
	if r := w.sends("reader")[before["reader"]].Content; !strings.Contains(r, "【工业 · ") {
		t.Errorf("reader's digest: %.200q", r)
	}
	if e := w.sends("editor")[before["editor"]].Content; !strings.Contains(e, "【农业 · ") || strings.Contains(e, "【工业 · ") {
		t.Errorf("editor's digest: %.200q", e)
	}
	w.outboxDone(t, rep.Parts)
	for f, key := range keys {
		if now := w.chatOf(t, f); now != key {
			t.Errorf("%s's chat moved from %s to %s", f, key, now)
		}
		if strings.Contains(w.since(f, before[f]), askToWrite) {
			t.Errorf("%s, unchanged, was asked to write", f)
		}
	}
}

func TestAFriendWhoIsGoneCountsAsLeft(t *testing.T) {
	w := newWorld(t)
	tr, _ := w.start(t, func(o *wechat.Options) { o.UnresolvedRetry = 20 * time.Millisecond; o.MaxUnresolved = 3 })
	waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") > 0 })
	w.fake.ScanAndConfirm()
	loggedIn(t, tr)
	w.say(t, "editor", "订阅 工业")
	key := w.chatOf(t, "editor")
	// The friend deletes the bot; after the next login they are not found.
	if err := w.fake.RemoveFriend("editor"); err != nil {
		t.Fatal(err)
	}
	w.fake.LogoutFromPhone()
	<-w.lost
	waitFor(t, "a new QR code", func() bool { return w.fake.Count("jslogin") > 1 })
	w.fake.ScanAndConfirm()
	waitFor(t, "the new login", func() bool { s, _, _ := tr.Status(); return s == wechat.LoggedIn })
	sent := len(w.fake.Sends())
	w.morning(t, 7, 30)
	waitFor(t, "the chat to count as left", func() bool {
		s, err := w.subs.Get(context.Background(), key)
		return err == nil && s.State == subscribers.Left
	})
	if n := len(w.fake.Sends()) - sent; n != 0 {
		t.Errorf("%d sends to a friend who is gone", n)
	}
}

func TestFriendRequestsAcceptedWhenConfigured(t *testing.T) {
	w := newWorld(t)
	tr, _ := w.start(t, func(o *wechat.Options) { o.AcceptFriends = true })
	waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") > 0 })
	w.fake.ScanAndConfirm()
	loggedIn(t, tr)
	if _, err := w.fake.InjectFriendRequest("visitor", "我想订阅梧州日报"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the request accepted", func() bool { c, _ := w.fake.Contact("visitor"); return c.Friend })
	if got := w.say(t, "visitor", "开始"); !strings.Contains(got, "欢迎") {
		t.Errorf("the new friend's /start: %q", got)
	}
}

func TestALoginNobodyScansIsRetriedQuietly(t *testing.T) {
	w := newWorld(t)
	tr, _ := w.start(t, nil)
	// Three QR codes expire unscanned: no alert, still logging in.
	for i := 1; i <= 3; i++ {
		waitFor(t, "a QR code", func() bool { return w.fake.Count("jslogin") >= i })
		waitFor(t, "the QR code to expire", func() bool { return w.fake.ExpireQR() == nil })
	}
	waitFor(t, "a fourth QR code", func() bool { return w.fake.Count("jslogin") >= 4 })
	select {
	case err := <-w.lost:
		t.Fatalf("admins alerted for a login nobody scanned: %v", err)
	default:
	}
	if s, _, err := tr.Status(); s != wechat.LoggingIn && s != wechat.LoggedOut {
		t.Errorf("state %s (%v)", s, err)
	}
}

// On WeChat a reader types to turn a search's page: 更多 then 1 went back
// a page when the page's buttons were numbered. Paging takes words now,
// and a number is searched for.
func TestFriendPagesASearchWithWords(t *testing.T) {
	w := newWorld(t)
	loginNow(t, w)
	first := w.say(t, "reader", "搜索 的")
	if !contains(first, "共 58 条 · 第 1 页", "\n1. ", "发送 下一页") || strings.Contains(first, "回复数字") {
		t.Fatalf("搜索 的: %q", first)
	}
	if got := w.say(t, "reader", "更多"); !contains(got, "第 2 页", "\n6. ", "发送 上一页 或 下一页") || strings.Contains(got, "[1]") {
		t.Fatalf("更多: %q", got)
	}
	if got := w.say(t, "reader", "1"); !strings.Contains(got, "搜索「1」") || strings.Contains(got, "搜索「的」") {
		t.Fatalf("1 after 更多 should be searched, not go back a page: %q", got)
	}
	w.say(t, "reader", "搜索 的")
	w.say(t, "reader", "下一页")
	if got := w.say(t, "reader", "上一页"); !contains(got, "搜索「的」共 58 条 · 第 1 页", "\n1. ") {
		t.Fatalf("上一页: %q", got)
	}
}
