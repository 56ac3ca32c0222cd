package fakewechat

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// RewriteTransport sends every request to target's scheme and address
// instead of the URL's, and keeps the Host header ("wx.qq.com",
// "webpush.wx.qq.com", …), so a fake or a proxy can route on it. A path in
// target is put in front of the request's path. The caller's request is not
// changed, and since http.Client applies its cookie jar to the original
// URL, cookies behave as with the real hosts. base nil means
// http.DefaultTransport.
func RewriteTransport(target *url.URL, base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &rewriter{target: target, base: base}
}

type rewriter struct {
	target *url.URL
	base   http.RoundTripper
}

func (t *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.URL.Scheme, r.URL.Host = t.target.Scheme, t.target.Host
	if prefix := strings.TrimSuffix(t.target.Path, "/"); prefix != "" {
		r.URL.Path = prefix + r.URL.Path
		if r.URL.RawPath != "" {
			r.URL.RawPath = prefix + r.URL.RawPath
		}
	}
	return t.base.RoundTrip(r)
}

// Start serves s on a loopback port until Close and returns its base URL.
// Calling it again returns the same URL.
func (s *Server) Start() (string, error) {
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if s.url != "" {
		return s.url, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s.conns = map[net.Conn]http.ConnState{}
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ConnState: s.trackConn}
	go func() { _ = s.httpSrv.Serve(ln) }() // returns ErrServerClosed after Close
	s.url = "http://" + ln.Addr().String()
	s.transport = http.DefaultTransport.(*http.Transport).Clone()
	return s.url, nil
}

// URL returns the base URL Start serves on, or "" before Start.
func (s *Server) URL() string {
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	return s.url
}

// Transport returns a RoundTripper that sends every request to the
// started server, keeping the Host header. Set it on the bot's client:
//
//	bot.Caller.Client.HTTPClient().Transport = srv.Transport(nil)
//
// base nil uses a transport of the server's own, closed with it. Before
// Start every request fails with ErrNotStarted.
func (s *Server) Transport(base http.RoundTripper) http.RoundTripper {
	s.serveMu.Lock()
	defer s.serveMu.Unlock()
	if s.url == "" {
		return notStarted{}
	}
	if base == nil {
		base = s.transport
	}
	u, _ := url.Parse(s.url) // built by Start; it parses
	return RewriteTransport(u, base)
}

// trackConn keeps the state of every connection for Close.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch {
	case st == http.StateHijacked || st == http.StateClosed:
		delete(s.conns, c)
	case st == http.StateNew && s.closing:
		_ = c.Close() // arrived during Close; the point is to refuse it
	default:
		s.conns[c] = st
	}
}

type notStarted struct{}

func (notStarted) RoundTrip(*http.Request) (*http.Response, error) { return nil, ErrNotStarted }

// Close wakes every held poll and delay and, if Start was called, stops
// serving. Afterwards login polls answer 400 and synccheck answers retcode
// 1101 at once, so openwechat stops rather than spinning, and a
// httptest.Server wrapping s closes without waiting out a hold. Close can
// be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.notifyLocked()
		s.mu.Unlock()

		s.serveMu.Lock()
		defer s.serveMu.Unlock()
		if s.httpSrv == nil {
			return
		}
		// Shutdown lets the woken handlers finish their answers, but it
		// waits up to 5 s for connections that carry no request yet (a
		// cancelled client opens those); close them first, as
		// httptest.Server does.
		s.connMu.Lock()
		s.closing = true // trackConn closes connections that still arrive
		for c, st := range s.conns {
			if st == http.StateNew || st == http.StateIdle {
				_ = c.Close() // the point is to close it; an error changes nothing
			}
		}
		s.connMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			_ = s.httpSrv.Close() // still busy after 5 s; cut the connections
		}
		s.transport.CloseIdleConnections()
	})
}
