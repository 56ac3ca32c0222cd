package fakehook

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"time"
)

// FaultKind is one way a request can fail at random.
type FaultKind int

const (
	// Fault429 answers 429 with retry_after 1, as flood control does.
	Fault429 FaultKind = iota + 1
	// Fault500 answers 500 with a JSON error body.
	Fault500
	// Fault502 answers 502 with an HTML body, as a proxy does.
	Fault502
	// FaultSlow waits Faults.Delay before handling the request. A client
	// that gives up first gets nothing delivered; one that waits is
	// answered normally.
	FaultSlow
	// FaultDrop handles the request and, if it is accepted, records it
	// and closes the connection without answering: a send whose
	// confirmation was lost.
	FaultDrop
)

func (k FaultKind) String() string {
	switch k {
	case Fault429:
		return "429"
	case Fault500:
		return "500"
	case Fault502:
		return "502"
	case FaultSlow:
		return "slow"
	case FaultDrop:
		return "drop"
	}
	return fmt.Sprintf("FaultKind(%d)", int(k))
}

// Faults make a fraction of requests fail, drawn from a seeded generator
// so a run can be repeated.
type Faults struct {
	Fraction float64     // of requests, from 0 to 1
	Kinds    []FaultKind // a failing request takes one at random; repeat a kind to weigh it
	Seed     int64
	Delay    time.Duration // for FaultSlow
	Times    int           // faults to inject before stopping; 0 is no limit
}

// SetFaults replaces the random faults. Per-chat faults are kept.
func (s *Server) SetFaults(f Faults) error {
	if math.IsNaN(f.Fraction) || f.Fraction < 0 || f.Fraction > 1 {
		return fmt.Errorf("fakehook: unable to set faults: fraction %v is not between 0 and 1", f.Fraction)
	}
	if f.Fraction > 0 && len(f.Kinds) == 0 {
		return errors.New("fakehook: unable to set faults: no kinds to choose from")
	}
	if f.Delay < 0 || f.Times < 0 {
		return errors.New("fakehook: unable to set faults: negative delay or times")
	}
	for _, k := range f.Kinds {
		if k < Fault429 || k > FaultDrop {
			return fmt.Errorf("fakehook: unable to set faults: unknown kind %v", k)
		}
		if k == FaultSlow && f.Delay == 0 {
			return errors.New("fakehook: unable to set faults: slow answers need a delay")
		}
	}
	f.Kinds = append([]FaultKind(nil), f.Kinds...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.faultsLeft = f.Times
	if f.Times == 0 {
		s.faultsLeft = -1
	}
	seed := uint64(f.Seed)
	s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return nil
}

// draw decides whether this request fails and how; 0 means it does not.
func (s *Server) draw() (FaultKind, time.Duration, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.Fraction == 0 || s.faultsLeft == 0 {
		return 0, 0, nil
	}
	if s.rng.Float64() >= s.faults.Fraction {
		return 0, 0, nil
	}
	if s.faultsLeft > 0 {
		s.faultsLeft--
	}
	return s.faults.Kinds[s.rng.IntN(len(s.faults.Kinds))], s.faults.Delay, s.release
}

// chatFault is how requests for one chat are refused.
type chatFault struct {
	status int
	desc   string
	to     string // new chat id, for a migration
	closed bool   // the chat's conversation window is closed
}

// Block makes chat answer 403, as when the user blocked the bot.
func (s *Server) Block(chat string) {
	s.setChat(chat, chatFault{status: http.StatusForbidden, desc: "Forbidden: bot was blocked by the user"})
}

// NotFound makes chat answer 400 "chat not found", as Telegram does for a
// chat id it does not know.
func (s *Server) NotFound(chat string) {
	s.setChat(chat, chatFault{status: http.StatusBadRequest, desc: "Bad Request: chat not found"})
}

// Migrate makes chat answer 400 naming its new id, as Telegram does when a
// group becomes a supergroup. Messages to the new id are accepted.
func (s *Server) Migrate(chat, to string) {
	s.setChat(chat, chatFault{status: http.StatusBadRequest,
		desc: "Bad Request: group chat was upgraded to a supergroup chat", to: to})
}

// CloseWindow makes chat answer 409 with window_closed, as a relay to a
// platform with conversation windows does when the reader has not written
// for too long, whatever Options.Window says.
func (s *Server) CloseWindow(chat string) {
	s.setChat(chat, chatFault{status: http.StatusConflict, desc: windowClosed, closed: true})
}

// Restore removes chat's fault.
func (s *Server) Restore(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.chats, chat)
}

// Clear removes every fault, per chat and random, and lets requests held
// by FaultSlow go on at once. Recorded deliveries stay.
func (s *Server) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats = map[string]chatFault{}
	s.faults = Faults{}
	s.faultsLeft = 0
	close(s.release)
	s.release = make(chan struct{})
}

func (s *Server) setChat(chat string, f chatFault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[chat] = f
}

func (f chatFault) parameters() *parameters {
	switch {
	case f.closed:
		return &parameters{WindowClosed: true}
	case f.to != "":
		return &parameters{MigrateToChatID: f.to}
	}
	return nil
}

// wait holds a slow request for d. It reports false when the client went
// away first.
func wait(r *http.Request, d time.Duration, release <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-release:
		return true
	case <-r.Context().Done():
		return false
	}
}

// drop closes the connection without an answer. Where the connection
// cannot be taken over (HTTP/2, a ResponseRecorder) it aborts the handler,
// which net/http turns into a reset stream or closed connection.
func drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close() // the point is to close; an error changes nothing
			return
		}
	}
	panic(http.ErrAbortHandler)
}
