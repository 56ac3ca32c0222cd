package fakesite

import (
	"net/http"
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

func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.writeError(w, r, http.StatusMethodNotAllowed)
		return
	}
	res, redirect, ok := s.lookup(r.URL.Path)
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	body := s.setHeaders(w, r, res)
	if notModified(r, res) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// setHeaders writes the headers GitHub Pages sends with a file and picks
// the encoding, returning the body to send. A gzip body gets a weak ETag,
// as GitHub Pages gives it.
func (s *Site) setHeaders(w http.ResponseWriter, r *http.Request, res *resource) []byte {
	h := w.Header()
	h.Set("Content-Type", res.contentType)
	h.Set("Last-Modified", res.modified.Format(http.TimeFormat))
	h.Set("Cache-Control", "max-age="+strconv.Itoa(int(cacheMaxAge/time.Second)))
	h.Set("Expires", s.now().Add(cacheMaxAge).UTC().Format(http.TimeFormat))
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Server", "GitHub.com")
	body, etag := res.body, res.etag
	if res.gz != nil {
		h.Set("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = res.gz, "W/"+res.etag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	return body
}

// notModified evaluates the preconditions of RFC 9110 section 13.2.2:
// If-None-Match (weak comparison) decides when present, and only then is
// If-Modified-Since consulted.
func notModified(r *http.Request, res *resource) bool {
	if inm := r.Header.Values("If-None-Match"); len(inm) > 0 {
		return etagMatches(strings.Join(inm, ","), res.etag)
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !res.modified.After(t)
}

// etagMatches compares a list of entity tags weakly with etag.
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding, honouring q=0.
func acceptsGzip(header string) bool {
	ok := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, found := strings.Cut(strings.TrimSpace(p), "="); found && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if name == "*" && ok {
			continue
		}
		ok = q > 0
		if name != "*" {
			return ok
		}
	}
	return ok
}

// notFound serves the site's 404 page with status 404, as GitHub Pages
// does for any missing path.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	res, _, ok := s.lookup("/404.html")
	if !ok {
		s.writeError(w, r, http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", htmlType)
	h.Set("Cache-Control", "max-age="+strconv.Itoa(int(cacheMaxAge/time.Second)))
	h.Set("Server", "GitHub.com")
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(res.body)
	}
}

// writeError sends a small HTML error page.
func (s *Site) writeError(w http.ResponseWriter, r *http.Request, code int) {
	text := strconv.Itoa(code) + " " + http.StatusText(code)
	body := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + text +
		"</title></head><body><h1>" + text + "</h1></body></html>\n"
	h := w.Header()
	h.Set("Content-Type", htmlType)
	h.Set("Server", "GitHub.com")
	if !bodyAllowed(code) {
		w.WriteHeader(code)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write([]byte(body))
	}
}

func bodyAllowed(code int) bool {
	return code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
}
