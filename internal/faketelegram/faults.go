package faketelegram

import (
	"bytes"
	"net/http"
	"time"
)

// fault is a queued misbehaviour for the next calls of a method.
type fault struct {
	left int // calls still to affect
	hang bool
	rep  reply
}

// AnyMethod, as the method of a fault or latency, applies to every method
// that has none of its own.
const AnyMethod = "*"

// FailNext makes the next n calls of method (any case, or AnyMethod)
// answer status with description in the JSON envelope, with
// parameters.retry_after when retryAfter > 0. Faults queue up: one set
// later applies after the earlier ones are used.
func (s *Server) FailNext(method string, n int, status int, description string, retryAfter int) {
	rep := errorReply(status, description)
	if retryAfter > 0 {
		rep.params = &responseParameters{RetryAfter: retryAfter}
	}
	s.addFault(method, fault{left: n, rep: rep})
}

// FailNextRaw makes the next n calls of method answer status with body as
// is, not JSON: what a proxy in front of the API sends (a 502 HTML page).
func (s *Server) FailNextRaw(method string, n int, status int, body string) {
	ct := "text/plain; charset=utf-8"
	if bytes.HasPrefix(bytes.TrimSpace([]byte(body)), []byte("<")) {
		ct = "text/html; charset=utf-8"
	}
	rep := reply{status: status, desc: http.StatusText(status) + " (raw body)", raw: []byte(body), rawType: ct}
	s.addFault(method, fault{left: n, rep: rep})
}

// Hang makes the next n calls of method never answer: each is held until
// the client gives up (its request context ends: a client timeout) or
// Close is called, which drops the connection.
func (s *Server) Hang(method string, n int) {
	s.addFault(method, fault{left: n, hang: true})
}

// SetLatency delays every later call of method (or AnyMethod) by d before
// it is handled; 0 removes the delay. A delayed call ends early when the
// client gives up, and is answered at once when Close is called.
func (s *Server) SetLatency(method string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.latency, canonicalMethod(method))
		return
	}
	s.latency[canonicalMethod(method)] = d
}

// ClearFaults removes every queued fault and latency.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = map[string][]fault{}
	s.latency = map[string]time.Duration{}
}

func (s *Server) addFault(method string, f fault) {
	if f.left <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := canonicalMethod(method)
	s.faults[m] = append(s.faults[m], f)
}

// takeFaultLocked uses up one call of the first fault for method, or of
// the first one for any method. Callers hold s.mu.
func (s *Server) takeFaultLocked(method string) (fault, bool) {
	for _, key := range []string{method, AnyMethod} {
		q := s.faults[key]
		if len(q) == 0 {
			continue
		}
		f := q[0]
		q[0].left--
		if q[0].left <= 0 {
			q = q[1:]
		}
		s.faults[key] = q
		return f, true
	}
	return fault{}, false
}

// applyFaults runs the latency and the queued fault for a call. It
// reports whether the call is answered (or abandoned) by them.
func (s *Server) applyFaults(w http.ResponseWriter, r *request) (reply, bool) {
	s.mu.Lock()
	f, faulty := s.takeFaultLocked(r.method)
	delay, ok := s.latency[r.method]
	if !ok {
		delay = s.latency[AnyMethod]
	}
	s.mu.Unlock()

	if faulty && f.hang {
		select {
		case <-r.ctx.Done():
			return reply{desc: "no answer: hung until the client gave up"}, true
		case <-s.done:
			dropConnection(w)
			return reply{desc: "no answer: hung until Close"}, true
		}
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.done:
		case <-r.ctx.Done():
			return reply{desc: "no answer: the client gave up during the latency"}, true
		}
	}
	if faulty {
		return f.rep, true
	}
	return reply{}, false
}

// dropConnection closes the connection without an answer, as a server
// that dies mid-request does. Where the connection cannot be taken over
// (HTTP/2, a ResponseRecorder) the handler just returns.
func dropConnection(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		return
	}
	_ = conn.Close() // closing is the point; an error changes nothing
}
