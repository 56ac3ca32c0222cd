package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"wzdaily/articles"
	"wzdaily/digest"
	"wzdaily/web"
)

// links are what the digest and the bot send articles and digests with,
// when the reader's web has a public base URL; nil each without one.
type links struct {
	article func(*articles.Article) string
	digest  func(int64) string
}

// reader builds the reader's web, when it has an address or a base URL,
// and the links to it. The engine is built after: the digest pages reach
// it through a.Engine when they are asked for.
func (a *App) reader(s WebSettings, dbPath string, now func() time.Time) (links, error) {
	if s.Listen == "" && s.BaseURL == "" {
		return links{}, nil
	}
	key, err := linkKey(s.LinkKey, dbPath)
	if err != nil {
		return links{}, err
	}
	signer, err := web.NewSigner(key, now)
	if err != nil {
		return links{}, err
	}
	w, err := web.New(web.Options{Articles: a.Articles, BaseURL: s.BaseURL, Index: s.Index, Now: now,
		Digests: engineOf{a}, Signer: signer})
	if err != nil {
		return links{}, err
	}
	if s.Listen != "" {
		a.Web = w
	}
	if s.BaseURL == "" {
		return links{}, nil
	}
	base := s.BaseURL
	return links{article: func(art *articles.Article) string { return web.ArticleURL(base, art) }, digest: w.DigestURL}, nil
}

// engineOf gives the web the engine, which is built after the web.
type engineOf struct{ a *App }

func (e engineOf) Whole(ctx context.Context, id int64) (*digest.Whole, error) {
	return e.a.Engine.Whole(ctx, id)
}

// linkKey is the key digest links are signed with: the setting, else a
// random key kept beside the database (0600), made the first time, so
// links outlive a restart and another process on the database agrees.
func linkKey(setting, dbPath string) ([]byte, error) {
	if setting != "" {
		if len(setting) < 2*web.KeySize {
			return nil, fmt.Errorf("web.link_key: give at least %d characters (e.g. openssl rand -hex %d)", 2*web.KeySize, web.KeySize)
		}
		return []byte(setting), nil
	}
	if dbPath == "" {
		key := make([]byte, web.KeySize)
		rand.Read(key)
		slog.Warn("Digest links are signed with a key of this run only: no database file to keep one beside")
		return key, nil
	}
	path := WebKeyFile(dbPath)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, web.KeySize)
		rand.Read(key)
		text := hex.EncodeToString(key)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) { // another process made it first
			return linkKey(setting, dbPath)
		}
		if err != nil {
			return nil, fmt.Errorf("web: unable to keep the link key: %w", err)
		}
		_, werr := f.WriteString(text + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("web: unable to keep the link key: %w", werr)
		}
		return []byte(text), nil
	}
	if err != nil {
		return nil, fmt.Errorf("web: unable to read the link key: %w", err)
	}
	text := strings.TrimSpace(string(b))
	if len(text) < 2*web.KeySize {
		return nil, fmt.Errorf("web: the link key in %s is too short; delete the file to make a new one (links sent are then refused)", path)
	}
	return []byte(text), nil
}

// WebKeyFile is where the link key is kept beside the database dbPath.
func WebKeyFile(dbPath string) string { return dbPath + ".web-key" }

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
