// Package fakefault is the fault queue the platform fakes (fakewechat,
// fakeoa) share: faults that spoil the next calls to an endpoint with the
// platform's own error code, an HTTP status, a dropped connection or a
// delay, used up in the order they were added.
package fakefault

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Fault spoils the next Times calls to the endpoint Key ("" for all).
// Exactly one of Code, Status and Drop is set, or none when there is a
// Delay.
type Fault struct {
	Key    string
	Times  int // -1 until Clear
	Code   int // the platform's error code, answered the platform's way
	Status int // an HTTP error status
	Drop   bool
	Delay  time.Duration
}

// Check reports what is wrong with f, naming its fields as the fake's
// caller knows them: pkg is the fake's package, code the name of Code.
// known says whether an endpoint exists.
func Check(f Fault, pkg, code string, known func(string) bool) error {
	n := 0
	for _, set := range []bool{f.Code != 0, f.Status != 0, f.Drop} {
		if set {
			n++
		}
	}
	var problem error
	switch {
	case n > 1:
		problem = fmt.Errorf("choose one of %s, Status and Drop", code)
	case n == 0 && f.Delay <= 0:
		problem = errors.New("it does nothing")
	case f.Delay < 0:
		problem = errors.New("negative delay")
	case f.Times == 0 || f.Times < -1:
		problem = fmt.Errorf("times %d is neither positive nor -1", f.Times)
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		problem = fmt.Errorf("status %d is not an error", f.Status)
	case f.Key != "" && !known(f.Key):
		problem = fmt.Errorf("unknown endpoint %q", f.Key)
	default:
		return nil
	}
	return fmt.Errorf("%s: unable to add fault: %w", pkg, problem)
}

// Queue holds the faults of one fake. The zero value is empty and ready.
type Queue struct {
	mu      sync.Mutex
	faults  []*Fault
	release chan struct{} // closed and replaced by Clear to end delays
}

// Add queues f, which Check has passed.
func (q *Queue) Add(f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = append(q.faults, &f)
}

// Take uses up one call of the first fault for key; the zero Fault means
// none. It also returns the channel Clear closes, to end a delay early.
func (q *Queue) Take(key string) (Fault, <-chan struct{}) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.release == nil {
		q.release = make(chan struct{})
	}
	for i, f := range q.faults {
		if f.Key != "" && f.Key != key {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				q.faults = slices.Delete(q.faults, i, i+1)
			}
		}
		return out, q.release
	}
	return Fault{}, q.release
}

// Clear drops every queued fault and ends the delays under way.
func (q *Queue) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.faults = nil
	if q.release != nil {
		close(q.release)
	}
	q.release = make(chan struct{})
}

// WriteStatus answers an HTTP error the way a front proxy does, in HTML.
func WriteStatus(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := http.StatusText(status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center></body></html>\n", status, text, status, text)
}

// Drop closes the connection without an answer. Where it cannot be taken
// over (HTTP/2) it aborts the handler, which net/http turns into a reset.
func Drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close() // closing is the point; an error changes nothing
}
