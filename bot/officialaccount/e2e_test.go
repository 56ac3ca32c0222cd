package officialaccount_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"wzdaily/articles"
	"wzdaily/bot"
	"wzdaily/bot/officialaccount"
	"wzdaily/chat"
	"wzdaily/internal/clocktest"
	"wzdaily/internal/fakeoa"
	"wzdaily/subscribers"
)

const reader = "oReader0123456789abcdefghijk" // 28 characters, as WeChat's OpenIDs

func TestFollowSubscribeSearchAndTheMenu(t *testing.T) {
	w := newWorld(t, options{})
	var buttons []officialaccount.MenuButton
	for _, m := range bot.Menu("zh") {
		buttons = append(buttons, officialaccount.MenuButton{Label: m.Label, Command: m.Command})
	}
	if err := w.tr.InstallMenu(context.Background(), buttons); err != nil {
		t.Fatal(err)
	}
	menu, ok := w.fake.Menu()
	if !ok || len(menu) != 3 || menu[0].Name != "今日摘要" || menu[1].Name != "搜索" || menu[2].Name != "我的订阅" {
		t.Fatalf("menu %+v", menu)
	}

	p := w.follow(t, reader)
	if p.Outcome != fakeoa.Replied || !strings.Contains(p.Reply, "欢迎") {
		t.Fatalf("the welcome: %+v", p)
	}
	if s := w.sub(t, reader); s.State != subscribers.Active {
		t.Errorf("a follower is %s", s.State)
	}
	if p := w.say(t, reader, "订阅 工业"); p.Outcome != fakeoa.Replied || !strings.Contains(p.Reply, "工业") {
		t.Errorf("订阅 工业: %+v", p)
	}
	if s := w.sub(t, reader); !contains(strings.Join(s.Tags, " "), "工业") {
		t.Errorf("tags %v", s.Tags)
	}

	first := w.say(t, reader, "搜索 美元") // 16 results, five a page
	if first.Outcome != fakeoa.Replied || !contains(first.Reply, "美元", "1. ", "5. ", "下一页") || strings.Contains(first.Reply, "6. ") {
		t.Fatalf("search, page 1: %+v", first)
	}
	second := w.say(t, reader, "下一页")
	if second.Outcome != fakeoa.Replied || !contains(second.Reply, "6. ", "上一页") || strings.Contains(second.Reply, "\n1. ") {
		t.Errorf("search, page 2: %+v", second)
	}

	click, err := w.fake.Click(context.Background(), reader, "/list")
	if err != nil {
		t.Fatal(err)
	}
	if click.Outcome != fakeoa.Replied || !strings.Contains(click.Reply, "工业") {
		t.Errorf("a click on 我的订阅: %+v", click)
	}
	for _, p := range w.fake.Pushes() {
		if p.Retried() || len(p.Reply) > fakeoa.MaxReplyXML {
			t.Errorf("push %d: %d tries, %d bytes", p.ID, len(p.Attempts), len(p.Reply))
		}
	}
}

func TestASlowAnswerComesAsACustomerServiceMessage(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	release := w.gate.hold("搜索 西江")
	p := w.say(t, reader, "搜索 西江")
	// The bot said "success" within its deadline: WeChat shows nothing and
	// does not ask again.
	if p.Outcome != fakeoa.NoReply || p.Retried() {
		t.Fatalf("the push of a slow search: %+v", p)
	}
	release()
	m := w.next(t, reader)
	if m.Via != fakeoa.ViaCustom || !contains(m.Text, "西江", "1. ") {
		t.Errorf("the late answer: %+v", m)
	}
	if n := w.gate.times("搜索 西江"); n != 1 {
		t.Errorf("the bot searched %d times", n)
	}
}

func TestARetriedPushIsAnsweredOnce(t *testing.T) {
	t.Run("the answer lost on the way back", func(t *testing.T) {
		w := newWorld(t, options{})
		w.follow(t, reader)
		if err := w.fake.FailPushes(fakeoa.LoseReply, 1); err != nil {
			t.Fatal(err)
		}
		p := w.say(t, reader, "搜索 西江")
		if !p.Retried() || p.Outcome != fakeoa.Replied || !contains(p.Reply, "西江", "1. ") {
			t.Fatalf("push %+v", p)
		}
		if n := w.gate.times("搜索 西江"); n != 1 {
			t.Errorf("the bot searched %d times", n)
		}
		if ms := shown(w, reader, "1. "); ms != 1 {
			t.Errorf("the follower saw the answer %d times", ms)
		}
	})
	t.Run("a retry while the first try still works", func(t *testing.T) {
		// WeChat gives up on a try before the bot does: the retry waits
		// for the answer the first try started.
		w := newWorld(t, options{botDeadline: 4500 * time.Millisecond})
		w.follow(t, reader)
		release := w.gate.hold("搜索 西江")
		before := w.requests.Load()
		done := make(chan fakeoa.Push)
		go func() {
			p, err := w.fake.Say(context.Background(), reader, "搜索 西江")
			if err != nil {
				t.Error(err)
			}
			done <- p
		}()
		waitFor(t, "WeChat's second try", func() bool { return w.requests.Load() >= before+2 })
		release()
		p := <-done
		if !p.Retried() || p.Outcome != fakeoa.Replied || !contains(p.Reply, "西江") {
			t.Fatalf("push %+v", p)
		}
		if n := w.gate.times("搜索 西江"); n != 1 {
			t.Errorf("the bot searched %d times", n)
		}
	})
}

func TestATokenThatExpiresMidRunIsFetchedOnceForAllSenders(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	w.say(t, reader, "订阅 工业") // opens the window: five messages in 48 hours
	fetched := len(w.fake.CallsTo("/cgi-bin/token"))
	w.fake.ExpireTokens()
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for i := range 5 {
		wg.Go(func() {
			_, err := w.tr.Send(context.Background(), key(reader), chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "第" + string(rune('1'+i)) + "条"}}}}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("a send after the token expired: %v", err)
		}
	}
	if n := len(w.fake.CallsTo("/cgi-bin/token")) - fetched; n != 1 {
		t.Errorf("%d token fetches for 5 senders refused at once", n)
	}
}

func TestTheWindowClosesAndSendsSaySo(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	// Following allows three messages within a minute; a message, five
	// within 48 hours.
	w.clock.Jump(w.clock.Now().Add(2 * time.Minute))
	w.say(t, reader, "订阅 工业")
	m := chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "摘要"}}}}}
	for i := range officialaccount.WindowMessages {
		if _, err := w.tr.Send(context.Background(), key(reader), m); err != nil {
			t.Fatalf("send %d of %d: %v", i+1, officialaccount.WindowMessages, err)
		}
	}
	_, err := w.tr.Send(context.Background(), key(reader), m)
	var se *chat.SendError
	if !errors.As(err, &se) || !se.Closed || se.Permanent {
		t.Errorf("a send past the window's count: %v", err)
	}
	w.say(t, reader, "我的订阅") // a new message: five more
	w.clock.Jump(w.clock.Now().Add(officialaccount.WindowSpan + time.Minute))
	_, err = w.tr.Send(context.Background(), key(reader), m)
	if !errors.As(err, &se) || !se.Closed {
		t.Errorf("a send after 48 hours of silence: %v", err)
	}
}

func TestAMorningDigestGoesOutWithinTheWindow(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	w.say(t, reader, "订阅 梧州日报新闻")
	w.clock.Jump(at(7, 30))
	rep, err := w.app.Engine.RunDue(context.Background())
	if err != nil || rep.Digests != 1 {
		t.Fatalf("morning: %+v, %v", rep, err)
	}
	w.app.Deliverer.Wake()
	m := w.next(t, reader)
	if m.Via != fakeoa.ViaCustom || !strings.Contains(m.Text, "西江") || len(m.Text) > officialaccount.MaxBytes {
		t.Errorf("the digest: %+v", m)
	}
}

func TestUnfollowThenFollowAgainKeepsTheSettings(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	w.say(t, reader, "订阅 工业")
	if _, err := w.fake.Unfollow(context.Background(), reader); err != nil {
		t.Fatal(err)
	}
	if s := w.sub(t, reader); s.State != subscribers.Left {
		t.Errorf("after unfollowing: %s", s.State)
	}
	p := w.follow(t, reader)
	s := w.sub(t, reader)
	if s.State != subscribers.Active || !contains(strings.Join(s.Tags, " "), "工业") || !strings.Contains(p.Reply, "欢迎回来") {
		t.Errorf("after following again: %s %v, welcome %q", s.State, s.Tags, p.Reply)
	}
}

func TestAPushWithABadSignatureChangesNothing(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	if err := w.fake.FailPushes(fakeoa.BadSignature, 1); err != nil {
		t.Fatal(err)
	}
	p := w.say(t, reader, "订阅 工业")
	if len(p.Attempts) == 0 || p.Attempts[0].Status != 403 {
		t.Fatalf("a push signed with another token: %+v", p)
	}
	if w.gate.times("订阅 工业") != 0 {
		t.Error("the bot was handed it")
	}
	if s := w.sub(t, reader); len(s.Tags) != 1 { // the default tag only
		t.Errorf("tags changed: %v", s.Tags)
	}
}

func TestSafeMode(t *testing.T) {
	w := newWorld(t, options{aesKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"})
	if p := w.follow(t, reader); p.Outcome != fakeoa.Replied || !strings.Contains(p.Reply, "欢迎") {
		t.Fatalf("the welcome: %+v", p)
	}
	if p := w.say(t, reader, "搜索 西江"); p.Outcome != fakeoa.Replied || !contains(p.Reply, "西江", "1. ") {
		t.Errorf("search: %+v", p)
	}
}

func TestALongAnswerIsSplitReplyFirst(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	p := w.say(t, reader, "最新 20")
	if p.Outcome != fakeoa.Replied {
		t.Fatalf("最新 20: %+v", p)
	}
	answer := w.gate.answer("最新 20")
	if len(answer) != 1 {
		t.Fatalf("%d messages", len(answer))
	}
	full := chat.TextOnly(answer[0])
	if len(full) <= officialaccount.MaxBytes {
		t.Fatalf("an answer of %d bytes is too short for this test", len(full))
	}
	got := p.Reply
	for len(got) < len(full) {
		got += "\n" + w.next(t, reader).Text
	}
	if got != full {
		t.Errorf("the help as read:\n%s\nas written:\n%s", got, full)
	}
}

// shown counts the messages openID saw that hold s.
func shown(w *world, openID, s string) int {
	n := 0
	for _, m := range w.fake.Messages(openID) {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	clocktest.Eventually(t, 20*time.Second, what, cond)
}

func TestANumberAfterADigestIsNotAnOlderButton(t *testing.T) {
	w := newWorld(t, options{})
	w.follow(t, reader)
	if p := w.say(t, reader, "标签"); !strings.Contains(p.Reply, "回复数字：[1]") {
		t.Fatalf("标签: %+v", p)
	}
	if _, err := w.tr.Send(context.Background(), key(reader), chat.Message{Blocks: []chat.Block{{Spans: []chat.Span{{Text: "摘要"}}}}}); err != nil {
		t.Fatal(err)
	}
	w.say(t, reader, "1")
	if n := w.gate.times("1"); n != 1 {
		t.Errorf("a 1 after the digest reached the bot as text %d times (it pressed a button of 标签)", n)
	}
}

func TestASilentReaderGetsTheHeldDigestsOnceWhenTheyWrite(t *testing.T) {
	w := newWorld(t, options{})
	day := func(n, hour, minute int) time.Time { return at(hour, minute).AddDate(0, 0, n) }
	w.follow(t, reader)
	w.say(t, reader, "你好") // day 0, 06:00: the window runs to day 2, 06:00
	// Each morning the paper's news comes in at 06:00, the digest at 07:30.
	news := []string{"", "西江新港开工", "西江大桥合龙", "西江夜游开航"}
	morning := func(n int) {
		t.Helper()
		if n > 0 {
			w.clock.Jump(day(n, 6, 0))
			a := &articles.Article{ID: fmt.Sprint("XJD", n), Title: news[n], Body: news[n] + "。", Published: day(n, 5, 0),
				Tags: []string{"梧州日报新闻"}, URL: fmt.Sprintf("https://finews.withounder.com/xijiang/d%d.html", n)}
			if _, err := w.app.Articles.Save(context.Background(), a); err != nil {
				t.Fatal(err)
			}
		}
		w.clock.Jump(day(n, 7, 30))
		if rep, err := w.app.Engine.RunDue(context.Background()); err != nil || rep.Digests != 1 {
			t.Fatalf("day %d: %+v, %v", n, rep, err)
		}
		w.app.Deliverer.Wake()
	}
	morning(0)
	if m := w.next(t, reader); !strings.Contains(m.Text, "西江航运第四季度报告") {
		t.Fatalf("day 0: %+v", m)
	}
	morning(1)
	if m := w.next(t, reader); !strings.Contains(m.Text, "西江新港开工") {
		t.Fatalf("day 1: %+v", m)
	}
	sends := len(w.fake.CallsTo("/cgi-bin/message/custom/send"))
	held := func() int {
		c, err := w.app.Deliverer.Windows(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c[officialaccount.Platform].HeldParts
	}
	morning(2)
	waitFor(t, "day 2's digest held", func() bool { return held() >= 1 })
	morning(3)
	waitFor(t, "day 3's digest held", func() bool { return held() >= 2 })
	if n := len(w.fake.CallsTo("/cgi-bin/message/custom/send")) - sends; n != 0 {
		t.Errorf("%d sends tried while the window was closed", n)
	}

	// Day 3, noon: the reader writes. The held digests come first, merged
	// into one, then the answer.
	w.clock.Jump(day(3, 12, 0))
	p := w.say(t, reader, "我的订阅")
	release := w.next(t, reader)
	if !contains(release.Text, "2 天", "西江大桥合龙", "西江夜游开航") || strings.Count(release.Text, "西江大桥合龙") != 1 {
		t.Errorf("the release: %+v", release)
	}
	var reply fakeoa.Message
	for _, m := range w.fake.Messages(reader) {
		if m.PushID == p.ID {
			reply = m
		}
	}
	if p.Outcome != fakeoa.Replied || reply.Seq < release.Seq {
		t.Errorf("the answer (%d) came before the release (%d): %+v", reply.Seq, release.Seq, p)
	}
	if n := held(); n != 0 {
		t.Errorf("%d parts still held", n)
	}
}
