// Package fakehook is a fake of the service behind bot/webhook. It takes
// the webhook JSON, answers the way a chat platform does (Telegram's flood
// control, blocked, missing and migrated chats, and, as a relay to a
// platform with conversation windows, windows that close), records every
// message it accepts, and misbehaves on demand, so that delivery can be
// tested over real HTTP, also from a child process.
package fakehook

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Now stamps deliveries and drives the rate limits; default time.Now.
	Now func() time.Time
	// Rate is how many messages per second are accepted across all chats,
	// counted over a sliding second; 0 (or less) is unlimited.
	Rate int
	// PerChat is the least time between two accepted messages to one chat;
	// 0 is none.
	PerChat time.Duration
	// Window makes the fake a relay to a platform with conversation
	// windows (WeCom's customer service): a chat takes messages only
	// within Window after its reader last wrote (Heard), and at most
	// WindowMessages of them (0: no count); otherwise the answer is 409
	// with window_closed. 0 is no window.
	Window         time.Duration
	WindowMessages int
}

// Server is the fake receiver; serve it with httptest.NewServer. It is
// safe for concurrent use.
type Server struct {
	now     func() time.Time
	rate    int
	perChat time.Duration
	window  Options // Window and WindowMessages

	mu         sync.Mutex
	lastID     int64
	deliveries []Delivery
	rejections []Rejection
	recent     []time.Time          // accepted in the last second, oldest first
	lastSent   map[string]time.Time // by chat
	chats      map[string]chatFault
	heard      map[string]*heard // by chat: its reader's last message, with Window
	faults     Faults
	faultsLeft int // of faults.Times; -1 is unlimited
	rng        *rand.Rand
	release    chan struct{} // closed by Clear to wake slow requests
}

// New returns a Server with no faults.
func New(opts Options) *Server {
	s := &Server{
		now:      opts.Now,
		rate:     max(opts.Rate, 0),
		perChat:  max(opts.PerChat, 0),
		window:   Options{Window: max(opts.Window, 0), WindowMessages: max(opts.WindowMessages, 0)},
		heard:    map[string]*heard{},
		lastSent: map[string]time.Time{},
		chats:    map[string]chatFault{},
		release:  make(chan struct{}),
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// ServeHTTP handles one POST of the webhook JSON. In order: the request is
// parsed (400 when malformed), a random fault may replace the answer, the
// chat's own fault applies, then the rate limits (429), and finally the
// message is recorded and confirmed.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.answer(w, s.reject(message{}, http.StatusMethodNotAllowed, "Method Not Allowed", nil))
		return
	}
	m, err := decode(w, r)
	if err != nil {
		s.answer(w, s.reject(m, http.StatusBadRequest, "Bad Request: "+err.Error(), nil))
		return
	}

	kind, delay, release := s.draw()
	switch kind {
	case FaultSlow:
		if !wait(r, delay, release) {
			return // the client gave up; nothing was delivered
		}
	case Fault429:
		s.answer(w, s.tooMany(m, time.Second))
		return
	case Fault500:
		s.answer(w, s.reject(m, http.StatusInternalServerError, "Internal Server Error", nil))
		return
	case Fault502:
		s.badGateway(w, m)
		return
	}

	// A client that gave up while the request waited (a slow machine, not
	// only FaultSlow) never sees the confirmation: the delivery is recorded
	// as one whose answer was lost, so it may come again.
	a := s.accept(m, kind == FaultDrop || r.Context().Err() != nil)
	if kind == FaultDrop && a.body.OK {
		drop(w)
		return
	}
	s.answer(w, a)
}

// accept records m unless its chat is faulty or over a limit, and returns
// the answer to send. dropped marks a delivery whose answer will be lost.
func (s *Server) accept(m message, dropped bool) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.chats[m.ChatID]; ok {
		return s.rejectLocked(m, f.status, f.desc, f.parameters())
	}
	now := s.now()
	if s.windowShut(m.ChatID, now) {
		return s.rejectLocked(m, http.StatusConflict, windowClosed, &parameters{WindowClosed: true})
	}
	if d := s.floodWait(m.ChatID, now); d > 0 {
		return s.tooManyLocked(m, d)
	}
	s.noteSent(m.ChatID, now)
	s.countWindow(m.ChatID)
	s.lastID++
	d := Delivery{
		MessageID:      formatID(s.lastID),
		ChatID:         m.ChatID,
		Platform:       m.Platform,
		Text:           m.Text,
		Buttons:        cloneButtons(m.Buttons),
		IdempotencyKey: m.IdempotencyKey,
		At:             now,
		Dropped:        dropped,
	}
	s.deliveries = append(s.deliveries, d)
	return reply{status: http.StatusOK, body: answerBody{OK: true, MessageID: d.MessageID}}
}
