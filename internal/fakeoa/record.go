package fakeoa

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Via is how a message reached a follower.
type Via string

const (
	ViaReply  Via = "reply"  // a passive reply to a push
	ViaCustom Via = "custom" // a customer-service message (/cgi-bin/message/custom/send)
	ViaNotice Via = "notice" // WeChat's own Notice, when the bot failed a push
)

// Message is one message a follower saw in the account's conversation.
type Message struct {
	Seq     int // 1, 2, … across all followers, in the order shown
	OpenID  string
	At      time.Time // by Options.Now
	Via     Via
	MsgType string // "text" for everything the fake shows in full
	Text    string
	PushID  int // the push a reply or notice answered; 0 for customer service

	taken bool // returned by a follower action or by WaitMessage
}

// addMessageLocked records m. taken marks it as already returned to the
// test (by the action whose push it answered). Callers hold s.mu.
func (s *Server) addMessageLocked(m Message, taken bool) {
	m.Seq = len(s.messages) + 1
	m.taken = taken
	s.messages = append(s.messages, &m)
	s.notifyLocked()
}

// Messages returns every message openID saw, oldest first.
func (s *Server) Messages(openID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.OpenID == openID {
			out = append(out, *m)
		}
	}
	return out
}

// WaitMessage returns the oldest message to openID that no follower action
// and no earlier WaitMessage returned (in practice a customer-service
// message: replies and notices come back with their push), waiting for it
// until ctx ends.
func (s *Server) WaitMessage(ctx context.Context, openID string) (Message, error) {
	for {
		s.mu.Lock()
		for _, m := range s.messages {
			if m.OpenID == openID && !m.taken {
				m.taken = true
				out := *m
				s.mu.Unlock()
				return out, nil
			}
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return Message{}, fmt.Errorf("fakeoa: no new message to %s: %w", openID, ctx.Err())
		case <-s.ctx.Done():
			return Message{}, ErrClosed
		case <-changed:
		}
	}
}

// Pushes returns every push that ended, in the order they ended; a
// push's ID is the order it started in.
func (s *Server) Pushes() []Push {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.pushes)
	for i := range out {
		out[i].Attempts = slices.Clone(out[i].Attempts)
	}
	return out
}

// Call is one request to the API.
type Call struct {
	At      time.Time // by Options.Now
	Method  string
	Path    string
	Status  int    // HTTP status answered; 0 when the connection was dropped
	Errcode int    // errcode answered; 0 for success
	Errmsg  string // errmsg answered, rid included
	OpenID  string // touser, for customer-service messages
	Text    string // the text content, for customer-service messages
}

// Calls returns every API request, oldest first. Query strings are not
// kept: they hold access tokens and the AppSecret.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// CallsTo returns the calls to one path, oldest first.
func (s *Server) CallsTo(path string) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}
