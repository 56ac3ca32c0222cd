// Package web serves the reader's web: the stored articles as public pages
// and Atom feeds, for readers who open a link the bot sent after the site
// has dropped the post (it keeps one three days), or who follow a topic in
// a feed reader. Pages are plain HTML from html/template, with no script.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"wzdaily/articles"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/style.css
var stylesheet []byte

// Options configure a Server. Zero values take defaults.
type Options struct {
	Articles *articles.Store
	// BaseURL is where readers reach the server, e.g.
	// https://news.example.org; feeds and links the bot sends use it. ""
	// takes the address each request came to.
	BaseURL string
	// Index lets search engines index article pages; robots.txt keeps
	// them out otherwise. Search and digest pages are kept out always.
	Index bool
	Now   func() time.Time // default: time.Now
	// SearchRate and FeedRate limit each client address: so many
	// requests a second, with a burst of Burst. Defaults: 1 and 1, burst
	// 20.
	SearchRate, FeedRate Rate
	// Digests and Signer serve the digest pages (/d/TOKEN); without
	// them, none.
	Digests Digests
	Signer  *Signer
	// Timeout bounds one request's work; default 10s.
	Timeout time.Duration
}

// Rate is a per-address allowance: PerSecond requests a second, Burst at once.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Server answers the reader's web.
type Server struct {
	opts    Options
	pages   *template.Template
	search  *limiter
	feeds   *limiter
	handler http.Handler
}

// New returns a server over the store.
func New(opts Options) (*Server, error) {
	if opts.Articles == nil {
		return nil, errors.New("web: no article store")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.SearchRate.PerSecond <= 0 {
		opts.SearchRate = Rate{PerSecond: 1, Burst: 20}
	}
	if opts.FeedRate.PerSecond <= 0 {
		opts.FeedRate = Rate{PerSecond: 1, Burst: 20}
	}
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: base URL %q: write it as https://host[/path]", opts.BaseURL)
		}
		opts.BaseURL = trimBase(opts.BaseURL)
	}
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{opts: opts, pages: pages,
		search: newLimiter(opts.SearchRate, opts.Now), feeds: newLimiter(opts.FeedRate, opts.Now)}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /a/{id}", s.article)
	mux.HandleFunc("GET /tag/{tag}", s.tag)
	mux.Handle("GET /search", s.search.wrap(http.HandlerFunc(s.searchPage)))
	mux.Handle("GET /feeds/tag/{file}", s.feeds.wrap(http.HandlerFunc(s.tagFeed)))
	mux.Handle("GET /feeds/search", s.feeds.wrap(http.HandlerFunc(s.searchFeed)))
	mux.HandleFunc("GET /d/{token}", s.digestPage)
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /style.css", serveStylesheet)
	mux.HandleFunc("/", s.notFound)
	return secure(http.TimeoutHandler(mux, s.opts.Timeout, ""))
}

// csp allows the served stylesheet and nothing else: no script, no
// inline style, no frames, forms only to this site.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.ServeHTTP(w, r)
	})
}

func serveStylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(stylesheet)
}

// ArticleURL is our page for an article under base (a BaseURL): the link
// the bot sends once the reader's web has a public address.
func ArticleURL(base string, a *articles.Article) string {
	return trimBase(base) + articlePath(a.ID)
}

func trimBase(base string) string { return strings.TrimRight(base, "/") }

func articlePath(id string) string { return "/a/" + url.PathEscape(id) }

// base is the address readers reached the server by.
func (s *Server) base(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Serve listens on addr until ctx ends. Every phase of a request is
// bounded, so clients that trickle or hold connections cannot pile up.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: unable to listen on %s: %w", addr, err)
	}
	return ServeOn(ctx, ln, h)
}

// ServeOn serves on a listener already open, until ctx ends.
func ServeOn(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 20 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	slog.Info("Reader's web listening", slog.String("addr", ln.Addr().String()))
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}
