package fakeoa

import (
	"time"
)

// The customer-service window, as the platform's page on sending
// customer-service messages states it
// (https://developers.weixin.qq.com/doc/service/api/customer/message/api_sendcustommessage,
// and the same table at https://developers.weixin.qq.com/doc/subscription/guide/product/kf/intro.md):
// after a follower's action the account may call the customer-service API
// for that follower a number of times within a time:
//
//	用户发送消息 (the follower sends a message)   5 messages   48 hours
//	点击自定义菜单 (a menu click)                 3 messages   1 minute
//	关注公众号 (following the account)            3 messages   1 minute
//	扫描二维码 (scanning a QR code)                3 messages   1 minute
//
// Only click-type menu buttons count (click, scancode_push,
// scancode_waitmsg), not links (VIEW); and a click grants no message-sized
// quota ("不会产生用户发送消息场景的客服消息下发额度"). Older pages said 20
// messages; the current ones say 5. Outside every window the API answers
// 45015; inside a window whose quota is used up, 45047. A new message
// starts the message quota afresh (developers: "除非用户在你发送5条之前又给你发消息了
// 这样会按照上面的规则重新计算"), and so the fake keeps one grant per kind, the
// latest. A send uses the grant that ends first.

// windowRules are the quotas of Options.
type windowRules struct {
	messageQuota int
	messageSpan  time.Duration
	eventQuota   int
	eventSpan    time.Duration
}

// grant is what one action allows: left messages until until.
type grant struct {
	left  int
	until time.Time
}

func (g grant) open(now time.Time) bool { return now.Before(g.until) }

// follower is one OpenID the account has seen.
type follower struct {
	openID    string
	following bool
	message   grant // after the latest message
	event     grant // after the latest follow or click
	lastEvent time.Time
}

// Window is what the bot may send a follower now through the
// customer-service API.
type Window struct {
	Following bool
	Open      bool      // some grant is still running
	Left      int       // messages the running grants allow in all
	Until     time.Time // when the last running grant ends; zero if none
}

// Window returns the follower's customer-service window at the fake's now.
func (s *Server) Window(openID string) Window {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.followers[openID]
	if f == nil {
		return Window{}
	}
	now := s.now()
	w := Window{Following: f.following}
	if !f.following {
		return w
	}
	for _, g := range []grant{f.message, f.event} {
		if g.open(now) {
			w.Open = true
			w.Left += g.left
			if g.until.After(w.Until) {
				w.Until = g.until
			}
		}
	}
	return w
}

// useWindowLocked spends one message of f's window at now, or returns
// the errcode that refuses it. Callers hold s.mu.
func (s *Server) useWindowLocked(f *follower, now time.Time) int {
	if f == nil || !f.following {
		// The platform answers an unfollowed reader as it answers a closed
		// window: errmsg "response out of time limit or subscription is
		// canceled" (developers' logs of 45015).
		return errOutOfTime
	}
	var use *grant
	anyOpen := false
	for _, g := range []*grant{&f.event, &f.message} {
		if !g.open(now) {
			continue
		}
		anyOpen = true
		if g.left > 0 && (use == nil || g.until.Before(use.until)) {
			use = g
		}
	}
	switch {
	case !anyOpen:
		return errOutOfTime
	case use == nil:
		return errOutOfCount
	}
	use.left--
	return 0
}
