package fakewechat

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"
)

// A scan login the way a person does it: the QR code waits (polls held
// and answered 408), is scanned (ScanCallBack), then confirmed.
func TestScanLogin(t *testing.T) {
	s := startFake(t, testOptions())
	tb := newBot(t, s)
	held := holds(s)

	loginErr := make(chan error, 1)
	go func() { loginErr <- tb.Login() }()

	var uuid string
	select {
	case uuid = <-tb.uuids:
	case <-time.After(wait):
		t.Fatal("deadlocked: no UUIDCallback")
	}
	// The first poll is held, not answered at once.
	waitHeld(t, held, "login")
	if pending, err := s.WaitQR(context.Background()); err != nil || pending != uuid {
		t.Fatalf("WaitQR = %q, %v; want the bot's uuid %q", pending, err, uuid)
	}
	if err := s.Scan(); err != nil {
		t.Fatalf("scan: %v", err)
	}
	select {
	case <-tb.scans:
	case <-time.After(wait):
		t.Fatal("deadlocked: no ScanCallBack after the scan")
	}
	if err := s.Confirm(); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	select {
	case err := <-loginErr:
		if err != nil {
			t.Fatalf("login: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("deadlocked: Login did not return after the confirmation")
	}

	self, err := tb.GetCurrentUser()
	if err != nil {
		t.Fatalf("current user: %v", err)
	}
	info, _ := s.Session()
	if self.NickName != "wzd-bot" || self.UserName != info.SelfUserName || self.Uin != info.Uin {
		t.Errorf("self = %q %q %d, want wzd-bot %q %d", self.NickName, self.UserName, self.Uin, info.SelfUserName, info.Uin)
	}
	friends, err := self.Friends()
	if err != nil {
		t.Fatalf("friends: %v", err)
	}
	if friends.Count() != 2 {
		t.Errorf("friends = %v, want reader and editor", friends)
	}
	if f := friends.GetByRemarkName("reader-remark"); f == nil || f.NickName != "Reader" || f.UserName != userName(t, s, "reader") {
		t.Errorf("friend by remark = %v, want Reader as %s", f, userName(t, s, "reader"))
	}
	groups, err := self.Groups()
	if err != nil {
		t.Fatalf("groups: %v", err)
	}
	if g := groups.GetByNickName("Team Chat"); g == nil || g.UserName != userName(t, s, "team") || g.MemberCount != 3 {
		t.Errorf("groups = %v, want Team Chat with 3 members", groups)
	}
	if s.Scan() == nil || s.Confirm() == nil {
		t.Error("the used QR code can still be scanned")
	}
}

// AutoConfirm logs a bot in with no help from the test.
func TestScanLogin_AutoConfirm(t *testing.T) {
	opts := testOptions()
	opts.AutoConfirm = true
	s := startFake(t, opts)
	tb := newBot(t, s)
	if err := tb.Login(); err != nil {
		t.Fatalf("login: %v", err)
	}
	if len(tb.uuids) != 1 || len(tb.scans) != 1 {
		t.Errorf("%d QR codes and %d scans, want 1 and 1", len(tb.uuids), len(tb.scans))
	}
}

// A QR code nobody confirms in time ends Login with ErrLoginTimeout.
func TestScanLogin_QRExpires(t *testing.T) {
	s := startFake(t, testOptions())
	tb := newBot(t, s)
	tb.UUIDCallback = func(string) {
		if err := s.ExpireQR(); err != nil {
			t.Errorf("expire QR: %v", err)
		}
	}
	if err := tb.Login(); !errors.Is(err, openwechat.ErrLoginTimeout) {
		t.Fatalf("login = %v, want ErrLoginTimeout", err)
	}
}

// Accounts barred from the web client get ret 1203 from
// webwxnewloginpage; Desktop mode sends the headers that avoid it.
func TestScanLogin_RequireDesktop(t *testing.T) {
	opts := testOptions()
	opts.RequireDesktop = true
	s := startFake(t, opts)
	tb := newBot(t, s)
	openwechat.Normal.Prepare(tb.Bot)
	tb.confirmEachQR(t, s)
	if err := tb.Login(); err == nil || err.Error() != "为了你的帐号安全，此微信号不能登录网页微信。" {
		t.Fatalf("login in normal mode = %v, want the 1203 message", err)
	}
	if _, ok := s.Session(); ok {
		t.Error("a session started for a refused login")
	}
	login(t, s) // Desktop
}

type storedSession struct {
	LoginInfo struct {
		SKey  string
		WxUin int64
	}
	WechatDomain string
}

func readStorage(t *testing.T, path string) storedSession {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read storage: %v", err)
	}
	var st storedSession
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("storage %s is not JSON: %v", b, err)
	}
	return st
}

// HotLogin: the first run falls back to a scan (NewRetryLoginOption) and
// writes the file; a new bot logs in from the file without a QR code and
// sees the same session; once the session expired HotLogin fails with Ret
// 1101, and with NewRetryLoginOption falls back to a scan.
func TestHotLogin(t *testing.T) {
	s := startFake(t, testOptions())
	path := storagePath(t)

	first := newBot(t, s)
	first.confirmEachQR(t, s)
	store := openwechat.NewFileHotReloadStorage(path)
	if err := first.HotLogin(store, openwechat.NewRetryLoginOption()); err != nil {
		t.Fatalf("first hot login (empty file, retry by scan): %v", err)
	}
	info, _ := s.Session()
	if st := readStorage(t, path); st.LoginInfo.SKey != info.Skey || st.WechatDomain != "wx.qq.com" {
		t.Fatalf("storage holds %+v, want skey %s on wx.qq.com", st, info.Skey)
	}
	first.cancel()
	_ = store.Close()

	// A restart: no QR code, same session and UserNames.
	logins := s.Count("jslogin")
	second := newBot(t, s)
	second.UUIDCallback = func(string) { t.Error("hot login showed a QR code") }
	store = openwechat.NewFileHotReloadStorage(path)
	if err := second.HotLogin(store); err != nil {
		t.Fatalf("hot login from the file: %v", err)
	}
	if s.Count("jslogin") != logins || s.Count("webwxnewloginpage") != 1 {
		t.Errorf("hot login went through the QR login: %d jslogin, %d newloginpage", s.Count("jslogin")-logins, s.Count("webwxnewloginpage"))
	}
	self, _ := second.GetCurrentUser()
	if self.UserName != info.SelfUserName {
		t.Errorf("self is %s after hot login, want the session's %s", self.UserName, info.SelfUserName)
	}
	if _, err := s.InjectText("editor", "still there?"); err != nil {
		t.Fatal(err)
	}
	if m := second.next(t); m.Content != "still there?" {
		t.Errorf("message after hot login = %q", m.Content)
	}
	second.cancel()
	_ = store.Close()

	// The session expires: HotLogin alone fails.
	if err := s.Expire(); err != nil {
		t.Fatal(err)
	}
	third := newBot(t, s)
	store = openwechat.NewFileHotReloadStorage(path)
	err := third.HotLogin(store)
	_ = store.Close()
	var ret openwechat.Ret
	if !errors.As(err, &ret) || ret != 1101 || err.Error() != "init user info: failed login check" {
		t.Fatalf("hot login with an expired session = %v, want Ret 1101 (init user info: failed login check)", err)
	}

	// With the retry option it scans instead, and the file gets the new session.
	fourth := newBot(t, s)
	fourth.confirmEachQR(t, s)
	store = openwechat.NewFileHotReloadStorage(path)
	defer store.Close()
	if err := fourth.HotLogin(store, openwechat.NewRetryLoginOption()); err != nil {
		t.Fatalf("hot login with retry: %v", err)
	}
	if len(fourth.uuids) != 1 {
		t.Errorf("retry showed %d QR codes, want 1", len(fourth.uuids))
	}
	now, _ := s.Session()
	if now.Skey == info.Skey || readStorage(t, path).LoginInfo.SKey != now.Skey {
		t.Errorf("storage not rewritten with the new session %s", now.Skey)
	}
	// openwechat kept the old session's SyncKey; the new session's keys
	// count on from it, as the service's do, so its messages come.
	if _, err := s.InjectText("editor", "after the scan"); err != nil {
		t.Fatal(err)
	}
	if m := fourth.next(t); m.Content != "after the scan" {
		t.Errorf("message after the fallback scan = %q", m.Content)
	}
}

// PushLogin asks the phone instead of showing a QR code; the test learns
// about it from WaitQR. With push login refused it fails, or scans with
// NewRetryLoginOption.
func TestPushLogin(t *testing.T) {
	s := startFake(t, testOptions())
	path := storagePath(t)
	first := newBot(t, s)
	first.confirmEachQR(t, s)
	store := openwechat.NewFileHotReloadStorage(path)
	if err := first.HotLogin(store, openwechat.NewRetryLoginOption()); err != nil {
		t.Fatalf("first login: %v", err)
	}
	first.cancel()
	_ = store.Close()
	before, _ := s.Session()

	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if _, err := s.WaitQR(ctx); err != nil {
			t.Errorf("no push login waited: %v", err)
			return
		}
		if err := s.Confirm(); err != nil {
			t.Errorf("confirm: %v", err)
		}
	}()
	second := newBot(t, s)
	second.UUIDCallback = func(string) { t.Error("push login showed a QR code") }
	store = openwechat.NewFileHotReloadStorage(path)
	if err := second.PushLogin(store); err != nil {
		t.Fatalf("push login: %v", err)
	}
	_ = store.Close()
	after, _ := s.Session()
	if after.Skey == before.Skey || after.SelfUserName == before.SelfUserName {
		t.Error("push login did not start a new session")
	}
	second.cancel()

	s.SetPushLogin(false)
	third := newBot(t, s)
	store = openwechat.NewFileHotReloadStorage(path)
	err := third.PushLogin(store)
	_ = store.Close()
	if err == nil || err.Error() != "push login unavailable" {
		t.Fatalf("refused push login = %v, want the answer's msg", err)
	}
}
