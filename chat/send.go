package chat

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sender delivers one message to a chat and returns the platform's id for
// it. Transports implement it; the digest outbox calls it. A failed send
// returns a *SendError when the transport can say what kind of failure it
// was; any other error counts as transient.
type Sender interface {
	Send(ctx context.Context, chat Key, m Message) (messageID string, err error)
}

// SendError classifies a failed send, so delivery knows whether to retry.
type SendError struct {
	// Permanent: the chat cannot receive (the user blocked the bot, the
	// chat does not exist, the bot was removed). Retrying will not help.
	Permanent bool
	// RetryAfter is how long the platform asked to wait (a flood limit).
	RetryAfter time.Duration
	// Left, with Permanent: the bot is no longer in the chat (a friend or
	// group that cannot be found), rather than refused by it.
	Left bool
	// Refused: the platform refused this message itself (too long, bad
	// markup), not the chat. It will never go out, and it is the bot's
	// fault, not the subscriber's: the part becomes a dead letter and the
	// chat is not struck.
	Refused bool
	// Misconfigured: the endpoint itself is wrong for every chat (a
	// webhook that redirects elsewhere). No chat is to blame and a retry
	// soon will not help: the platform waits for the operator, and its
	// parts wait in the outbox.
	Misconfigured bool
	// Closed: the platform's conversation window with this chat is
	// closed, or its message count within the window is used up (WeChat's
	// 45015 and 45047): the platform lets the bot speak only for a while
	// after the reader last wrote. The part is held until the reader
	// writes: not a failure, not a strike, not a dead letter.
	Closed bool
	// MigratedTo is the chat's new id when the platform moved it.
	MigratedTo string
	Err        error
}

func (e *SendError) Error() string {
	switch {
	case e.MigratedTo != "":
		return fmt.Sprintf("chat moved to %s: %v", e.MigratedTo, e.Err)
	case e.Refused:
		return fmt.Sprintf("message refused: %v", e.Err)
	case e.Misconfigured:
		return fmt.Sprintf("endpoint misconfigured: %v", e.Err)
	case e.Closed:
		return fmt.Sprintf("window closed: %v", e.Err)
	case e.Permanent:
		return fmt.Sprintf("permanent: %v", e.Err)
	case e.RetryAfter > 0:
		return fmt.Sprintf("retry after %s: %v", e.RetryAfter, e.Err)
	}
	return fmt.Sprintf("transient: %v", e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// Classify returns err as a *SendError, treating unknown errors as
// transient.
func Classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Err: err}
}

type idempotencyKeyCtx struct{}

// WithIdempotencyKey returns a context whose send carries key, for
// transports that can pass it on, so a receiver can tell a part sent again
// after a crash (say "digest-12-part-2") from a new message. The digest
// outbox sets it.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKeyCtx{}, key)
}

// IdempotencyKey returns the key WithIdempotencyKey set, or "".
func IdempotencyKey(ctx context.Context) string {
	key, _ := ctx.Value(idempotencyKeyCtx{}).(string)
	return key
}
