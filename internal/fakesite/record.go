package fakesite

import (
	"net/http"
	"sync"
	"time"
)

// Request is one request the site received. It is logged and counted as
// soon as its status is sent, so a client that has read a response always
// finds it in the log; Bytes and Duration are filled in when it finishes.
type Request struct {
	Time            time.Time // arrival, by Options.Now
	Method          string
	Path            string
	Status          int // 0 when nothing was sent (the client gave up first)
	UserAgent       string
	IfNoneMatch     string
	IfModifiedSince string
	AcceptEncoding  string
	Bytes           int64         // body bytes written
	Duration        time.Duration // measured on the real clock
	Fault           string        // the fault applied, or ""
}

// recorder keeps the request log and counters.
type recorder struct {
	mu          sync.Mutex
	log         []*Request
	counts      map[string]map[int]int // path → status → count
	total       int
	inFlight    int
	maxInFlight int
}

func (r *recorder) enter() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total++
	r.inFlight++
	r.maxInFlight = max(r.maxInFlight, r.inFlight)
}

// sent logs and counts a request whose status has just been decided.
func (r *recorder) sent(req *Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, req)
	if r.counts == nil {
		r.counts = map[string]map[int]int{}
	}
	if r.counts[req.Path] == nil {
		r.counts[req.Path] = map[int]int{}
	}
	r.counts[req.Path][req.Status]++
}

// leave ends a request; one that never sent a status is logged now.
func (r *recorder) leave(req *Request, bytes int64, d time.Duration, logged bool) {
	if !logged {
		r.sent(req)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inFlight--
	req.Bytes, req.Duration = bytes, d
}

// Requests returns a copy of the log, in the order statuses were sent.
func (s *Site) Requests() []Request {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	out := make([]Request, len(s.rec.log))
	for i, r := range s.rec.log {
		out[i] = *r
	}
	return out
}

// Count returns how many requests for path got status; path ""
// counts every path. Count(p, 200) and Count(p, 304) are the hits and
// revalidations of a page.
func (s *Site) Count(path string, status int) int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	if path != "" {
		return s.rec.counts[path][status]
	}
	n := 0
	for _, byStatus := range s.rec.counts {
		n += byStatus[status]
	}
	return n
}

// Total returns how many requests arrived, finished or not.
func (s *Site) Total() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.total
}

// InFlight returns how many requests are being answered right now.
func (s *Site) InFlight() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.inFlight
}

// MaxInFlight returns the most requests that were in flight at once,
// which shows whether a client keeps to its per-host concurrency limit.
func (s *Site) MaxInFlight() int {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	return s.rec.maxInFlight
}

// Reset clears the request log and counters. The in-flight maximum
// restarts from the requests still in flight. Faults are kept.
func (s *Site) Reset() {
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	s.rec.log = nil
	s.rec.counts = nil
	s.rec.total = 0
	s.rec.maxInFlight = s.rec.inFlight
}

// countingWriter records the status and body size of a response.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
	// onStatus runs once, before the status reaches the client.
	onStatus func(int)
}

func (w *countingWriter) setStatus(code int) {
	if w.status == 0 {
		w.status = code
		if w.onStatus != nil {
			w.onStatus(code)
		}
	}
}

func (w *countingWriter) WriteHeader(code int) {
	w.setStatus(code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	w.setStatus(http.StatusOK)
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

func (w *countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
