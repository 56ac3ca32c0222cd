package faketelegram

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// webhookState is what setWebhook stored. Updates are POSTed to the URL
// only when Options.WebhookTarget is set; otherwise the fake just keeps
// them queued, and getUpdates answers 409 while a webhook is set.
type webhookState struct {
	url     string
	allowed []string
	secret  string        // secret_token, sent in SecretTokenHeader
	stop    chan struct{} // closed when the webhook is changed or deleted
}

// SecretTokenHeader carries setWebhook's secret_token in every webhook
// request, so the bot can tell Telegram from anyone else.
const SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token"

// MaxSecretToken is the longest secret_token Telegram takes.
const MaxSecretToken = 256

// checkSecretToken applies Telegram's rule for secret_token: 1-256
// characters, only A-Z, a-z, 0-9, _ and -. It returns the 400 description
// or "".
func checkSecretToken(s string) string {
	if len(s) > MaxSecretToken {
		return "secret token is too long"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isWordByte(c) && c != '-' {
			return "secret token contains unallowed characters"
		}
	}
	return ""
}

// https://core.telegram.org/bots/api#setwebhook
//
// An empty url removes the webhook. secret_token is checked as Telegram
// checks it; an empty one means none.
func (s *Server) setWebhook(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	link := r.params["url"]
	if link == "" {
		// An empty URL removes the webhook, as Telegram does.
		s.stopWebhookLocked()
		return okReply(true)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	secret := r.params["secret_token"]
	if desc := checkSecretToken(secret); desc != "" {
		return badRequest(desc)
	}
	w := webhookState{url: link, secret: secret, stop: make(chan struct{})}
	if v := r.params["allowed_updates"]; v != "" {
		w.allowed = parseStringList(v)
	}
	s.stopWebhookLocked()
	s.webhook = w
	if r.params["drop_pending_updates"] == "true" {
		s.queue = nil
	}
	if p := s.poll; p != nil {
		p.conflict = conflictWebhook
		close(p.kick)
		s.poll = nil
	}
	if s.webhookTarget != "" {
		go s.pushUpdates(w)
	}
	return okReply(true)
}

// stopWebhookLocked forgets the webhook and stops its deliveries.
// Callers hold s.mu.
func (s *Server) stopWebhookLocked() {
	if s.webhook.stop != nil {
		close(s.webhook.stop)
	}
	s.webhook = webhookState{}
}

// https://core.telegram.org/bots/api#deletewebhook
func (s *Server) deleteWebhook(r *request) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopWebhookLocked()
	if r.params["drop_pending_updates"] == "true" {
		s.queue = nil
	}
	return okReply(true)
}

// WebhookDelivery is one POST of an update to the webhook.
type WebhookDelivery struct {
	Time     time.Time
	UpdateID int64
	Status   int    // the webhook's HTTP status; 0 when it did not answer
	Error    string // as Telegram's getWebhookInfo would report it; "" on a 2xx
}

// WebhookDeliveries returns every POST to the webhook, oldest first.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookDelivery(nil), s.deliveries...)
}

// webhookTimeout bounds one POST to the webhook.
const webhookTimeout = 10 * time.Second

// pushUpdates POSTs queued updates to webhook w, one at a time and in
// order, as JSON with the secret header, until w is replaced or deleted or
// the fake is closed. A 2xx answer confirms the update; any other answer,
// or none, is recorded in the delivery's Error and the update is tried
// again after Options.WebhookRetry, as Telegram retries.
func (s *Server) pushUpdates(w webhookState) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-w.stop:
		case <-s.done:
		}
		cancel()
	}()
	target, err := webhookTarget(s.webhookTarget, w.url)
	if err != nil {
		return // New checked the target and setWebhook the URL
	}
	for ctx.Err() == nil {
		s.mu.Lock()
		up, ok := s.nextForWebhookLocked(w.allowed)
		wake := s.queued
		s.mu.Unlock()
		if !ok {
			select {
			case <-wake:
			case <-ctx.Done():
			}
			continue
		}
		status, msg := s.post(ctx, target, w.secret, up.body)
		if ctx.Err() != nil {
			return
		}
		delivered := status >= 200 && status < 300
		s.mu.Lock()
		d := WebhookDelivery{Time: s.now(), UpdateID: up.id, Status: status}
		if delivered {
			s.confirmOneLocked(up.id)
		} else {
			d.Error = msg
		}
		s.deliveries = append(s.deliveries, d)
		s.notifyLocked()
		s.mu.Unlock()
		if !delivered {
			t := time.NewTimer(s.webhookRetry)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
			}
		}
	}
}

// post sends one update and returns the status, and the error message
// Telegram would show for a failure.
func (s *Server) post(ctx context.Context, target, secret string, body []byte) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(SecretTokenHeader, secret)
	}
	resp, err := s.webhookClient.Do(req)
	if err != nil {
		return 0, "Connection failed: " + err.Error()
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return resp.StatusCode, "Wrong response from the webhook: " + resp.Status
	}
	return resp.StatusCode, ""
}

// webhookTarget is where a POST for the registered link goes: the
// target's scheme and host with the link's path and query, as a TLS proxy
// in front of the bot passes them on.
func webhookTarget(target, link string) (string, error) {
	t, err := url.Parse(target)
	if err != nil || t.Host == "" || (t.Scheme != "http" && t.Scheme != "https") {
		return "", fmt.Errorf("%q is not an http(s)://host:port base URL", target)
	}
	l, err := url.Parse(link)
	if err != nil {
		return "", err
	}
	l.Scheme, l.Host = t.Scheme, t.Host
	return l.String(), nil
}

// nextForWebhookLocked returns the oldest queued update of a kind the
// webhook takes, dropping the others: Telegram never sends them.
func (s *Server) nextForWebhookLocked(allowed []string) (queued, bool) {
	if len(allowed) > 0 {
		keep := map[string]bool{}
		for _, k := range allowed {
			keep[k] = true
		}
		kept := s.queue[:0]
		for _, u := range s.queue {
			if keep[u.kind] {
				kept = append(kept, u)
			}
		}
		s.queue = kept
	}
	if len(s.queue) == 0 {
		return queued{}, false
	}
	return s.queue[0], true
}

// confirmOneLocked forgets update id, which the webhook took.
func (s *Server) confirmOneLocked(id int64) {
	for i, u := range s.queue {
		if u.id == id {
			s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			return
		}
	}
}
