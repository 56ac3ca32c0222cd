package fakesite

import (
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a misbehaviour injected into the answers for matching paths.
// When several kinds are set, Delay happens first, then the first of
// Hang, Redirect, Status, Oversize, Truncate, Garble applies.
type Fault struct {
	// Redirect answers with a redirect to this Location (an absolute URL,
	// or a path on the site), with Status when it is a 3xx code and 302
	// Found otherwise: a moved page, or a hostile one sending clients
	// elsewhere.
	Redirect string
	// Status answers with this code (500, 502, 503, 429…) and a small
	// HTML error page instead of the file.
	Status int
	// RetryAfter is sent as the Retry-After header with Status: seconds
	// ("120") or an HTTP-date; see RetryAfterSeconds and RetryAfterDate.
	RetryAfter string
	// Delay waits this long before answering. The request's context cuts
	// it short, so a client timeout ends the handler.
	Delay time.Duration
	// Hang never answers: the handler returns when the client gives up.
	// ClearFaults releases hung requests, which are then served normally;
	// call it before closing an httptest.Server, whose Close waits for
	// every handler.
	Hang bool
	// Oversize answers 200 with a body of exactly this many bytes of
	// valid-looking HTML (or Atom, for .xml paths), streamed.
	Oversize int64
	// Truncate sends the real headers and Content-Length, half the body,
	// then drops the connection.
	Truncate bool
	// Garble sends the real headers with a body of the right length whose
	// bytes are corrupted (invalid UTF-8 from a third of the way in).
	Garble bool
	// Times is how many matching requests the fault applies to; 0 means
	// every one until ClearFaults.
	Times int
}

// redirectStatus is the code a Redirect fault answers with.
func (f Fault) redirectStatus() int {
	if f.Status >= 300 && f.Status <= 399 {
		return f.Status
	}
	return http.StatusFound
}

// RetryAfterSeconds formats a Retry-After delay in seconds.
func RetryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int(d.Round(time.Second) / time.Second))
}

// RetryAfterDate formats a Retry-After HTTP-date.
func RetryAfterDate(t time.Time) string {
	return t.UTC().Format(http.TimeFormat)
}

// String describes the fault for the request log.
func (f Fault) String() string {
	var parts []string
	if f.Delay > 0 {
		parts = append(parts, "delay "+f.Delay.String())
	}
	switch {
	case f.Hang:
		parts = append(parts, "hang")
	case f.Redirect != "":
		parts = append(parts, "redirect "+strconv.Itoa(f.redirectStatus())+" "+f.Redirect)
	case f.Status != 0:
		s := "status " + strconv.Itoa(f.Status)
		if f.RetryAfter != "" {
			s += " retry-after " + f.RetryAfter
		}
		parts = append(parts, s)
	case f.Oversize > 0:
		parts = append(parts, "oversize "+strconv.FormatInt(f.Oversize, 10))
	case f.Truncate:
		parts = append(parts, "truncate")
	case f.Garble:
		parts = append(parts, "garble")
	}
	return strings.Join(parts, ", ")
}

type faultRule struct {
	pattern string
	fault   Fault
	left    int // remaining uses; -1 is unlimited
}

// faultSet holds the active faults. release is closed by ClearFaults to
// wake requests that are hanging or delayed.
type faultSet struct {
	mu      sync.Mutex
	rules   []*faultRule
	release chan struct{}
}

// Fail makes requests whose path matches pattern misbehave as f. A pattern
// is "*" (every path), a prefix ending in "/" ("/category/"), a glob of
// path.Match ("/emnews/2021/*/*/*.html"), or an exact path ("/feed.xml").
// Faults are tried in the order they were added; the first match applies.
func (s *Site) Fail(pattern string, f Fault) error {
	if pattern == "" {
		return errors.New("fakesite: unable to add fault: empty pattern")
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return fmt.Errorf("fakesite: unable to add fault for %q: %w", pattern, err)
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 999) {
		return fmt.Errorf("fakesite: unable to add fault for %q: bad status %d", pattern, f.Status)
	}
	if f.Times < 0 || f.Oversize < 0 || f.Delay < 0 {
		return fmt.Errorf("fakesite: unable to add fault for %q: negative count, size or delay", pattern)
	}
	left := f.Times
	if left == 0 {
		left = -1
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = append(s.faults.rules, &faultRule{pattern: pattern, fault: f, left: left})
	return nil
}

// ClearFaults removes every fault and releases hung or delayed requests.
func (s *Site) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rules = nil
	close(s.faults.release)
	s.faults.release = make(chan struct{})
}

// take returns the fault for a request path, using up one of its Times.
func (fs *faultSet) take(p string) (Fault, <-chan struct{}, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if !matchPattern(r.pattern, p) {
			continue
		}
		if r.left > 0 {
			r.left--
			if r.left == 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
			}
		}
		return r.fault, fs.release, true
	}
	return Fault{}, nil, false
}

func matchPattern(pattern, p string) bool {
	switch {
	case pattern == "*":
		return true
	case strings.ContainsAny(pattern, "*?[\\"):
		ok, _ := path.Match(pattern, p)
		return ok
	case pattern != "/" && strings.HasSuffix(pattern, "/"):
		return strings.HasPrefix(p, pattern)
	}
	return p == pattern
}
