package officialaccount

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"wzdaily/chat"
)

// customSend is the customer-service message API
// (Customer_Service/Service_Center_messages.html: 客服接口-发消息).
const customSend = "/cgi-bin/message/custom/send"

var _ chat.Sender = (*Transport)(nil)

// Send delivers one message (a digest part) to a follower as
// customer-service text; it implements chat.Sender. A message longer than
// MaxBytes goes as several, in order. Errors are *chat.SendError:
//   - outside the reader's window, or past its count (45015, 45047):
//     Closed, the part is held until the reader writes again;
//   - the reader unfollowed (43004): Permanent and Left;
//   - the access token refused (40001, 42001, 40014): a fresh token is
//     fetched once for all senders and the call made again; a second
//     refusal is transient;
//   - the token cannot be had for the account's settings (a wrong
//     AppSecret, a server not on the IP whitelist): Misconfigured;
//   - the account's daily quota used up (45009): the platform waits an
//     hour;
//   - WeChat busy (-1), HTTP failures, timeouts: transient.
//
// WeChat returns no id for a customer-service message: the id is "".
func (t *Transport) Send(ctx context.Context, to chat.Key, m chat.Message) (string, error) {
	if to.Platform != Platform {
		return "", &chat.SendError{Permanent: true, Err: fmt.Errorf("officialaccount: not an Official Account chat: %s", to)}
	}
	for _, p := range pieces(render(m)) {
		if err := t.sendText(ctx, to.ChatID, p); err != nil {
			return "", classify(err)
		}
	}
	// A number typed next answers this message, not an older one's buttons.
	t.choices.Remember(to, m)
	return "", nil
}

// sendText sends one customer-service text message.
func (t *Transport) sendText(ctx context.Context, openID, text string) error {
	return t.post(ctx, "sending a customer-service message", customSend, message.NewCustomerTextMessage(openID, text))
}

// quotaWait is how long the platform waits when the account's daily quota
// of calls is used up: WeChat resets it daily, or an operator clears it.
const quotaWait = time.Hour

// classify turns a failed call into the SendError delivery acts on.
func classify(err error) *chat.SendError {
	var ae *apiError
	if !errors.As(err, &ae) {
		return &chat.SendError{Err: err}
	}
	switch {
	case ae.Code == codeDailyQuota:
		// Of sends or of token fetches: the account's, for the day.
		return &chat.SendError{RetryAfter: quotaWait, Err: err}
	case ae.fetch && misconfigured(ae.Code):
		return &chat.SendError{Misconfigured: true, Err: err}
	case ae.fetch:
		return &chat.SendError{Err: err}
	case ae.Code == codeWindowClosed || ae.Code == codeCountUsedUp:
		return &chat.SendError{Closed: true, Err: err}
	case ae.Code == codeNotFollowing:
		return &chat.SendError{Permanent: true, Left: true, Err: err}
	}
	return &chat.SendError{Err: err}
}

// sendLate sends an answer as customer-service messages, after its push
// was answered "success" (the answer came late) or after the one passive
// reply (the rest of a long answer). It runs in the background; Run waits
// for it before returning.
func (t *Transport) sendLate(to chat.Key, pieces []string) {
	t.late.Go(func() {
		// A late answer is sent even while the bot stops: the reader asked.
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		for _, p := range pieces {
			if err := t.sendText(ctx, to.ChatID, p); err != nil {
				se := classify(err)
				level := slog.LevelWarn
				if se.Closed {
					level = slog.LevelInfo // the reader's window allows no more
				}
				slog.Log(ctx, level, "Unable to send a late Official Account reply", slog.String("chat", to.String()), slog.Any("error", se))
				return
			}
		}
	})
}

// logAPIError logs a failed call; its text names no secret.
func logAPIError(what string, err error) {
	slog.Error(what, slog.Any("error", err))
}
