package telegram

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// WebhookOptions configure RunWebhook.
type WebhookOptions struct {
	// URL is where Telegram POSTs updates: https://host/path, behind a TLS
	// proxy that passes the path on unchanged. Only that exact path is
	// served. It is a secret and never logged.
	URL string
	// Listen is the local address to serve on, e.g. 127.0.0.1:8443.
	Listen string
	// Listener, when set, is served instead of listening on Listen.
	Listener net.Listener
	// Secret is registered with setWebhook as secret_token; Telegram sends
	// it in SecretTokenHeader with every update, and a request without it
	// is refused. 1-256 of A-Z a-z 0-9 _ - (CheckSecretToken). Empty: a
	// random one is made at each start.
	Secret string
}

// SecretTokenHeader carries the webhook's secret in every update Telegram
// POSTs.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

// CheckSecretToken applies Telegram's rule for a webhook secret: 1-256
// characters, only A-Z, a-z, 0-9, _ and -. The error does not hold the
// secret.
func CheckSecretToken(s string) error {
	if s == "" || len(s) > 256 {
		return errors.New("telegram: the webhook secret must be 1 to 256 characters long")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return errors.New("telegram: the webhook secret may hold only A-Z, a-z, 0-9, _ and -")
		}
	}
	return nil
}

// newSecretToken makes a webhook secret: 256 random bits, in base64url,
// whose alphabet is exactly what Telegram allows.
func newSecretToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// Webhook server limits: an update is small and Telegram is quick; these
// keep a slow or idle client from holding a connection open.
const (
	webhookReadHeader = 10 * time.Second
	webhookRead       = 30 * time.Second
	webhookWrite      = 30 * time.Second
	webhookIdle       = 2 * time.Minute
	webhookMaxHeader  = 64 << 10
	webhookMaxBody    = 1 << 20
)

// newWebhookServer is the HTTP server for the webhook, with every timeout
// set.
func newWebhookServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: webhookReadHeader, ReadTimeout: webhookRead,
		WriteTimeout: webhookWrite, IdleTimeout: webhookIdle, MaxHeaderBytes: webhookMaxHeader}
}

// RunWebhook receives updates on a webhook instead of polling: it registers
// o.URL and its secret with Telegram (setWebhook) and serves them on its
// own server (not the default mux) until ctx ends.
func (t *Transport) RunWebhook(ctx context.Context, o WebhookOptions) error {
	u, err := url.Parse(o.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" {
		// The URL is a secret: the error does not repeat it.
		return errors.New("telegram: the webhook URL must be https://host/path")
	}
	if o.Secret == "" {
		o.Secret = newSecretToken()
	} else if err := CheckSecretToken(o.Secret); err != nil {
		return err
	}
	ln := o.Listener
	if ln == nil {
		var lc net.ListenConfig
		if ln, err = lc.Listen(ctx, "tcp", o.Listen); err != nil {
			return fmt.Errorf("telegram: unable to listen for the webhook: %w", err)
		}
	}
	if err := t.SetCommands(ctx); err != nil {
		slog.Warn("Unable to set the Telegram command menu", slog.Any("error", err))
	}
	if err := t.setWebhook(ctx, o.URL, o.Secret); err != nil {
		ln.Close()
		return err
	}
	slog.Info("Receiving Telegram updates by webhook", slog.String("listen", ln.Addr().String()))
	return t.serve(ctx, func(ctx context.Context) {
		srv := newWebhookServer(t.WebhookHandler(ctx, webhookPath(u), o.Secret))
		stop := context.AfterFunc(ctx, func() {
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(shut)
		})
		defer stop()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("Telegram webhook server stopped", slog.Any("error", err))
		}
	})
}

func webhookPath(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}

// WebhookHandler accepts the updates Telegram POSTs to path with secret in
// SecretTokenHeader; they are answered as polled ones are. Anything else
// is refused before its body is read: another path (404), another method
// (405), a missing or wrong secret (403; compared in constant time). An
// empty secret refuses everything. Updates arriving after ctx ends are
// refused with 503, so Telegram sends them again later.
func (t *Transport) WebhookHandler(ctx context.Context, path, secret string) http.Handler {
	want := sha256.Sum256([]byte(secret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		// Hashing first makes the comparison take the same time whatever
		// the length of what was sent.
		got := sha256.Sum256([]byte(r.Header.Get(SecretTokenHeader)))
		if secret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, webhookMaxBody))
		if err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		in, err := decodeUpdate(body)
		if err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if ctx.Err() != nil {
			http.Error(w, "stopping", http.StatusServiceUnavailable)
			return
		}
		t.route(ctx, in)
		w.WriteHeader(http.StatusOK)
	})
}
