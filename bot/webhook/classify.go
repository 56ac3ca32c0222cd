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

	"wzdaily/bot"
	"wzdaily/subscribers"
)

// Sentinels wrapped in SendError.Err, for errors.Is.
var (
	ErrBlocked      = errors.New("blocked")                 // 403: the user blocked the bot
	ErrChatNotFound = errors.New("chat not found")          // 404, 410
	ErrMigrated     = errors.New("chat migrated")           // 400 naming the chat's new id
	ErrRejected     = errors.New("rejected")                // 400, 413, 422: the request itself is wrong
	ErrRateLimited  = errors.New("rate limited")            // 429
	ErrUnavailable  = errors.New("endpoint failed")         // 5xx and any other status
	ErrBadResponse  = errors.New("unreadable confirmation") // 2xx without {"ok":true,"message_id":…}
)

const (
	// defaultRetryAfter applies to a 429 that names no delay, so it still
	// reads as a flood limit rather than a plain transient failure.
	defaultRetryAfter = time.Second
	// maxRetryAfter bounds an absurd hint before it overflows a Duration.
	maxRetryAfter = 24 * time.Hour
)

// classify turns an answer into a message id or a *bot.SendError.
func (s *Sender) classify(chat subscribers.Key, status int, h http.Header, raw []byte) (string, error) {
	var ans response
	jsonErr := json.Unmarshal(raw, &ans)
	if status >= 200 && status < 300 {
		if jsonErr == nil && ans.OK && ans.MessageID != "" {
			return string(ans.MessageID), nil
		}
		// The message may well have been delivered; a retry with the same
		// idempotency key lets the receiver tell.
		return "", &bot.SendError{Err: fmt.Errorf("webhook: unable to send message to %s: %w (status %d)", chat, ErrBadResponse, status)}
	}

	desc := strings.TrimSpace(ans.Description)
	if desc == "" {
		desc = http.StatusText(status)
	}
	fail := func(sentinel error) error {
		return fmt.Errorf("webhook: unable to send message to %s: %w (status %d): %s", chat, sentinel, status, desc)
	}
	switch status {
	case http.StatusTooManyRequests:
		return "", &bot.SendError{RetryAfter: s.retryAfter(h, ans), Err: fail(ErrRateLimited)}
	case http.StatusForbidden:
		return "", &bot.SendError{Permanent: true, Err: fail(ErrBlocked)}
	case http.StatusNotFound, http.StatusGone:
		return "", &bot.SendError{Permanent: true, Err: fail(ErrChatNotFound)}
	case http.StatusBadRequest:
		if to := ans.migrateTo(); to != "" {
			return "", &bot.SendError{MigratedTo: to, Err: fail(ErrMigrated)}
		}
		return "", &bot.SendError{Permanent: true, Err: fail(ErrRejected)}
	case http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return "", &bot.SendError{Permanent: true, Err: fail(ErrRejected)}
	}
	// 5xx, and statuses that say nothing about the chat (401, 408, 409…):
	// retrying later may work.
	return "", &bot.SendError{Err: fail(ErrUnavailable)}
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
