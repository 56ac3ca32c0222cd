// Package webhook sends messages as JSON to an HTTP endpoint. It is a
// generic transport for receivers that are not a chat platform, and the
// one delivery tests drive over loopback against internal/fakehook.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
	"wzdaily/chat"
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
	URL      string       // endpoint that receives the POSTs; a secret, never in an error
	Client   *http.Client // default: a client with a 10 s timeout
	Platform string       // sent as "platform"; default "webhook"
}

// Sender posts each message to one endpoint. It implements chat.Sender.
type Sender struct {
	url      string
	client   *http.Client
	platform string
	now      func() time.Time // resolves a Retry-After given as a date
}

var _ chat.Sender = (*Sender)(nil)

// New returns a Sender for opts, filling in the defaults. The client is
// used as given, except that it never follows a redirect.
func New(opts Options) *Sender {
	s := &Sender{url: opts.URL, platform: opts.Platform, now: time.Now}
	client := http.Client{Timeout: defaultTimeout}
	if opts.Client != nil {
		client = *opts.Client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s.client = &client
	if s.platform == "" {
		s.platform = defaultPlatform
	}
	return s
}

// RedactURL shows where a URL points without what it may carry: the
// scheme and host are kept; credentials, the path and the query (where a
// receiver's token would be) are not.
func RedactURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(a URL that does not parse)"
	}
	out := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		out += "/…"
	}
	return out
}

// Send posts m to chat and returns the receiver's message id. The JSON
// "platform" is the Sender's own, whatever chat.Platform says. Failures
// are *chat.SendError values whose Err wraps one of this package's
// sentinels, or the transport error. Send makes one attempt; retrying
// is the caller's job.
func (s *Sender) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	key := chat.IdempotencyKey(ctx)
	body, err := json.Marshal(newRequest(s.platform, to, m, key))
	if err != nil {
		return "", &chat.SendError{Err: fmt.Errorf("webhook: unable to encode message for %s: %w", to, err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return "", &chat.SendError{Err: fmt.Errorf("webhook: unable to build request for %s: %w", to, err)}
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
		// The client's error quotes the URL, which is a secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = RedactURL(ue.URL)
		}
		return "", &chat.SendError{Err: fmt.Errorf("webhook: unable to send message to %s: %w", to, err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return "", &chat.SendError{Err: fmt.Errorf("webhook: unable to read answer for %s (status %d): %w", to, resp.StatusCode, err)}
	}
	if len(raw) > maxResponse {
		return "", &chat.SendError{Err: fmt.Errorf("webhook: unable to read answer for %s (status %d): %w: longer than %d bytes",
			to, resp.StatusCode, ErrBadResponse, maxResponse)}
	}
	if loc, err := resp.Location(); err == nil {
		resp.Header.Set("Location", loc.String()) // resolved against the request, for the log
	}
	return s.classify(to, resp.StatusCode, resp.Header, raw)
}
