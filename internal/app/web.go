package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"wzdaily/articles"
	"wzdaily/web"
)

// reader builds the reader's web when it has an address, and returns the
// link maker the digest and the bot send articles with: our article page
// when the web has a public base URL, else nil (the site's page).
func (a *App) reader(s WebSettings, now func() time.Time) (func(*articles.Article) string, error) {
	if s.Listen != "" || s.BaseURL != "" {
		w, err := web.New(web.Options{Articles: a.Articles, BaseURL: s.BaseURL, Index: s.Index, Now: now})
		if err != nil {
			return nil, err
		}
		if s.Listen != "" {
			a.Web = w
		}
	}
	if s.BaseURL == "" {
		return nil, nil
	}
	base := s.BaseURL
	return func(art *articles.Article) string { return web.ArticleURL(base, art) }, nil
}

// ListenWeb opens the reader's web's listener; nil when it is off.
func (a *App) ListenWeb() (net.Listener, error) {
	if a.Web == nil {
		return nil, nil
	}
	ln, err := net.Listen("tcp", a.Settings.Web.Listen)
	if err != nil {
		return nil, fmt.Errorf("web: unable to listen on %s: %w", a.Settings.Web.Listen, err)
	}
	return ln, nil
}

// ServeWeb serves the reader's web on ln until ctx ends, and returns a
// function that waits for it to stop. A nil ln serves nothing.
func (a *App) ServeWeb(ctx context.Context, ln net.Listener) func() {
	if ln == nil {
		return func() {}
	}
	return goWait(func() {
		if err := web.ServeOn(ctx, ln, a.Web); err != nil {
			slog.Error("Reader's web stopped", slog.Any("error", err))
		}
	})
}
