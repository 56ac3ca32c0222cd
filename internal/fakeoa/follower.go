package fakeoa

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"
)

// Follow makes openID follow the account: the platform pushes a subscribe
// event, and the welcome the bot answers is what the follower sees. It opens
// the follow window (window.go).
func (s *Server) Follow(ctx context.Context, openID string) (Push, error) {
	m, err := s.act(openID, KindSubscribe, "", func(f *follower, now time.Time) error {
		if f.following {
			return ErrAlreadyFollowed
		}
		f.following = true
		f.event = grant{left: s.quota.eventQuota, until: now.Add(s.quota.eventSpan)}
		return nil
	})
	if err != nil {
		return Push{}, err
	}
	return s.deliver(ctx, m, true)
}

// Unfollow makes openID leave: an unsubscribe event is pushed, whose reply
// nobody sees, and every window closes.
func (s *Server) Unfollow(ctx context.Context, openID string) (Push, error) {
	m, err := s.act(openID, KindUnsubscribe, "", func(f *follower, _ time.Time) error {
		if !f.following {
			return ErrNotFollowing
		}
		f.following = false
		f.message, f.event = grant{}, grant{}
		return nil
	})
	if err != nil {
		return Push{}, err
	}
	return s.deliver(ctx, m, false)
}

// Say sends the text as openID: a text message with a new MsgId is pushed,
// and its passive reply, if any, is in the Push. It opens the message
// window.
func (s *Server) Say(ctx context.Context, openID, text string) (Push, error) {
	if err := checkText(text); err != nil {
		return Push{}, err
	}
	m, err := s.act(openID, KindText, text, func(f *follower, now time.Time) error {
		if !f.following {
			return ErrNotFollowing
		}
		f.message = grant{left: s.quota.messageQuota, until: now.Add(s.quota.messageSpan)}
		return nil
	})
	if err != nil {
		return Push{}, err
	}
	return s.deliver(ctx, m, true)
}

// Click presses the menu's click button with key as openID: a CLICK event
// with the key is pushed. It opens the click window.
func (s *Server) Click(ctx context.Context, openID, key string) (Push, error) {
	m, err := s.act(openID, KindClick, key, func(f *follower, now time.Time) error {
		switch {
		case !f.following:
			return ErrNotFollowing
		case !s.menuHasLocked("click", key):
			return ErrNoSuchButton
		}
		f.event = grant{left: s.quota.eventQuota, until: now.Add(s.quota.eventSpan)}
		return nil
	})
	if err != nil {
		return Push{}, err
	}
	return s.deliver(ctx, m, true)
}

// View opens the menu's link button with link as openID: a VIEW event is
// pushed. A link opens no window; the follower's client shows the page,
// not a reply.
func (s *Server) View(ctx context.Context, openID, link string) (Push, error) {
	m, err := s.act(openID, KindView, link, func(f *follower, _ time.Time) error {
		switch {
		case !f.following:
			return ErrNotFollowing
		case !s.menuHasLocked("view", link):
			return ErrNoSuchButton
		}
		return nil
	})
	if err != nil {
		return Push{}, err
	}
	return s.deliver(ctx, m, false)
}

// act applies a follower's action to the state and returns the message
// to push. change says whether the action is possible.
func (s *Server) act(openID string, kind Kind, text string, change func(*follower, time.Time) error) (action, error) {
	if !openIDRE.MatchString(openID) {
		return action{}, ErrBadOpenID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.ctx.Err() != nil:
		return action{}, ErrClosed
	case s.target == "":
		return action{}, ErrNoServer
	}
	f := s.followers[openID]
	if f == nil {
		f = &follower{openID: openID}
	}
	// CreateTime is in seconds: what the bot sees, and what the page says
	// to deduplicate events on, with FromUserName. A person's taps are a
	// second apart or more, so one follower's events never share a
	// CreateTime, even when a test's clock stands still.
	now := s.now().Truncate(time.Second)
	if kind != KindText && !now.After(f.lastEvent) {
		now = f.lastEvent.Add(time.Second)
	}
	if err := change(f, now); err != nil {
		return action{}, err
	}
	if kind != KindText {
		f.lastEvent = now
	}
	s.followers[openID] = f
	m := action{openID: openID, kind: kind, text: text, createTime: now}
	if kind == KindText {
		if s.lastMsgID == 0 {
			// Real MsgIds are 17 to 19 digits.
			s.lastMsgID = 24_000_000_000_000_000 + rand.Int64N(1_000_000_000_000_000)
		}
		s.lastMsgID++
		m.msgID = s.lastMsgID
	}
	return m, nil
}

// checkText refuses what no WeChat client sends: an empty message, or one
// that is not UTF-8 or holds characters XML cannot carry.
func checkText(text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return errors.New("fakeoa: a message must not be empty")
	case !utf8.ValidString(text):
		return errors.New("fakeoa: a message must be UTF-8")
	}
	for _, r := range text {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return errors.New("fakeoa: a message must not hold control characters")
		}
	}
	return nil
}
