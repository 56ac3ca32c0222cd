package fakehook

import (
	"fmt"
	"net/http"
	"time"
)

// floodWait returns how long to wait before chat may get another message
// at now: the longer of the global and the per-chat limit, or 0. The
// global limit counts accepted messages over a sliding second, so N
// messages at once use up the second and the next one waits for the
// oldest to age out. Callers hold s.mu.
func (s *Server) floodWait(chat string, now time.Time) time.Duration {
	var wait time.Duration
	if s.rate > 0 {
		s.recent = dropUntil(s.recent, now.Add(-time.Second))
		if len(s.recent) >= s.rate {
			wait = s.recent[len(s.recent)-s.rate].Add(time.Second).Sub(now)
		}
	}
	if s.perChat > 0 {
		if last, ok := s.lastSent[chat]; ok {
			wait = max(wait, last.Add(s.perChat).Sub(now))
		}
	}
	return wait
}

// noteSent counts an accepted message against the limits. Callers hold
// s.mu.
func (s *Server) noteSent(chat string, now time.Time) {
	if s.rate > 0 {
		s.recent = append(s.recent, now)
	}
	if s.perChat > 0 {
		s.lastSent[chat] = now
	}
}

// dropUntil removes the leading times that are not after cutoff.
func dropUntil(times []time.Time, cutoff time.Time) []time.Time {
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[:copy(times, times[i:])]
}

func (s *Server) tooMany(m message, wait time.Duration) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooManyLocked(m, wait)
}

// tooManyLocked answers as Telegram's flood control does: whole seconds,
// rounded up, at least one.
func (s *Server) tooManyLocked(m message, wait time.Duration) reply {
	secs := max(int((wait+time.Second-1)/time.Second), 1)
	a := s.rejectLocked(m, http.StatusTooManyRequests,
		fmt.Sprintf("Too Many Requests: retry after %d", secs), &parameters{RetryAfter: secs})
	a.retryAfter = secs
	return a
}
