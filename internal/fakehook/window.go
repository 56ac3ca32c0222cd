package fakehook

import "time"

// windowClosed is the description of a message refused for a closed
// conversation window.
const windowClosed = "Conflict: the conversation window is closed: the reader has not written recently enough"

// heard is a chat's conversation window: when its reader last wrote, and
// how many messages it took since.
type heard struct {
	at   time.Time
	sent int
}

// Heard records that chat's reader wrote now, as the relay's platform
// would see: with Options.Window, the chat's window opens again and its
// count starts over.
func (s *Server) Heard(chat string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.heard[chat] = &heard{at: s.now()}
}

// windowShut reports whether chat's window is closed at now. Callers
// hold s.mu.
func (s *Server) windowShut(chat string, now time.Time) bool {
	if s.window.Window == 0 {
		return false
	}
	h := s.heard[chat]
	return h == nil || !now.Before(h.at.Add(s.window.Window)) || (s.window.WindowMessages > 0 && h.sent >= s.window.WindowMessages)
}

// countWindow counts an accepted message against chat's window. Callers
// hold s.mu.
func (s *Server) countWindow(chat string) {
	if h := s.heard[chat]; h != nil {
		h.sent++
	}
}
