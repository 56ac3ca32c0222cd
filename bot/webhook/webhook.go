// Package webhook sends messages as JSON to an HTTP endpoint. It is a
// generic transport for receivers that are not a chat platform, and the
// one delivery tests drive over loopback against internal/fakehook.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"wzdaily/bot"
	"wzdaily/subscribers"
)

const (
	defaultTimeout  = 10 * time.Second
	defaultPlatform = "webhook"
	userAgent       = "wzdaily-webhook"
	// maxResponse caps how much of an answer is read: a confirmation is a
	// few dozen bytes, and a misbehaving endpoint must not fill memory.
	maxResponse = 64 << 10
)

// Options configure a Sender.
type Options struct {
	URL      string       // endpoint that receives the POSTs
	Client   *http.Client // default: a client with a 10 s timeout
	Platform string       // sent as "platform"; default "webhook"
}

// Sender posts each message to one endpoint. It implements bot.Sender.
type Sender struct {
	url      string
	client   *http.Client
	platform string
	now      func() time.Time // resolves a Retry-After given as a date
}

var _ bot.Sender = (*Sender)(nil)

// New returns a Sender for opts, filling in the defaults.
func New(opts Options) *Sender {
	s := &Sender{url: opts.URL, client: opts.Client, platform: opts.Platform, now: time.Now}
	if s.client == nil {
		s.client = &http.Client{Timeout: defaultTimeout}
	}
	if s.platform == "" {
		s.platform = defaultPlatform
	}
	return s
}

// Send posts m to chat and returns the receiver's message id. The JSON
// "platform" is the Sender's own, whatever chat.Platform says. Failures
// are *bot.SendError values whose Err wraps one of this package's
// sentinels, or the transport error. Send makes one attempt; retrying
// is the caller's job.
func (s *Sender) Send(ctx context.Context, chat subscribers.Key, m bot.Message) (string, error) {
	key := bot.IdempotencyKey(ctx)
	body, err := json.Marshal(newRequest(s.platform, chat, m, key))
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to encode message for %s: %w", chat, err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to build request for %s: %w", chat, err)}
	}
	// net/http replays a POST that carries an Idempotency-Key when a reused
	// connection fails before the answer. That would hide a lost
	// confirmation from the outbox and skip its backoff, so retries stay
	// with the outbox: without GetBody the transport cannot replay.
	req.GetBody = nil
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}

	resp, err := s.client.Do(req)
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to send message to %s: %w", chat, err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to read answer for %s (status %d): %w", chat, resp.StatusCode, err)}
	}
	if len(raw) > maxResponse {
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to read answer for %s (status %d): %w: longer than %d bytes",
			chat, resp.StatusCode, ErrBadResponse, maxResponse)}
	}
	return s.classify(chat, resp.StatusCode, resp.Header, raw)
}
