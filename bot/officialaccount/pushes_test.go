package officialaccount

import (
	"slices"
	"sync"
	"testing"
	"time"

	"wzdaily/chat"
	"wzdaily/internal/clocktest"
)

// lateSends records what pushes hands to the customer-service path.
type lateSends struct {
	mu   sync.Mutex
	sent [][]string
}

func (l *lateSends) send(_ chat.Key, pieces []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, pieces)
}

func (l *lateSends) all() [][]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.sent)
}

var reader = chat.Key{Platform: Platform, ChatID: "o-reader"}

func newTestPushes() (*pushes, *lateSends, *clocktest.Manual) {
	clock := clocktest.NewManual(time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC))
	late := &lateSends{}
	return newPushes(clock.Now, late.send), late, clock
}

func TestAnAnswerInTimeIsTheReplyAndARetryGetsItAgain(t *testing.T) {
	p, late, _ := newTestPushes()
	e, first := p.arrive("msg:1", reader)
	if !first {
		t.Fatal("the first delivery was not first")
	}
	p.answered(e, []string{"answer", "more"})
	if got := p.await(e, make(chan struct{})); !slices.Equal(got, []string{"answer", "more"}) {
		t.Errorf("the delivery got %q", got)
	}
	// WeChat asks again only when the reply did not reach it: the reply
	// is given again, and only the reply (the rest went after it).
	again, first := p.arrive("msg:1", reader)
	if first || again != e {
		t.Fatal("a retry was taken for a new push")
	}
	if got := p.await(again, make(chan struct{})); !slices.Equal(got, []string{"answer"}) {
		t.Errorf("a retry of a replied push got %q", got)
	}
	if len(late.all()) != 0 {
		t.Errorf("late sends of an answer given in time: %q", late.all())
	}
}

func TestAReplyThatCouldNotBeWrittenGoesLateAndNotAgain(t *testing.T) {
	p, late, _ := newTestPushes()
	e, _ := p.arrive("msg:7", reader)
	p.answered(e, []string{"answer"})
	got := p.await(e, make(chan struct{}))
	p.undelivered(e, got)
	again, _ := p.arrive("msg:7", reader)
	if r := p.await(again, make(chan struct{})); r != nil || len(late.all()) != 1 {
		t.Errorf("a retry got %q; late sends %q", r, late.all())
	}
}

func TestAnAnswerAfterTheDeadlineGoesOutLateOnce(t *testing.T) {
	p, late, _ := newTestPushes()
	e, _ := p.arrive("msg:2", reader)
	deadline := make(chan struct{})
	close(deadline)
	if got := p.await(e, deadline); got != nil {
		t.Errorf("a delivery past its deadline replied %q", got)
	}
	p.answered(e, []string{"slow answer"})
	if got := late.all(); len(got) != 1 || got[0][0] != "slow answer" {
		t.Errorf("late sends: %q", got)
	}
	// WeChat had its "success": a retry would be answered "success" too.
	again, _ := p.arrive("msg:2", reader)
	if got := p.await(again, make(chan struct{})); got != nil || len(late.all()) != 1 {
		t.Errorf("a retry got %q; late sends %q", got, late.all())
	}
}

func TestARetryWaitsForTheFirstDeliverysAnswer(t *testing.T) {
	p, late, _ := newTestPushes()
	e, _ := p.arrive("msg:3", reader)
	// WeChat hangs up on the first delivery and sends the push again.
	hungUp := make(chan struct{})
	close(hungUp)
	if got := p.await(e, hungUp); got != nil {
		t.Fatalf("a dropped delivery replied %q", got)
	}
	again, first := p.arrive("msg:3", reader)
	if first {
		t.Fatal("the retry was handed to the bot again")
	}
	got := make(chan []string)
	go func() { got <- p.await(again, make(chan struct{})) }()
	clocktest.Eventually(t, 5*time.Second, "the retry waiting", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return again.waiting == 1
	})
	p.answered(e, []string{"answer"})
	if g := <-got; !slices.Equal(g, []string{"answer"}) {
		t.Errorf("the retry replied %q", g)
	}
	if len(late.all()) != 0 {
		t.Errorf("late sends of an answer a retry gave: %q", late.all())
	}
}

func TestTheLastToLeaveSendsTheAnswerLate(t *testing.T) {
	// The answer comes while a delivery waits, and the delivery's deadline
	// passes at the same moment: the answer must go out one way or the
	// other, never both, never neither.
	for range 200 {
		p, late, _ := newTestPushes()
		e, _ := p.arrive("msg:4", reader)
		deadline := make(chan struct{})
		replied := make(chan []string)
		go func() { replied <- p.await(e, deadline) }()
		go close(deadline)
		p.answered(e, []string{"answer"})
		r := <-replied
		if n := len(late.all()); (r == nil) == (n == 0) || n > 1 {
			t.Fatalf("replied %q and %d late sends", r, n)
		}
	}
}

func TestAnEmptyAnswerSendsNothingLate(t *testing.T) {
	p, late, _ := newTestPushes()
	e, _ := p.arrive("event:o:1:unsubscribe", reader)
	stop := make(chan struct{})
	close(stop)
	p.await(e, stop)
	p.answered(e, nil)
	if len(late.all()) != 0 {
		t.Errorf("late sends of no answer: %q", late.all())
	}
}

func TestAnsweredPushesAreForgottenAfterAMinute(t *testing.T) {
	p, _, clock := newTestPushes()
	e, _ := p.arrive("msg:5", reader)
	p.answered(e, []string{"a"})
	p.await(e, make(chan struct{}))
	clock.Advance(59 * time.Second)
	if _, first := p.arrive("msg:5", reader); first {
		t.Error("forgotten within a minute")
	}
	clock.Advance(2 * time.Second)
	if _, first := p.arrive("msg:5", reader); !first {
		t.Error("remembered past a minute")
	}
}

func TestADroppedPushIsNewToItsRetry(t *testing.T) {
	p, _, _ := newTestPushes()
	e, _ := p.arrive("msg:6", reader)
	p.drop(e)
	if _, first := p.arrive("msg:6", reader); !first {
		t.Error("the retry of a push the bot never got was not handed to it")
	}
}
