package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"wzdaily/chat"
)

// Sentinels wrapped in SendError.Err, for errors.Is.
var (
	ErrBlocked      = errors.New("blocked")                 // 403: the user blocked the bot
	ErrChatNotFound = errors.New("chat not found")          // 404, 410
	ErrMigrated     = errors.New("chat migrated")           // 400 naming the chat's new id
	ErrRejected     = errors.New("rejected")                // 400, 413, 422: the request itself is wrong
	ErrRateLimited  = errors.New("rate limited")            // 429
	ErrUnavailable  = errors.New("endpoint failed")         // 5xx and any other status
	ErrBadResponse  = errors.New("unreadable confirmation") // an answer too long to read
	ErrNotAccepted  = errors.New("not accepted")            // 2xx whose body says {"ok":false}
	ErrRedirected   = errors.New("redirected")              // 3xx: deliveries never follow one
	ErrWindowClosed = errors.New("window closed")           // window_closed: the chat's conversation window is closed
)

const (
	// defaultRetryAfter applies to a 429 that names no delay, so it still
	// reads as a flood limit rather than a plain transient failure.
	defaultRetryAfter = time.Second
	// maxRetryAfter bounds an absurd hint before it overflows a Duration.
	maxRetryAfter = 24 * time.Hour
)

// classify turns an answer into a message id or a *chat.SendError.
func (s *Sender) classify(to chat.Key, status int, h http.Header, raw []byte) (string, error) {
	var ans response
	jsonErr := json.Unmarshal(raw, &ans)
	desc := strings.TrimSpace(ans.Description)
	if desc == "" {
		desc = http.StatusText(status)
	}
	fail := func(sentinel error) error {
		return fmt.Errorf("webhook: unable to send message to %s: %w (status %d): %s", to, sentinel, status, desc)
	}
	if status >= 200 && status < 300 {
		// Any 2xx is delivered, with the receiver's id when its body gives
		// one; only a body that says so in words ({"ok": false}) is not.
		if jsonErr == nil && ans.OK != nil && !*ans.OK {
			if ans.windowClosed() {
				return "", &chat.SendError{Closed: true, Err: fmt.Errorf("%w: %w", ErrWindowClosed, fail(ErrNotAccepted))}
			}
			se := &chat.SendError{Err: fail(ErrNotAccepted)}
			if ans.RetryAfter != "" || ans.Parameters.RetryAfter != "" {
				se.RetryAfter = s.retryAfter(h, ans)
			}
			return "", se
		}
		return string(ans.MessageID), nil
	}
	if status >= 300 && status < 400 {
		// A redirect is the endpoint's address being wrong, for every to:
		// following it turned a POST into a GET elsewhere, whose "ok" was
		// taken for a delivery.
		where := RedactURL(h.Get("Location"))
		if where == "" {
			where = "nowhere"
		}
		return "", &chat.SendError{Misconfigured: true,
			Err: fmt.Errorf("webhook: unable to send message to %s: %w (status %d) to %s: fix the webhook URL", to, ErrRedirected, status, where)}
	}
	if ans.windowClosed() {
		// A relay to a platform with conversation windows (WeCom's
		// customer service, say) may only write within one: the part
		// waits for the reader, whatever the status says.
		return "", &chat.SendError{Closed: true, Err: fail(ErrWindowClosed)}
	}
	switch status {
	case http.StatusTooManyRequests:
		return "", &chat.SendError{RetryAfter: s.retryAfter(h, ans), Err: fail(ErrRateLimited)}
	case http.StatusForbidden:
		return "", &chat.SendError{Permanent: true, Err: fail(ErrBlocked)}
	case http.StatusNotFound, http.StatusGone:
		return "", &chat.SendError{Permanent: true, Err: fail(ErrChatNotFound)}
	case http.StatusBadRequest:
		if to := ans.migrateTo(); to != "" {
			return "", &chat.SendError{MigratedTo: to, Err: fail(ErrMigrated)}
		}
		return "", &chat.SendError{Permanent: true, Err: fail(ErrRejected)}
	case http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return "", &chat.SendError{Permanent: true, Err: fail(ErrRejected)}
	}
	// 5xx, and statuses that say nothing about the to (401, 408, 409…):
	// retrying later may work. A 503 that says when is a flood limit too.
	if status == http.StatusServiceUnavailable && strings.TrimSpace(h.Get("Retry-After")) != "" {
		return "", &chat.SendError{RetryAfter: s.retryAfter(h, ans), Err: fail(ErrUnavailable)}
	}
	return "", &chat.SendError{Err: fail(ErrUnavailable)}
}

// retryAfter takes the longest of the Retry-After header (seconds or an
// HTTP-date, RFC 9110 §10.2.3) and the body's retry_after (seconds).
func (s *Sender) retryAfter(h http.Header, ans response) time.Duration {
	var d time.Duration
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, ok := seconds(v); ok {
			d = secs
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(s.now())
		}
	}
	for _, v := range []flexString{ans.RetryAfter, ans.Parameters.RetryAfter} {
		if secs, ok := seconds(string(v)); ok && secs > d {
			d = secs
		}
	}
	return min(max(d, defaultRetryAfter), maxRetryAfter)
}

func seconds(v string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	if f > maxRetryAfter.Seconds() {
		return maxRetryAfter, true
	}
	return time.Duration(f * float64(time.Second)), true
}
