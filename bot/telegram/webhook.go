package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// RunWebhook receives updates on a webhook instead of polling: it tells
// Telegram to POST them to publicURL and serves them on listen (its own
// server, not the default mux). publicURL's path should be long and random:
// library v5 cannot check Telegram's secret header, so the path is the
// secret. It runs until ctx ends.
func (t *Transport) RunWebhook(ctx context.Context, listen, publicURL string) error {
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("telegram: the webhook URL must be https://host/path, got %q", publicURL)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("telegram: unable to listen for the webhook: %w", err)
	}
	if err := t.SetCommands(ctx); err != nil {
		slog.Warn("Unable to set the Telegram command menu", slog.Any("error", err))
	}
	wh, err := tgbotapi.NewWebhook(publicURL)
	if err != nil {
		ln.Close()
		return fmt.Errorf("telegram: webhook URL: %w", err)
	}
	wh.AllowedUpdates = allowedUpdates
	if _, err := t.call(ctx).Request(wh); err != nil {
		ln.Close()
		return t.wrap("setWebhook", err)
	}
	return t.serve(ctx, func(ctx context.Context) {
		mux := http.NewServeMux()
		mux.Handle("POST "+u.EscapedPath(), t.WebhookHandler(ctx))
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() {
			<-ctx.Done()
			shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(shut)
		}()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("Telegram webhook server stopped", slog.Any("error", err))
		}
	})
}

// WebhookHandler accepts updates Telegram POSTs; they are answered as
// polled ones are. Updates arriving after ctx ends are refused with 503,
// so Telegram sends them again later.
func (t *Transport) WebhookHandler(ctx context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		up, err := t.api.HandleUpdate(r)
		if err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if ctx.Err() != nil {
			http.Error(w, "stopping", http.StatusServiceUnavailable)
			return
		}
		t.route(ctx, *up)
		w.WriteHeader(http.StatusOK)
	})
}
