package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"wzdaily/chat"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// classify turns what the library returned into a chat.SendError, so
// delivery knows whether to retry, wait, give up on the chat or follow it.
func classify(err error) *chat.SendError {
	var tg *tgbotapi.Error
	if !errors.As(err, &tg) {
		// Transport failures, timeouts and non-JSON bodies (a proxy's 502
		// page) are all worth another try.
		return &chat.SendError{Err: err}
	}
	desc := strings.ToLower(tg.Message)
	switch {
	case tg.MigrateToChatID != 0:
		return &chat.SendError{MigratedTo: strconv.FormatInt(tg.MigrateToChatID, 10), Err: err}
	case tg.Code == http.StatusTooManyRequests:
		return &chat.SendError{RetryAfter: time.Duration(max(tg.RetryAfter, 1)) * time.Second, Err: err}
	case tg.Code == http.StatusForbidden,
		tg.Code == http.StatusBadRequest && (strings.Contains(desc, "chat not found") ||
			strings.Contains(desc, "have no rights to send") || strings.Contains(desc, "need administrator rights") ||
			strings.Contains(desc, "chat_write_forbidden") || strings.Contains(desc, "user is deactivated")):
		return &chat.SendError{Permanent: true, Err: err}
	case tg.Code == http.StatusBadRequest:
		// Too long, bad HTML, bad buttons: the message is wrong, not the
		// chat. Sending it again cannot help, and it is our bug. Whoever
		// sent it logs it, once: the deliverer for a digest part (with
		// the part), sendReply for a reply.
		return &chat.SendError{Refused: true, Err: err}
	}
	return &chat.SendError{Err: err}
}

// topicUnavailable is Telegram's answer to a send into a forum topic that
// was deleted (or never was) or that is closed to the bot.
func topicUnavailable(err error) bool {
	var tg *tgbotapi.Error
	if !errors.As(err, &tg) || tg.Code != http.StatusBadRequest {
		return false
	}
	desc := strings.ToLower(tg.Message)
	return strings.Contains(desc, "message thread not found") || strings.Contains(desc, "topic_closed") ||
		strings.Contains(desc, "topic_deleted")
}

// isNotModified is Telegram's answer to an edit that changes nothing, as
// when a page button is pressed twice.
func isNotModified(err error) bool {
	var tg *tgbotapi.Error
	return errors.As(err, &tg) && strings.Contains(tg.Message, "message is not modified")
}

// client carries a call's context into the library, which has none, and
// takes the token out of every error: it is part of each request URL.
type client struct {
	hc    *http.Client
	ctx   context.Context
	token string
}

func (c client) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.hc.Do(req.WithContext(c.ctx))
	if err != nil {
		return nil, redactError(err, c.token)
	}
	return resp, nil
}

// redactError removes the token from a transport error. A *url.Error keeps
// its type (timeouts stay detectable) with the URL redacted.
func redactError(err error, token string) error {
	if token == "" {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, token, Redacted), Err: scrub(ue.Err, token)}
	}
	return scrub(err, token)
}

// Redacted replaces the token wherever it would be shown.
const Redacted = "<token>"

func scrub(err error, token string) error {
	if err == nil || !strings.Contains(err.Error(), token) {
		return err
	}
	return scrubbed{msg: strings.ReplaceAll(err.Error(), token, Redacted), timeout: isTimeout(err)}
}

// scrubbed stands in for an error whose text held the token.
type scrubbed struct {
	msg     string
	timeout bool
}

func (e scrubbed) Error() string { return e.msg }
func (e scrubbed) Timeout() bool { return e.timeout }

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// wrap adds what was being done, with the token removed.
func wrap(token, what string, err error) error {
	return fmt.Errorf("telegram: %s: %w", what, redactError(err, token))
}
