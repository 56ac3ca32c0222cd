package officialaccount

import (
	"sync"
	"time"

	"wzdaily/chat"
)

// pushes sees that each push is answered once, however many times WeChat
// delivers it. WeChat sends a push again when it has no answer within five
// seconds, up to three tries in all, and asks that retries be recognised
// by MsgId, or for events by FromUserName and CreateTime
// (Passive_user_reply_message.html: 有msgid的消息推荐使用msgid排重。事件类型
// 消息推荐使用FromUserName + CreateTime 排重).
//
// The first delivery hands the push to the bot; every delivery then waits
// for the answer until its deadline. The first to see the answer claims it
// and replies with it; the others say "success". An answer that comes when
// no delivery is waiting any more is sent late, as customer-service
// messages, by whoever notices last (the bot's answer, or the last
// delivery giving up), so it goes out exactly once.
//
// WeChat sends a push again only when it did not get an answer in time. So
// a delivery of a push whose answer was already given as a passive reply
// means that reply never reached WeChat: it is given again, and the
// follower sees it once. An answer sent late is never given again.
type pushes struct {
	now  func() time.Time
	late func(to chat.Key, pieces []string)
	keep time.Duration // how long an answered push is remembered

	mu     sync.Mutex
	byKey  map[string]*push
	oldest []*push // answered pushes, oldest first, to forget
}

// push is one message or event and its answer.
type push struct {
	key     string
	chat    chat.Key
	done    chan struct{} // closed once the bot has answered
	answer  []string      // the answer's pieces, each one message
	claimed bool          // a reply or a late send has taken the answer
	replied bool          // the taker was a passive reply
	waiting int           // deliveries waiting for the answer
	doneAt  time.Time
}

// maxPushes bounds the pushes remembered: more than a busy account gets in
// keep, so only a flood would make a retry look new.
const maxPushes = 10000

func newPushes(now func() time.Time, late func(chat.Key, []string)) *pushes {
	// WeChat's three tries come within about fifteen seconds.
	return &pushes{now: now, late: late, keep: time.Minute, byKey: map[string]*push{}}
}

// arrive records one delivery of a push and returns it; first says it is
// the first, whose caller hands the push to the bot.
func (p *pushes) arrive(key string, to chat.Key) (e *push, first bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.forget()
	e, ok := p.byKey[key]
	if !ok {
		e = &push{key: key, chat: to, done: make(chan struct{})}
		p.byKey[key] = e
	}
	e.waiting++
	return e, !ok
}

// drop forgets a push the bot never got (the queue was full), so that
// WeChat's retry is taken as new.
func (p *pushes) drop(e *push) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e.waiting--
	if p.byKey[e.key] == e {
		delete(p.byKey, e.key)
	}
}

// await waits, for one delivery, for the answer until stop is closed (the
// deadline passed, or WeChat dropped the connection). It returns the
// answer's pieces when this delivery claims them; nil means "success".
func (p *pushes) await(e *push, stop <-chan struct{}) []string {
	select {
	case <-e.done:
		p.mu.Lock()
		defer p.mu.Unlock()
		e.waiting--
		switch {
		case !e.claimed && len(e.answer) > 0:
			e.claimed, e.replied = true, true
			return e.answer
		case e.replied:
			return e.answer[:1] // the reply WeChat did not get; the rest went late
		}
		return nil
	case <-stop:
	}
	p.mu.Lock()
	e.waiting--
	orphan := p.orphaned(e)
	p.mu.Unlock()
	if orphan {
		p.late(e.chat, e.answer)
	}
	return nil
}

// answered records the bot's answer to a push. When no delivery waits for
// it any more, it is sent late.
func (p *pushes) answered(e *push, pieces []string) {
	p.mu.Lock()
	e.answer, e.doneAt = pieces, p.now()
	close(e.done)
	p.oldest = append(p.oldest, e)
	orphan := p.orphaned(e)
	p.mu.Unlock()
	if orphan {
		p.late(e.chat, pieces)
	}
}

// undelivered hands back an answer a delivery claimed but could not write
// (WeChat had gone): it is sent late, and not given again to a retry.
func (p *pushes) undelivered(e *push, pieces []string) {
	p.mu.Lock()
	e.replied = false
	p.mu.Unlock()
	if len(pieces) > 0 {
		p.late(e.chat, pieces)
	}
}

// orphaned claims an answer nobody waits for; p.mu is held.
func (p *pushes) orphaned(e *push) bool {
	select {
	case <-e.done:
	default:
		return false
	}
	if e.claimed || e.waiting > 0 || len(e.answer) == 0 {
		return false
	}
	e.claimed = true
	return true
}

// forget drops answered pushes older than keep, and the oldest beyond
// maxPushes; p.mu is held.
func (p *pushes) forget() {
	cutoff := p.now().Add(-p.keep)
	n := 0
	for n < len(p.oldest) && (p.oldest[n].doneAt.Before(cutoff) || len(p.byKey) > maxPushes) {
		if p.byKey[p.oldest[n].key] == p.oldest[n] {
			delete(p.byKey, p.oldest[n].key)
		}
		n++
	}
	p.oldest = p.oldest[n:]
}
