package faketelegram

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
)

// startCall records a call as it arrives and returns its index.
func (s *Server) startCall(method string, params map[string]string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Time: s.now(), Method: method, Params: params})
	s.notifyLocked()
	return len(s.calls) - 1
}

// finishCall records how a call was answered, and a refused send.
func (s *Server) finishCall(r *request, rep reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &s.calls[r.call]
	c.Status = rep.status
	if rep.status != http.StatusOK {
		c.Error = rep.desc
	}
	defer s.notifyLocked()
	if !sendMethods[r.method] || rep.status == http.StatusOK || rep.status == 0 {
		return
	}
	rej := Rejection{Time: s.now(), Method: r.method, Code: rep.status, Description: rep.desc}
	if ch := s.resolveChatLocked(r.params["chat_id"]); ch != nil {
		rej.ChatID = ch.ID
	} else {
		rej.ChatID, _ = strconv.ParseInt(r.params["chat_id"], 10, 64)
	}
	if rep.params != nil {
		rej.RetryAfter = rep.params.RetryAfter
		rej.MigrateToChatID = rep.params.MigrateToChatID
	}
	s.rejections = append(s.rejections, rej)
}

// Calls returns every request with a known method and the right token,
// oldest first.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		c.Params = maps.Clone(c.Params)
		out[i] = c
	}
	return out
}

// CallsTo returns the calls of one method (any case), oldest first.
func (s *Server) CallsTo(method string) []Call {
	m := canonicalMethod(method)
	var out []Call
	for _, c := range s.Calls() {
		if c.Method == m {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the messages the bot sent to chatID that the fake
// accepted, oldest first, as they are now (edits applied).
func (s *Server) Sent(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentLocked(chatID)
}

func (s *Server) sentLocked(chatID int64) []Sent {
	c, ok := s.chats[chatID]
	if !ok {
		return nil
	}
	var out []Sent
	for _, m := range c.messages {
		if !m.fromBot {
			continue
		}
		out = append(out, Sent{
			ID:        m.id,
			ChatID:    c.ID,
			Time:      m.date,
			Text:      m.text,
			Plain:     m.plain,
			ParseMode: m.parseMode,
			Entities:  slices.Clone(m.entities),
			Markup:    m.markup.clone(),
			Keyboard:  slices.Clone(m.keyboard),
			ReplyTo:   m.replyTo,
			Thread:    m.thread,
			Preview:   m.preview.clone(),
			Edits:     m.edits,
			EditTime:  m.editDate,
		})
	}
	return out
}

// Rejections returns every refused send, oldest first.
func (s *Server) Rejections() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejections)
}

// Answers returns every accepted answerCallbackQuery and
// answerInlineQuery, oldest first.
func (s *Server) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Answer, len(s.answers))
	for i, a := range s.answers {
		a.Results = slices.Clone(a.Results)
		out[i] = a
	}
	return out
}

// WaitSent blocks until the bot has sent at least n messages to chatID
// and returns them, or returns what there is with an error when ctx ends.
func (s *Server) WaitSent(ctx context.Context, chatID int64, n int) ([]Sent, error) {
	for {
		s.mu.Lock()
		sent := s.sentLocked(chatID)
		changed := s.changed
		s.mu.Unlock()
		if len(sent) >= n {
			return sent, nil
		}
		select {
		case <-ctx.Done():
			return sent, fmt.Errorf("faketelegram: unable to wait for %d messages in chat %d, got %d: %w", n, chatID, len(sent), ctx.Err())
		case <-changed:
		}
	}
}
