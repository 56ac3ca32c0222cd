package fakesite

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveFault answers a request under fault f. It reports false when the
// request should still be served normally: after a bare delay, when
// ClearFaults released it, or when there is no file to truncate or garble.
func (s *Site) serveFault(w http.ResponseWriter, r *http.Request, f Fault, release <-chan struct{}) bool {
	ctx := r.Context()
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-release:
			return false
		case <-ctx.Done():
			return true
		}
	}
	switch {
	case f.Hang:
		select {
		case <-release:
			return false
		case <-ctx.Done():
			return true
		}
	case f.Redirect != "":
		w.Header().Set("Location", f.Redirect)
		s.writeError(w, r, f.redirectStatus())
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		s.writeError(w, r, f.Status)
		return true
	case f.Oversize > 0:
		s.writeOversize(w, r, f.Oversize)
		return true
	case f.Truncate || f.Garble:
		res, ok := s.lookup(r.URL.Path)
		if !ok {
			return false
		}
		s.writeDamaged(w, r, res, f.Truncate)
		return true
	}
	return false
}

// writeDamaged sends the real headers with a body that is cut short (and
// the connection dropped) or corrupted.
func (s *Site) writeDamaged(w http.ResponseWriter, r *http.Request, res *resource, truncate bool) {
	h := w.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("ETag", res.etag)
	h.Set("Last-Modified", res.modified.Format(http.TimeFormat))
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if !truncate {
		w.Write(garble(res.body))
		return
	}
	w.Write(res.body[:len(res.body)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	// The declared length was not sent: abort so the client sees the
	// connection close mid-body (net/http logs nothing for this panic).
	panic(http.ErrAbortHandler)
}

// garble corrupts a copy of b from a third of the way in: every seventh
// byte becomes 0xFF, which is never valid UTF-8, breaking text and markup.
func garble(b []byte) []byte {
	out := append([]byte(nil), b...)
	for i := len(out) / 3; i < len(out); i += 7 {
		out[i] = 0xFF
	}
	return out
}

// writeOversize streams exactly n bytes of a well-formed-looking page.
func (s *Site) writeOversize(w http.ResponseWriter, r *http.Request, n int64) {
	head, unit, tail := oversizeHTMLParts()
	ct := htmlType
	if strings.HasSuffix(r.URL.Path, ".xml") {
		head, unit, tail = oversizeFeedParts()
		ct = feedType
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	ctx := r.Context()
	write := func(s string) bool {
		if ctx.Err() != nil {
			return false
		}
		_, err := w.Write([]byte(s))
		return err == nil
	}
	if int64(len(head)+len(tail)) >= n {
		write((head + tail)[:n])
		return
	}
	left := n - int64(len(head)+len(tail))
	if !write(head) {
		return
	}
	// Write the repeated unit in large chunks, then pad with spaces.
	chunk := strings.Repeat(unit, 64*1024/len(unit))
	for left >= int64(len(chunk)) {
		if !write(chunk) {
			return
		}
		left -= int64(len(chunk))
	}
	for left >= int64(len(unit)) {
		if !write(unit) {
			return
		}
		left -= int64(len(unit))
	}
	if !write(strings.Repeat(" ", int(left))) {
		return
	}
	write(tail)
}

func oversizeHTMLParts() (head, unit, tail string) {
	return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"><title>oversize</title></head><body>\n",
		"<p>This paragraph pads an oversized page. It repeats until the body reaches the requested size.</p>\n",
		"</body></html>\n"
}

func oversizeFeedParts() (head, unit, tail string) {
	return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>oversize</title><id>urn:fakesite:oversize</id><updated>2022-01-01T00:00:00+08:00</updated>` + "\n",
		"<entry><title>padding</title><id>urn:fakesite:padding</id><updated>2022-01-01T00:00:00+08:00</updated></entry>\n",
		"</feed>\n"
}
