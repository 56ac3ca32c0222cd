package fakehook

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// Delivery is one accepted message.
type Delivery struct {
	MessageID      string
	ChatID         string
	Platform       string
	Text           string
	Buttons        [][]Button
	IdempotencyKey string // from the JSON or, failing that, the header
	At             time.Time
	// Dropped: the connection was closed instead of confirming, or the
	// client had gone before the answer was written, so the
	// sender saw an error although the message arrived.
	Dropped bool
}

// Rejection is one answer that was not a confirmation.
type Rejection struct {
	ChatID         string // empty when the request could not be read
	IdempotencyKey string
	Status         int
	Description    string
	RetryAfter     int // seconds, for 429
	At             time.Time
}

func (s *Server) reject(m message, status int, desc string, p *parameters) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejectLocked(m, status, desc, p)
}

// rejectLocked records a rejection and returns its answer. Callers hold
// s.mu.
func (s *Server) rejectLocked(m message, status int, desc string, p *parameters) reply {
	r := Rejection{ChatID: m.ChatID, IdempotencyKey: m.IdempotencyKey, Status: status, Description: desc, At: s.now()}
	if p != nil {
		r.RetryAfter = p.RetryAfter
	}
	s.rejections = append(s.rejections, r)
	return reply{status: status, body: answerBody{ErrorCode: status, Description: desc, Parameters: p}}
}

// Deliveries returns every accepted message, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		d.Buttons = cloneButtons(d.Buttons)
		out[i] = d
	}
	return out
}

// ByChat returns the accepted messages grouped by chat_id, oldest first.
func (s *Server) ByChat() map[string][]Delivery {
	out := map[string][]Delivery{}
	for _, d := range s.Deliveries() {
		out[d.ChatID] = append(out[d.ChatID], d)
	}
	return out
}

// Count returns how many messages were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.deliveries)
}

// Duplicates returns each idempotency key that was accepted more than
// once, with its count: the parts a receiver would have seen twice.
func (s *Server) Duplicates() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]int{}
	for _, d := range s.deliveries {
		if d.IdempotencyKey != "" {
			seen[d.IdempotencyKey]++
		}
	}
	maps.DeleteFunc(seen, func(_ string, n int) bool { return n < 2 })
	return seen
}

// Rejections returns every answer other than a confirmation, oldest
// first. A dropped connection or a slow request the client abandoned is
// not an answer and is not listed.
func (s *Server) Rejections() []Rejection {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejections)
}

// Rejected429 returns how many 429s were answered, from the rate limits
// and from faults.
func (s *Server) Rejected429() int {
	return s.Rejected429Since(time.Time{})
}

// Rejected429Since returns how many 429s were answered at or after t
// (by Options.Now).
func (s *Server) Rejected429Since(t time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.rejections {
		if r.Status == http.StatusTooManyRequests && !r.At.Before(t) {
			n++
		}
	}
	return n
}

func cloneButtons(rows [][]Button) [][]Button {
	if rows == nil {
		return nil
	}
	out := make([][]Button, len(rows))
	for i, r := range rows {
		out[i] = slices.Clone(r)
	}
	return out
}
