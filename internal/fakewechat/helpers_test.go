package fakewechat

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/eatmoreapple/openwechat"
)

// wait is how long a test waits for something the fake or the bot should
// do at once; reaching it means deadlock.
const wait = 10 * time.Second

// testOptions are short holds, so polls still wait but tests stay fast.
func testOptions() Options {
	return Options{SyncHold: 300 * time.Millisecond, LoginHold: 300 * time.Millisecond}
}

// startFake serves a fake with reader and editor as friends, visitor as a
// stranger, and group "team" (reader and visitor in it).
func startFake(t *testing.T, opts Options) *Server {
	t.Helper()
	s := New(opts)
	if _, err := s.Start(); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(s.Close)
	for _, err := range []error{
		s.AddFriend(Person{ID: "reader", NickName: "Reader", RemarkName: "reader-remark"}),
		s.AddFriend(Person{ID: "editor", NickName: "Editor"}),
		s.AddStranger(Person{ID: "visitor", NickName: "Visitor", Province: "Zhejiang"}),
		s.AddGroup(Group{ID: "team", NickName: "Team Chat", SelfDisplayName: "digest-bot",
			Members: []Member{{ID: "reader", DisplayName: "reader-in-team"}, {ID: "visitor"}}}),
	} {
		if err != nil {
			t.Fatalf("add contacts: %v", err)
		}
	}
	return s
}

// testBot is an openwechat bot wired to a fake, with its callbacks turned
// into channels. It is stopped by cancelling its context, not by Exit:
// Exit writes the bot's fields that its polling goroutine reads, which the
// race detector reports.
type testBot struct {
	*openwechat.Bot
	cancel   context.CancelFunc
	uuids    chan string
	scans    chan struct{}
	messages chan *openwechat.Message
	logout   chan struct{} // closed by LogoutCallBack
}

func newBot(t *testing.T, s *Server) *testBot {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	b := openwechat.DefaultBot(openwechat.Desktop, openwechat.WithContextOption(ctx))
	tb := &testBot{
		Bot: b, cancel: cancel,
		uuids:    make(chan string, 4),
		scans:    make(chan struct{}, 4),
		messages: make(chan *openwechat.Message, 16),
		logout:   make(chan struct{}),
	}
	// DefaultBot's UUIDCallback runs xdg-open and the others log.
	b.UUIDCallback = func(uuid string) { tb.uuids <- uuid }
	b.ScanCallBack = func(openwechat.CheckLoginResponse) { tb.scans <- struct{}{} }
	b.LoginCallBack = func(openwechat.CheckLoginResponse) {}
	b.SyncCheckCallback = func(openwechat.SyncCheckResponse) {}
	var once sync.Once
	b.LogoutCallBack = func(*openwechat.Bot) { once.Do(func() { close(tb.logout) }) }
	b.MessageHandler = func(m *openwechat.Message) { tb.messages <- m }
	b.Caller.Client.HTTPClient().Transport = s.Transport(nil)
	return tb
}

// confirmEachQR scans and confirms every QR code the bot shows, from its
// UUIDCallback, so Login can run on the test goroutine.
func (tb *testBot) confirmEachQR(t *testing.T, s *Server) {
	tb.UUIDCallback = func(uuid string) {
		tb.uuids <- uuid
		if err := s.ScanAndConfirm(); err != nil {
			t.Errorf("scan and confirm %s: %v", uuid, err)
		}
	}
}

// login logs tb in by QR code.
func login(t *testing.T, s *Server) *testBot {
	t.Helper()
	tb := newBot(t, s)
	tb.confirmEachQR(t, s)
	if err := tb.Login(); err != nil {
		t.Fatalf("login: %v", err)
	}
	return tb
}

// next waits for the next message the bot handled.
func (tb *testBot) next(t *testing.T) *openwechat.Message {
	t.Helper()
	select {
	case m := <-tb.messages:
		return m
	case <-time.After(wait):
		t.Fatal("deadlocked: no message reached the handler")
		return nil
	}
}

// friend finds a friend by remark name, then nickname, in a fresh list.
func friend(t *testing.T, tb *testBot, name string) *openwechat.Friend {
	t.Helper()
	self, err := tb.GetCurrentUser()
	if err != nil {
		t.Fatalf("current user: %v", err)
	}
	friends, err := self.Friends(true)
	if err != nil {
		t.Fatalf("friends: %v", err)
	}
	if f := friends.SearchByRemarkName(1, name); f.Count() == 1 {
		return f.First()
	}
	if f := friends.SearchByNickName(1, name); f.Count() == 1 {
		return f.First()
	}
	t.Fatalf("no friend %q among %v", name, friends)
	return nil
}

// holds reports each poll that starts waiting (its endpoint); reports
// beyond the buffer are dropped rather than block the fake.
func holds(s *Server) <-chan string {
	ch := make(chan string, 64)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holdHook = func(endpoint string) {
		select {
		case ch <- endpoint:
		default:
		}
	}
	return ch
}

// waitHeld waits until a poll of endpoint is held.
func waitHeld(t *testing.T, held <-chan string, endpoint string) {
	t.Helper()
	for {
		select {
		case got := <-held:
			if got == endpoint {
				return
			}
		case <-time.After(wait):
			t.Fatalf("deadlocked: no %s held", endpoint)
		}
	}
}

func userName(t *testing.T, s *Server, id string) string {
	t.Helper()
	u, ok := s.UserName(id)
	if !ok {
		t.Fatalf("fake has no UserName for %q", id)
	}
	return u
}

func storagePath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "session.json")
}

// closed reports whether ch closes within wait.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	case <-time.After(wait):
		return false
	}
}
