package fakesite

import (
	"bytes"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// cacheMaxAge is GitHub Pages' Cache-Control max-age.
const cacheMaxAge = 600 * time.Second

// ServeHTTP answers like GitHub Pages, after any fault matching the path.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.rec.enter()
	rec := &Request{
		Time:            s.now(),
		Method:          r.Method,
		Path:            r.URL.Path,
		UserAgent:       r.UserAgent(),
		IfNoneMatch:     r.Header.Get("If-None-Match"),
		IfModifiedSince: r.Header.Get("If-Modified-Since"),
		AcceptEncoding:  r.Header.Get("Accept-Encoding"),
	}
	cw := &countingWriter{ResponseWriter: w, onStatus: func(code int) {
		rec.Status = code
		s.rec.sent(rec)
	}}
	// Deferred so that a dropped connection (panic ErrAbortHandler) is
	// recorded too.
	defer func() {
		s.rec.leave(rec, cw.n, time.Since(start), cw.status != 0)
	}()
	if f, release, ok := s.faults.take(r.URL.Path); ok {
		rec.Fault = f.String()
		if s.serveFault(cw, r, f, release) {
			return
		}
	}
	s.serve(cw, r)
}

// serve sends a file through http.ServeContent, which answers the
// conditional requests (If-None-Match first, RFC 9110 section 13.2.2) with
// 304 and HEAD without a body.
func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.writeError(w, r, http.StatusMethodNotAllowed)
		return
	}
	res, ok := s.lookup(r.URL.Path)
	if !ok {
		s.writeError(w, r, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("ETag", res.etag)
	h.Set("Cache-Control", "max-age="+strconv.Itoa(int(cacheMaxAge/time.Second)))
	h.Set("Expires", s.now().Add(cacheMaxAge).UTC().Format(http.TimeFormat))
	h.Set("Server", "GitHub.com")
	http.ServeContent(w, r, "", res.modified, bytes.NewReader(res.body))
}

// lookup resolves a request path as GitHub Pages does: "/" serves
// /index.html, and "/x" serves /x or /x.html.
func (s *Site) lookup(urlPath string) (*resource, bool) {
	p := path.Clean("/" + urlPath)
	if strings.HasSuffix(urlPath, "/") {
		p = strings.TrimSuffix(p, "/") + "/index.html"
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if res, ok := s.files[p]; ok {
		return res, true
	}
	res, ok := s.files[p+".html"]
	return res, ok
}

// writeError sends a small HTML error page (GitHub Pages' 404 page, for a
// site without its own 404.html, is one too).
func (s *Site) writeError(w http.ResponseWriter, r *http.Request, code int) {
	text := strconv.Itoa(code) + " " + http.StatusText(code)
	body := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + text +
		"</title></head><body><h1>" + text + "</h1></body></html>\n"
	h := w.Header()
	h.Set("Content-Type", htmlType)
	h.Set("Server", "GitHub.com")
	if code < 200 || code == http.StatusNoContent || code == http.StatusNotModified {
		w.WriteHeader(code)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write([]byte(body))
	}
}
