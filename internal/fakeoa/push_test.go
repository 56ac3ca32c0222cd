package fakeoa

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"wzdaily/internal/clocktest"
)

// modes are the two ways an account receives pushes.
var modes = map[string]string{"plaintext": "", "safe mode": testKey}

func TestSay_TheBotReadsTheMessageAndTheFollowerSeesTheReply(t *testing.T) {
	for name, key := range modes {
		t.Run(name, func(t *testing.T) {
			s, _ := start(t, Options{EncodingAESKey: key})
			b := startBot(t, s, key, echo)
			follow(t, s, "o-reader")
			// CDATA cannot hold "]]>" as is; the fake must split it.
			text := "搜索 西江 <&]]>"
			p := say(t, s, "o-reader", text)

			if p.Outcome != Replied || p.Reply != "echo: "+text || p.ReplyType != "text" || p.Retried() {
				t.Fatalf("push = %+v, want one request answered with the echo", p)
			}
			if a := p.Attempts[0]; a.Result != Answered || a.Status != http.StatusOK {
				t.Errorf("attempt = %+v, want answered with 200", a)
			}
			seen := b.pushes()
			if len(seen) != 2 {
				t.Fatalf("the bot read %d pushes, want the subscribe and the text", len(seen))
			}
			if e := seen[0].msg; e.MsgType != message.MsgTypeEvent || e.Event != message.EventSubscribe {
				t.Errorf("first push = %s/%s, want event/subscribe", e.MsgType, e.Event)
			}
			m := seen[1].msg
			switch {
			case m.MsgType != message.MsgTypeText || m.Content != text || m.MsgID != p.MsgID || p.MsgID < 1e16:
				t.Errorf("the bot read %s %q MsgId %d, want text %q MsgId %d (17 digits or more)", m.MsgType, m.Content, m.MsgID, text, p.MsgID)
			case string(m.FromUserName) != "o-reader" || string(m.ToUserName) != s.AccountID():
				t.Errorf("the bot read From %q To %q, want the follower and %s", m.FromUserName, m.ToUserName, s.AccountID())
			case m.CreateTime != epoch.Unix():
				t.Errorf("CreateTime = %d, want %d", m.CreateTime, epoch.Unix())
			case seen[1].openID != "o-reader" || seen[1].safe != (key != ""):
				t.Errorf("openid %q, encrypt_type=aes %v; want o-reader, %v", seen[1].openID, seen[1].safe, key != "")
			}
			msgs := s.Messages("o-reader")
			if len(msgs) != 2 || msgs[0].Text != "welcome" || msgs[1].Text != "echo: "+text || msgs[1].Via != ViaReply || msgs[1].PushID != p.ID {
				t.Errorf("Messages = %+v, want the welcome and the echo, as replies", msgs)
			}
		})
	}
}

func TestEventsReachTheBotAsTheirKind(t *testing.T) {
	s, _ := start(t, Options{})
	b := startBot(t, s, "", echo)
	ctx := context.Background()
	if _, err := s.Click(ctx, "o-reader", "DIGEST"); !errors.Is(err, ErrNotFollowing) {
		t.Errorf("a click before following: %v, want ErrNotFollowing", err)
	}
	follow(t, s, "o-reader")
	if _, err := s.Follow(ctx, "o-reader"); !errors.Is(err, ErrAlreadyFollowed) {
		t.Errorf("following twice: %v, want ErrAlreadyFollowed", err)
	}
	if _, err := s.Click(ctx, "o-reader", "DIGEST"); !errors.Is(err, ErrNoSuchButton) {
		t.Errorf("a click with no menu: %v, want ErrNoSuchButton", err)
	}
	setMenu(t, s)
	p, err := s.Click(ctx, "o-reader", "DIGEST")
	if err != nil || p.Outcome != Replied || p.Reply != "welcome" {
		t.Fatalf("Click = %+v, %v; want the bot's reply", p, err)
	}
	if p, err := s.View(ctx, "o-reader", "https://finews.withounder.com/"); err != nil || p.Outcome != Replied {
		t.Fatalf("View = %+v, %v", p, err)
	}
	shown := len(s.Messages("o-reader"))
	if p, err := s.Unfollow(ctx, "o-reader"); err != nil || p.Outcome != Replied {
		t.Fatalf("Unfollow = %+v, %v", p, err)
	}
	if got := len(s.Messages("o-reader")); got != shown {
		t.Errorf("%d messages after unfollowing, want %d: a link and a goodbye are not shown", got, shown)
	}
	if _, err := s.Say(ctx, "o-reader", "hello"); !errors.Is(err, ErrNotFollowing) {
		t.Errorf("Say after unfollowing: %v, want ErrNotFollowing", err)
	}

	var got []string
	for _, p := range b.pushes() {
		got = append(got, string(p.msg.Event)+":"+p.msg.EventKey)
	}
	want := "subscribe: CLICK:DIGEST VIEW:https://finews.withounder.com/ unsubscribe:"
	if strings.Join(got, " ") != want {
		t.Errorf("the bot read %q, want %q", strings.Join(got, " "), want)
	}
	// The clock stood still, yet no two events share FromUserName and
	// CreateTime, by which a bot deduplicates them.
	for i, p := range b.pushes()[1:] {
		if prev := b.pushes()[i].msg.CreateTime; p.msg.CreateTime <= prev {
			t.Errorf("event %d at %d, not after %d", i+2, p.msg.CreateTime, prev)
		}
	}
	if msgs := s.Messages("o-reader"); len(msgs) != 2 {
		t.Errorf("Messages = %+v, want the two welcomes (follow, click)", msgs)
	}
}

// holdFirst answers the echo, except to the first request for each
// message, which it holds until WeChat drops it.
func holdFirst() handler {
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(r *http.Request, m *message.MixMessage) *message.Reply {
		key := string(m.FromUserName) + m.Content + string(m.Event)
		mu.Lock()
		first := !seen[key]
		seen[key] = true
		mu.Unlock()
		if first {
			<-r.Context().Done()
			return nil
		}
		return echo(r, m)
	}
}

func TestALateAnswerIsDroppedAndTheSameMessagePushedAgain(t *testing.T) {
	s, _ := start(t, Options{ReplyDeadline: 100 * time.Millisecond})
	b := startBot(t, s, "", holdFirst())
	follow(t, s, "o-reader")
	p := say(t, s, "o-reader", "搜索 工业")
	if p.Outcome != Replied || p.Reply != "echo: 搜索 工业" || len(p.Attempts) != 2 {
		t.Fatalf("push = %+v, want replied at the second request", p)
	}
	if p.Attempts[0].Result != Late || p.Attempts[1].Result != Answered {
		t.Errorf("attempts = %+v, want late then answered", p.Attempts)
	}
	var ids []int64
	for _, sp := range b.pushes() {
		if sp.msg.MsgType == message.MsgTypeText {
			ids = append(ids, sp.msg.MsgID)
		}
	}
	if len(ids) != 2 || ids[0] != p.MsgID || ids[1] != p.MsgID {
		t.Errorf("the bot read MsgIds %v, want %d twice", ids, p.MsgID)
	}
	// Events are pushed again with the same sender and CreateTime.
	events := b.pushes()[:2]
	if events[0].msg.Event != "subscribe" || events[0].msg.CreateTime != events[1].msg.CreateTime {
		t.Errorf("the follow was pushed as %+v and %+v, want one subscribe twice", events[0].msg, events[1].msg)
	}
}

func TestNoAnswerInTimeShowsTheNoticeAfterTheLastAttempt(t *testing.T) {
	for _, attempts := range []int{0, 2, 4} {
		s, _ := start(t, Options{ReplyDeadline: 50 * time.Millisecond, Attempts: attempts})
		b := startBot(t, s, "", func(r *http.Request, _ *message.MixMessage) *message.Reply {
			<-r.Context().Done()
			return nil
		})
		want := attempts
		if want == 0 {
			want = 3 // WeChat's
		}
		p := follow(t, s, "o-reader")
		if p.Outcome != TimedOut || len(p.Attempts) != want {
			t.Errorf("Attempts %d: push %+v, want timed out after %d requests", attempts, p, want)
		}
		clocktest.Eventually(t, 5*time.Second, fmt.Sprintf("the bot to read %d requests", want), func() bool { return len(b.pushes()) == want })
		for _, a := range p.Attempts {
			if a.Result != Late {
				t.Errorf("Attempts %d: attempt %+v, want late", attempts, a)
			}
		}
		if msgs := s.Messages("o-reader"); len(msgs) != 1 || msgs[0].Via != ViaNotice || msgs[0].Text != Notice {
			t.Errorf("Attempts %d: Messages = %+v, want the notice", attempts, msgs)
		}
	}
}

func TestSuccessOrAnEmptyBodyIsNoReply(t *testing.T) {
	// silenceper answers "success" in plaintext and nothing in safe mode.
	for name, key := range modes {
		t.Run(name, func(t *testing.T) {
			s, _ := start(t, Options{EncodingAESKey: key})
			startBot(t, s, key, nil)
			p := follow(t, s, "o-reader")
			if p.Outcome != NoReply || p.Retried() {
				t.Errorf("push = %+v, want no reply at the first request", p)
			}
			if msgs := s.Messages("o-reader"); len(msgs) != 0 {
				t.Errorf("Messages = %+v, want none", msgs)
			}
		})
	}
}

func TestAnswerLostOnTheWayIsPushedAgain(t *testing.T) {
	s, _ := start(t, Options{})
	b := startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	if err := s.FailPushes(LoseReply, 1); err != nil {
		t.Fatal(err)
	}
	p := say(t, s, "o-reader", "更多")
	if p.Outcome != Replied || len(p.Attempts) != 2 || p.Attempts[0].Result != Lost {
		t.Fatalf("push = %+v, want the first answer lost and the second shown", p)
	}
	if n := len(b.pushes()); n != 3 {
		t.Errorf("the bot read %d pushes, want the follow and the text twice", n)
	}
}

func TestADroppedPushNeverReachesTheBot(t *testing.T) {
	s, _ := start(t, Options{})
	b := startBot(t, s, "", echo)
	follow(t, s, "o-reader")
	if err := s.FailPushes(DropPush, 1); err != nil {
		t.Fatal(err)
	}
	if p := say(t, s, "o-reader", "lost"); p.Outcome != Dropped || len(p.Attempts) != 0 {
		t.Errorf("push = %+v, want dropped with no request", p)
	}
	if p := say(t, s, "o-reader", "kept"); p.Outcome != Replied {
		t.Errorf("the next push = %+v, want replied", p)
	}
	if n := len(b.pushes()); n != 2 {
		t.Errorf("the bot read %d pushes, want the follow and the second text", n)
	}
	if w := s.Window("o-reader"); w.Left != 3+5 {
		t.Errorf("window = %+v: the follower still wrote, so the message quota opened", w)
	}
}

func TestABadSignatureIsRefusedByTheBot(t *testing.T) {
	for name, key := range modes {
		t.Run(name, func(t *testing.T) {
			s, _ := start(t, Options{EncodingAESKey: key})
			b := startBot(t, s, key, echo)
			if err := s.FailPushes(BadSignature, 1); err != nil {
				t.Fatal(err)
			}
			p := follow(t, s, "o-reader")
			if p.Outcome != Refused || p.Problem != "HTTP 403" || p.Retried() {
				t.Errorf("push = %+v, want refused with the bot's 403", p)
			}
			if seen := b.pushes(); len(seen) != 1 || !seen[0].rejected || seen[0].msg.MsgType != "" {
				t.Errorf("the bot read %+v, want one request refused before its handler", seen)
			}
			if msgs := s.Messages("o-reader"); len(msgs) != 1 || msgs[0].Text != Notice {
				t.Errorf("Messages = %+v, want the notice", msgs)
			}
		})
	}
}

func TestVerifyIsTheURLCheck(t *testing.T) {
	s, _ := start(t, Options{})
	if err := s.Verify(context.Background()); !errors.Is(err, ErrNoServer) {
		t.Errorf("Verify with no server: %v, want ErrNoServer", err)
	}
	startBot(t, s, "", nil)
	if err := s.Verify(context.Background()); err != nil {
		t.Errorf("Verify against the library: %v", err)
	}
	other, _ := start(t, Options{Token: "someoneelse"})
	startBot(t, other, "", nil)
	if err := s.SetServer(mustServer(t, other)); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("Verify against a server with another token: %v, want a 403", err)
	}
}

func mustServer(t *testing.T, s *Server) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.target
}

func TestCloseAbandonsAPushInFlight(t *testing.T) {
	s, _ := start(t, Options{ReplyDeadline: time.Minute})
	b := startBot(t, s, "", func(r *http.Request, _ *message.MixMessage) *message.Reply {
		<-r.Context().Done()
		return nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := s.Follow(context.Background(), "o-reader")
		done <- err
	}()
	clocktest.Eventually(t, 5*time.Second, "the push to reach the bot", func() bool { return len(b.pushes()) == 1 })
	s.Close()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "abandoned") {
			t.Errorf("Follow during Close: %v, want abandoned", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("deadlocked: Close did not end the push")
	}
	if p := s.Pushes(); len(p) != 1 || p[0].Outcome != Abandoned {
		t.Errorf("Pushes = %+v, want one abandoned", p)
	}
	if _, err := s.Say(context.Background(), "o-reader", "x"); !errors.Is(err, ErrClosed) {
		t.Errorf("Say after Close: %v, want ErrClosed", err)
	}
}

func TestActionsRefuseWhatNoClientSends(t *testing.T) {
	s, _ := start(t, Options{})
	ctx := context.Background()
	if _, err := s.Follow(ctx, "o-reader"); !errors.Is(err, ErrNoServer) {
		t.Errorf("Follow with no server: %v, want ErrNoServer", err)
	}
	startBot(t, s, "", echo)
	for _, id := range []string{"", "o reader", strings.Repeat("o", 65), "读者"} {
		if _, err := s.Follow(ctx, id); !errors.Is(err, ErrBadOpenID) {
			t.Errorf("Follow(%q): %v, want ErrBadOpenID", id, err)
		}
	}
	follow(t, s, "o-reader")
	for _, text := range []string{"", "  \n", "a\x00b", "\xff"} {
		if _, err := s.Say(ctx, "o-reader", text); err == nil {
			t.Errorf("Say(%q) was pushed", text)
		}
	}
	if n := len(s.Pushes()); n != 1 {
		t.Errorf("%d pushes, want only the follow", n)
	}
}
